/**
 * The reduced mode as it happens in the field, not forced: the grader itself runs (a) as root in a
 * container that grants only CAP_SETUID, CAP_SETGID and CAP_KILL (no namespaces), and (b) as an
 * ordinary user. The sandbox module is transpiled to a temp folder and driven by a small script
 * started under those conditions; 'auto' must fall back and still bound and clean up the child.
 * The grader is also started with an extra descriptor open without close-on-exec (fd 77), which
 * must not reach the child.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SandboxResult } from '../../grader/sandbox';
import { removeDir, transpileTo, USER, writeScript } from './helpers';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-sbx-fallback-'));
  fs.chmodSync(dir, 0o755);
  const src = path.join(__dirname, '../../grader/sandbox');
  fs.mkdirSync(path.join(dir, 'lib'), { mode: 0o755 });
  for (const file of fs.readdirSync(src).filter((f) => f.endsWith('.ts'))) {
    transpileTo(path.join(src, file), path.join(dir, 'lib', file.replace(/\.ts$/, '.js')));
  }
  fs.copyFileSync(path.join(src, 'confine.c'), path.join(dir, 'lib', 'confine.c'));
  // The child side of the channel, where the sandbox module finds it (grader/child/) and for the scripts.
  fs.mkdirSync(path.join(dir, 'child'), { mode: 0o755 });
  transpileTo(path.join(__dirname, '../../grader/child/channel.ts'), path.join(dir, 'child', 'channel.js'));
  fs.copyFileSync(path.join(dir, 'child', 'channel.js'), path.join(dir, 'channel.js'));
  fs.chmodSync(path.join(dir, 'channel.js'), 0o644);
  writeScript(dir, 'driver.js', `
    const { runSandboxed } = require('./lib/index.js');
    const [isolation, script, cpu] = process.argv.slice(2);
    runSandboxed({
      command: process.execPath, args: [script], cwd: __dirname, env: { PATH: '/usr/bin:/bin' }, input: 7,
      isolation, user: ${JSON.stringify(USER)},
      limits: { cpuSeconds: Number(cpu), wallSeconds: 10, memoryMiB: 256, maxProcesses: 48, maxFileMiB: 1, maxOutputBytes: 65536 },
    }).then((r) => process.stdout.write(JSON.stringify(r)), (e) => process.stdout.write(JSON.stringify({ error: e.message })));
  `);
  writeScript(dir, 'probe.js', `
    const { readInput, send } = require('./channel.js');
    readInput().then((input) => send({ input, uid: process.getuid(), fd77: require('fs').existsSync('/proc/self/fd/77') }));
  `);
  writeScript(dir, 'loop.js', 'for (;;) {}');
});
afterAll(() => removeDir(dir));

/** Runs the driver under `prefix` (e.g. a setpriv that drops capabilities), with fd 77 open. */
function drive(prefix: string[], isolation: string, script: string, cpu = 2): SandboxResult & { error?: string } {
  const r = spawnSync(
    '/bin/bash',
    ['-c', 'exec 77</etc/hostname; exec "$@"', 'bash', ...prefix, process.execPath, 'driver.js', isolation, script, String(cpu)],
    { cwd: dir, encoding: 'utf8', timeout: 30_000 },
  );
  if (r.status !== 0 || !r.stdout) throw new Error(`driver failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('root with only CAP_SETUID, CAP_SETGID, CAP_KILL (no namespaces)', () => {
  const prefix = ['/usr/bin/setpriv', '--bounding-set', '-all,+setuid,+setgid,+kill', '--'];

  test("'auto' falls back to reduced: user drop, limits, no leaked descriptor", () => {
    const r = drive(prefix, 'auto', 'probe.js');
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe('exited');
    expect(r.mechanisms).toContain(`uid:${USER}`);
    expect(r.mechanisms).toContain('user-sweep');
    expect(r.mechanisms).not.toContain('netns');
    // No namespace, but no socket either: the seccomp helper needs no capability.
    expect(r.mechanisms).toContain('seccomp-no-sockets');
    const uid = Number(spawnSync('id', ['-u', USER], { encoding: 'utf8' }).stdout);
    expect(r.messages).toEqual([{ input: 7, uid, fd77: false }]);
  });

  test("'full' is refused with a clear error", () => {
    expect(drive(prefix, 'full', 'probe.js').error).toMatch(/^sandbox: full isolation unavailable: .+/);
  });

  test('an infinite loop still ends as cpu-timeout', () => {
    const r = drive(prefix, 'auto', 'loop.js', 1);
    expect(r.outcome).toBe('cpu-timeout');
    expect(r.cpuSeconds).toBeLessThan(1.5);
  });
});

describe('non-root grader', () => {
  const prefix = ['/usr/bin/setpriv', '--reuid', 'nobody', '--regid', 'nogroup', '--clear-groups', '--'];

  test("'auto' runs the child as the grader's own user, with limits and no leaked descriptor", () => {
    const r = drive(prefix, 'auto', 'probe.js');
    expect(r.error).toBeUndefined();
    expect(r.outcome).toBe('exited');
    expect(r.mechanisms.some((m) => m.startsWith('uid:'))).toBe(false);
    expect(r.mechanisms).toContain('tree-kill');
    // Without a separate user the helper is not used (the child could replace it): the log says so.
    expect(r.mechanisms).toContain('network-open');
    expect(r.messages).toEqual([{ input: 7, uid: 65534, fd77: false }]);
  });

  test("'full' is refused with a clear error", () => {
    expect(drive(prefix, 'full', 'probe.js').error).toBe('sandbox: full isolation needs a root parent');
  });

  test('an infinite loop still ends as cpu-timeout, and the child is gone afterwards', () => {
    const r = drive(prefix, 'auto', 'loop.js', 1);
    expect(r.outcome).toBe('cpu-timeout');
    expect(r.cpuSeconds).toBeLessThan(1.5);
    const left = spawnSync('pgrep', ['-u', 'nobody', '-f', 'loop.js'], { encoding: 'utf8' });
    expect(left.stdout.trim()).toBe('');
  });
});
