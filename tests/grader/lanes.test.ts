// Two runner children side by side (grader/runner/lanes.ts): how the calls are split, how many
// lanes a machine gets, and that a grading in two lanes (each child as its own sandbox user) gives
// exactly what one lane gives.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gradeSubmission, type Graded } from '../../grader/cli/grade';
import type { RunnerCall } from '../../grader/child/protocol';
import { DEV_SECRET } from '../../grader/cases/seed';
import { cpuAllowance, laneCount, memoryAllowanceMiB, splitLanes } from '../../grader/runner/lanes';
import { loadAssignment } from '../../grader/assignment/load';
import { openSession, secondLaneUser } from '../../grader/runner/session';
import { tryLockUser } from '../../grader/sandbox';
import { CACHE_DIR, ROOT } from './support';

const call = (id: string, run = false): RunnerCall => ({ id, target: `m.${id}`, harness: run ? { kind: 'run', run: 'train' } : { kind: 'function' }, args: [] }) as unknown as RunnerCall;
const ids = (lanes: RunnerCall[][]): string[][] => lanes.map((l) => l.map((c) => c.id));

describe('splitLanes', () => {
  const limits: Record<string, number> = { train: 150, fqeA: 60, fqeB: 60, big: 100, small: 20 };
  const whole = (c: RunnerCall) => c.harness.kind === 'run';
  const limitOf = (id: string) => limits[id] ?? 10;

  test('one lane keeps every call in file order', () => {
    const calls = [call('u1'), call('train', true), call('u2')];
    expect(ids(splitLanes(calls, 1, whole, limitOf))).toEqual([['u1', 'train', 'u2']]);
  });

  test('the longest whole run gets a lane of its own; the others and the unit cases share the second, in file order', () => {
    const calls = [call('u1'), call('train', true), call('u2'), call('fqeA', true), call('fqeB', true)];
    expect(ids(splitLanes(calls, 2, whole, limitOf))).toEqual([['train'], ['u1', 'u2', 'fqeA', 'fqeB']]);
  });

  test('whole runs are balanced longest first; the unit cases go to the lane with less', () => {
    const calls = [call('small', true), call('u1'), call('big', true), call('train', true)];
    // train (150) -> lane 0, big (100) -> lane 1, small (20) -> lane 1 (120 < 150); units -> lane 1.
    expect(ids(splitLanes(calls, 2, whole, limitOf))).toEqual([['train'], ['small', 'u1', 'big']]);
  });

  test('no whole run, or only one call: a single lane (no idle child is started)', () => {
    expect(ids(splitLanes([call('u1'), call('u2')], 2, whole, limitOf))).toEqual([['u1', 'u2']]);
    expect(ids(splitLanes([call('train', true)], 2, whole, limitOf))).toEqual([['train']]);
  });
});

describe('laneCount', () => {
  const saved = process.env.RLHW_LANES;
  afterEach(() => {
    if (saved === undefined) delete process.env.RLHW_LANES;
    else process.env.RLHW_LANES = saved;
  });

  test('RLHW_LANES forces 1 or 2 and refuses anything else', () => {
    process.env.RLHW_LANES = '2';
    expect(laneCount(1 << 20)).toBe(2);
    process.env.RLHW_LANES = '1';
    expect(laneCount(1)).toBe(1);
    process.env.RLHW_LANES = 'many';
    expect(() => laneCount(1)).toThrow(/RLHW_LANES: expected 1 or 2, got 'many'/);
  });

  test('without it: two lanes only with two CPUs and the memory for two children', () => {
    delete process.env.RLHW_LANES;
    const cpus = cpuAllowance();
    expect(cpus).toBeGreaterThan(0);
    expect(cpus).toBeLessThanOrEqual(os.availableParallelism());
    expect(memoryAllowanceMiB()).toBeLessThanOrEqual(os.totalmem() / 2 ** 20);
    expect(laneCount(1)).toBe(cpus >= 1.9 && memoryAllowanceMiB() >= 2 + 512 ? 2 : 1);
    // Two children of a petabyte each fit on no machine.
    expect(laneCount(2 ** 30)).toBe(1);
  });
});

describe('a grading in two lanes', () => {
  const USER = 'rlhw-test-lanes';
  let one: Graded;
  let two: Graded;
  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error('this test runs children as sandbox users and must run as root (CI does)');
    const grade = (lanes: number) => gradeSubmission({ submission: path.join(ROOT, 'solutions'), secret: DEV_SECRET, isolation: 'auto', sandboxUser: USER, cacheDir: CACHE_DIR, lanes });
    one = await grade(1);
    two = await grade(2);
  }, 300_000);

  test('gives the same scores and messages as one lane', () => {
    const view = (g: Graded) => g.report.questions.map((q) => ({ id: q.id, earned: q.earned, cases: q.cases.map((c) => ({ id: c.id, status: c.status, score: c.score, messages: c.messages })) }));
    expect(view(two)).toEqual(view(one));
    expect(two.report.total).toBeCloseTo(123, 6);
  });

  test("runs the second child as the second lane's own user, and hands both users back", () => {
    expect(one.mechanisms).toContain(`uid:${USER}`);
    expect(one.mechanisms).not.toContain(`uid:${secondLaneUser(USER)}`);
    expect(two.mechanisms).toEqual(expect.arrayContaining([`uid:${USER}`, `uid:${secondLaneUser(USER)}`]));
    for (const user of [USER, secondLaneUser(USER)]) {
      const unlock = tryLockUser(user);
      expect(unlock).toBeDefined();
      unlock?.();
    }
  });

  test('with the second user busy, the session offers no second lane (the grading then uses one)', async () => {
    const session = await openSession({ assignment: loadAssignment(), isolation: 'auto', sandboxUser: USER, cacheDir: CACHE_DIR });
    const held = tryLockUser(secondLaneUser(USER));
    try {
      expect(held).toBeDefined();
      expect(session.secondLane()).toBeUndefined();
    } finally {
      held?.();
    }
    try {
      const lane = session.secondLane();
      expect(lane?.user?.name).toBe(secondLaneUser(USER));
      lane?.release();
    } finally {
      session.release();
    }
  });
});

test('the lane users exist where users cannot be made at grading time (system-setup.sh)', () => {
  const setup = fs.readFileSync(path.join(ROOT, 'grader/gradescope/system-setup.sh'), 'utf8');
  expect(setup).toMatch(new RegExp(`for user in [^\\n]*\\b${secondLaneUser('rlhw-student')}\\b`));
});
