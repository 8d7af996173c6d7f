// What a sandboxed child sees of the file system with the grader's allow-list (grader/runner/
// child-view.ts): in full isolation a new root holding only those paths, in reduced isolation
// Landlock. Whatever else is on the machine (another checkout's solutions, /home, /root, the kit's
// own trusted code) does not exist or is refused, in both modes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAssignment } from '../../grader/assignment/load';
import { childView } from '../../grader/runner/child-view';
import { KIT_ROOT } from '../../grader/runner/workdir';
import { makeWorkDir, MODES, removeDir, runNode, sandboxUser, writeScript } from './helpers';

let dir: string;
let scratch: string;
let outside: string;
beforeAll(() => {
  dir = makeWorkDir();
  scratch = path.join(dir, 'tmp');
  fs.mkdirSync(scratch);
  const { uid, gid } = sandboxUser();
  fs.chownSync(scratch, uid, gid);
  // Another checkout's answers, readable by everyone, somewhere the child has no business.
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-view-outside-'));
  fs.chmodSync(outside, 0o755);
  fs.writeFileSync(path.join(outside, 'iql.ts'), '// BEGIN SOLUTION\n', { mode: 0o644 });
});
afterAll(() => {
  removeDir(dir);
  removeDir(outside);
});

// Full isolation mounts the view with the confine helper (confine.c, --mount-view), or with a shell
// loop where there is none: both are tried.
const CASES: Array<[string, (typeof MODES)[number], boolean]> = MODES.flatMap((mode) => (mode === 'full' ? [[`full (confine helper)`, mode, false], [`full (shell loop)`, mode, true]] : [[mode, mode, false]]) as Array<[string, (typeof MODES)[number], boolean]>);

describe.each(CASES)('%s isolation', (_name, mode, byShell) => {
  beforeAll(() => {
    if (byShell) process.env.RLHW_VIEW_BY_SHELL = '1';
  });
  afterAll(() => {
    delete process.env.RLHW_VIEW_BY_SHELL;
  });
  test('reads only the allowed paths, writes only its scratch folder', async () => {
    const script = writeScript(dir, 'view.js', `
      const fs = require('fs');
      const { send } = require('./channel.js');
      const can = (what, f) => { try { f(); return 'yes'; } catch (e) { return e.code; } };
      send({
        ownFolder: can('', () => fs.readFileSync(__filename)),
        provided: can('', () => fs.readdirSync(${JSON.stringify(path.join(KIT_ROOT, 'provided'))})),
        otherCheckout: can('', () => fs.readFileSync(${JSON.stringify(path.join(outside, 'iql.ts'))})),
        trustedGrader: can('', () => fs.readFileSync(${JSON.stringify(path.join(KIT_ROOT, 'grader/runner/reference.ts'))})),
        solutions: can('', () => fs.readdirSync(${JSON.stringify(path.join(KIT_ROOT, 'solutions'))})),
        home: can('', () => fs.readdirSync('/home')),
        passwd: can('', () => fs.readFileSync('/etc/passwd')),
        hostname: can('', () => fs.readFileSync('/etc/hostname')),
        writeScratch: can('', () => fs.writeFileSync(${JSON.stringify(path.join(scratch, 'x'))}, 'x')),
        writeOwnFolder: can('', () => fs.writeFileSync(${JSON.stringify(path.join(dir, 'planted.js'))}, 'x')),
      });
    `);
    const r = await runNode(dir, script, mode, { view: childView(loadAssignment(), dir, scratch) });
    expect(r.mechanisms).toContain(mode === 'full' ? 'mount-view' : 'landlock-view:' + r.mechanisms.find((m) => m.startsWith('landlock-view:'))?.split(':')[1]);
    const seen = r.messages[0] as Record<string, string>;
    // Full mode: what is not in the view does not exist. Reduced mode: Landlock refuses it.
    const refused = mode === 'full' ? 'ENOENT' : 'EACCES';
    expect(seen).toEqual({
      ownFolder: 'yes',
      provided: 'yes',
      otherCheckout: refused,
      trustedGrader: refused,
      solutions: refused,
      home: refused,
      passwd: 'yes',
      hostname: refused,
      writeScratch: 'yes',
      writeOwnFolder: mode === 'full' ? 'EROFS' : 'EACCES',
    });
    expect(fs.existsSync(path.join(dir, 'planted.js'))).toBe(false);
  });
});
