// The folders student code runs in: under one parent only root may list; when grading as root only
// the sandbox user's group may read a work folder (parallel batch workers run as different users),
// and only the sandbox user may write its scratch folder; the folders of dead graders are removed.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { starterDir } from '../../grader/assignment/types';
import { makeWorkFolder, prepareWorkDir, removeStaleWorkFolders, workParent } from '../../grader/runner/workdir';

const mode = (p: string) => fs.statSync(p).mode & 0o7777;
const STARTER = starterDir(loadAssignment());
const asRoot = () => {
  if (process.getuid?.() !== 0) throw new Error('this test checks ownership and must run as root (CI does)');
};

test('with a reader: root-owned, group-readable, closed to others; the scratch folder is the reader\'s alone', () => {
  asRoot();
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-wd-src-'));
  fs.writeFileSync(path.join(src, 'iql.ts'), 'export {};\n');
  const work = prepareWorkDir({ 'iql.ts': path.join(src, 'iql.ts') }, ['iql.ts', 'awr.ts'], STARTER, { uid: 12346, gid: 12345 });
  try {
    expect(path.dirname(work.root)).toBe(workParent());
    expect(mode(workParent()).toString(8)).toBe('711');
    for (const [p, m] of [[work.root, 0o750], [work.submissionDir, 0o750], [path.join(work.submissionDir, 'iql.ts'), 0o640], [path.join(work.submissionDir, 'awr.ts'), 0o640]] as const) {
      expect({ p, mode: mode(p).toString(8), uid: fs.statSync(p).uid, gid: fs.statSync(p).gid }).toEqual({ p, mode: m.toString(8), uid: 0, gid: 12345 });
    }
    expect({ mode: mode(work.scratchDir).toString(8), uid: fs.statSync(work.scratchDir).uid }).toEqual({ mode: '700', uid: 12346 });
    expect(fs.readlinkSync(path.join(work.root, 'provided'))).toMatch(/provided$/);
  } finally {
    work.dispose();
    fs.rmSync(src, { recursive: true, force: true });
  }
});

test('without one (plain runs): readable by all', () => {
  const work = prepareWorkDir({}, ['iql.ts'], STARTER);
  try {
    expect(mode(work.root).toString(8)).toBe('755');
    expect(mode(path.join(work.submissionDir, 'iql.ts')).toString(8)).toBe('644');
  } finally {
    work.dispose();
  }
});

test('the folders of a grader that died are removed; those of live graders are kept', async () => {
  asRoot();
  const mine = makeWorkFolder('run');
  // A grader process that makes its folders, then is killed with SIGKILL before its clean-up.
  const script = `const w = require(${JSON.stringify(path.resolve(__dirname, '../../grader/runner/workdir.ts'))}); process.stdout.write(w.makeWorkFolder('run') + '\\n' + w.makeWorkFolder('intake') + '\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const theirs = await new Promise<string[]>((resolve) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.split('\n').length > 2) resolve(out.trim().split('\n'));
    });
  });
  try {
    expect(theirs.every((d) => fs.existsSync(d))).toBe(true);
    expect(removeStaleWorkFolders()).not.toContain(path.basename(theirs[0])); // still alive
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const removed = removeStaleWorkFolders();
    expect(removed).toEqual(expect.arrayContaining(theirs.map((d) => path.basename(d))));
    expect(theirs.some((d) => fs.existsSync(d))).toBe(false);
    expect(fs.existsSync(mine)).toBe(true);
  } finally {
    child.kill('SIGKILL');
    fs.rmSync(mine, { recursive: true, force: true });
  }
});
