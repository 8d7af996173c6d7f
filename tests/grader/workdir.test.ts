// The folder student code runs in: when grading as root, only the sandbox user's group may read it
// (parallel batch workers run as different users and must not read each other's submissions).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepareWorkDir } from '../../grader/runner/workdir';

const mode = (p: string) => fs.statSync(p).mode & 0o777;

test('with a reader group: root-owned, group-readable, closed to others', () => {
  if (process.getuid?.() !== 0) throw new Error('this test checks ownership and must run as root (CI does)');
  const src = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-wd-src-'));
  fs.writeFileSync(path.join(src, 'iql.ts'), 'export {};\n');
  const work = prepareWorkDir({ 'iql.ts': path.join(src, 'iql.ts') }, ['iql.ts', 'awr.ts'], undefined, 12345);
  try {
    for (const [p, m] of [[work.root, 0o750], [work.submissionDir, 0o750], [path.join(work.submissionDir, 'iql.ts'), 0o640], [path.join(work.submissionDir, 'awr.ts'), 0o640]] as const) {
      expect({ p, mode: mode(p).toString(8), uid: fs.statSync(p).uid, gid: fs.statSync(p).gid }).toEqual({ p, mode: m.toString(8), uid: 0, gid: 12345 });
    }
    expect(fs.readlinkSync(path.join(work.root, 'provided'))).toMatch(/provided$/);
  } finally {
    work.dispose();
    fs.rmSync(src, { recursive: true, force: true });
  }
});

test('without one (plain runs): world-readable, as before', () => {
  const work = prepareWorkDir({}, ['iql.ts']);
  try {
    expect(mode(work.root).toString(8)).toBe('755');
    expect(mode(path.join(work.submissionDir, 'iql.ts')).toString(8)).toBe('644');
  } finally {
    work.dispose();
  }
});
