// One grading holds its sandbox user from its first child to its last (grader/runner/session.ts):
// a second grading on the same user waits, says so once with who holds it, and starts when the
// first lets go; waiting is not running (the budgets start with the child).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { openSession } from '../../grader/runner/session';
import { lockUser } from '../../grader/sandbox';

const USER = 'rlhw-test-session';

test('a grading waits for the sandbox user, says who holds it, and goes on when it is free', async () => {
  if (process.getuid?.() !== 0) throw new Error('this test drops to a sandbox user and must run as root (CI does)');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-session-cache-'));
  const held = await lockUser(USER, 10_000);
  const waits: string[] = [];
  let opened = false;
  const second = openSession({ assignment: loadAssignment(), isolation: 'reduced', sandboxUser: USER, cacheDir, onWait: (m) => waits.push(m) }).then((s) => ((opened = true), s));
  await new Promise((resolve) => setTimeout(resolve, 600));
  try {
    expect(opened).toBe(false);
    expect(waits).toEqual([expect.stringMatching(new RegExp(`^waiting for the sandbox user ${USER}, in use by pid ${process.pid}\\b`))]);
  } finally {
    held();
  }
  const session = await second;
  try {
    expect(opened).toBe(true);
    expect(waits).toHaveLength(1);
    expect(session.user?.name).toBe(USER);
    // Released once: a second release must not remove a lock another grading took meanwhile.
    session.release();
    const third = await lockUser(USER, 2_000);
    session.release();
    await expect(lockUser(USER, 300)).rejects.toThrow(/stayed busy/);
    third();
  } finally {
    session.release();
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
});
