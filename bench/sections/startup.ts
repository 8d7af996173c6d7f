// Start-up of the runner child (part of section 3, and a target of its own): from spawning
// `node grader/child/entry.js` to its exit, for a request with no calls, so the child
// loads its TypeScript loader, TensorFlow.js and the wasm backend, and every student module of
// solutions/. Plain (a child process) and sandboxed (user drop, namespaces, limits, as grading runs it).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { base, type Context, type StartupSection } from '../context';
import { run, worker } from '../spawn';
import { KIT_ROOT, say, stat } from '../stats';

interface StartupOut {
  seconds: number[];
  mechanisms: string[];
}

/**
 * solutions/ copied where the sandbox user can read it: grading as root leaves solutions/ root-only,
 * and a child that cannot read the modules would fail early and look fast.
 */
function readableSolutions(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-bench-student-'));
  fs.chmodSync(dir, 0o755);
  const from = path.join(KIT_ROOT, 'solutions');
  for (const f of fs.readdirSync(from)) {
    fs.copyFileSync(path.join(from, f), path.join(dir, f));
    fs.chmodSync(path.join(dir, f), 0o644);
  }
  return dir;
}

export async function startupSection(ctx: Context): Promise<StartupSection> {
  const runs = String(ctx.runs + 2); // the first two warm the disk cache and are left out
  const student = readableSolutions();
  let plain: StartupOut;
  let sandboxed: StartupOut | undefined;
  let why: string | undefined;
  try {
    say('startup: plain child');
    plain = await worker<StartupOut>('bench/workers/startup.ts', ['--runs', runs, '--backend', ctx.backend, '--student', student]);
    say('startup: sandboxed child');
    try {
      sandboxed = await worker<StartupOut>('bench/workers/startup.ts', ['--runs', runs, '--backend', ctx.backend, '--student', student, '--sandbox', '--user', ctx.sandboxUser]);
    } catch (err) {
      why = (err as Error).message;
    }
  } finally {
    fs.rmSync(student, { recursive: true, force: true });
  }
  const name = (env: Record<string, string>) =>
    run(process.execPath, ['-e', "const l = require('./grader/child/ts-loader.js'); l.register(); process.stdout.write(l.stripperName())"], { env });
  const loaders = [(await name({})).stdout.trim(), (await name({ RLHW_TS_STRIPPER: 'sucrase' })).stdout.trim()];
  const loader = { stdout: `${loaders[0] || 'unknown'} (sandboxed: ${loaders[1] || 'unknown'})` };
  return {
    ...base(ctx),
    plain: stat(plain.seconds.slice(2), 's'),
    sandboxed: sandboxed ? stat(sandboxed.seconds.slice(2), 's') : undefined,
    mechanisms: sandboxed?.mechanisms,
    loader: loader.stdout.trim() || 'unknown',
    notes: [
      'Spawn to exit of a runner child given no calls: Node start, the TypeScript loader, TensorFlow.js and the wasm backend ready, the seven modules of solutions/ loaded, exit; with the compile cache a grading makes first (grader/runner/compile-cache.ts).',
      ...(why ? [`The sandboxed child could not run: ${why}`] : []),
    ],
  };
}
