// Local runs with limits, in a real handout (support.ts) whose homework/ holds the solutions with
// one edit per test: the public tests run the student's code in the grader's runner child with each
// case's time limit (an infinite loop is reported, naming the case and the time, and the other
// cases go on), a file that does not load is explained once with its line and the questions at
// stake, a tensor leak gets the grader's remark, and npm run submit refuses a file that does not
// load unless --force.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { ROOT } from '../grader/support';
import { testsOf, UnpackedHandout, type JestRun, type JestTest } from './support';

let h: UnpackedHandout;

beforeAll(async () => {
  h = await UnpackedHandout.build();
}, 600_000);

beforeEach(() => h.useSubmission(path.join(ROOT, 'solutions')));

afterAll(() => h?.remove());

function testNamed(run: JestRun, name: string): JestTest {
  const t = testsOf(run).find((x) => x.title === name);
  if (!t) throw new Error(`no test named ${name}`);
  return t;
}

/** What iql.ts carries in grading: every question with a case that calls it, and their points. */
function iqlStake(): { span: string; points: number } {
  const a = loadAssignment();
  const questions = a.questions.filter((q) => a.cases.some((c) => c.question === q.id && c.target.startsWith('iql.')));
  expect(questions.map((q) => q.id)).toEqual(['Q3.1', 'Q3.2', 'Q3.3', 'Q3.4', 'Q3.5', 'Q3.6', 'Q3.7', 'Q3.8', 'Q3.9', 'Q3.10']);
  return { span: 'Q3.1–Q3.10', points: questions.reduce((s, q) => s + q.points, 0) };
}

/** A syntax error in iql.ts (what the student had); returns its line. */
const breakIql = (): number => h.edit('iql.ts', 'return tf.minimum(q1, q2);', 'return tf.minimum(q1, q2;');

test('an infinite loop: its case fails after its time limit, naming the time, and the other cases go on in a fresh child', () => {
  h.edit('iql.ts', 'return tf.minimum(q1, q2); // SOLUTION', 'for (;;) {} // an infinite loop');
  const limit = loadAssignment().cases.find((c) => c.id === 'min-q-small')!.timeLimit;
  // Before the local runs had limits, this run never ended (Jest cannot stop a synchronous loop).
  const run = h.jest(['-t', 'Q3.3|Q3.4'], (limit + 90) * 1000);
  const looped = testNamed(run, 'min-q-small');
  expect(looped.status).toBe('failed');
  const message = looped.failureMessages[0];
  expect(message).toMatch(/^This case did not finish: the time limit was exceeded \(an infinite loop or a very slow implementation\?\)\.$/m);
  const stoppedAfter = Number(/^It was stopped after ([\d.]+) s; its time limit is (\d+) s/m.exec(message)?.[1]);
  expect(message).toContain(`its time limit is ${limit} s`);
  expect(stoppedAfter).toBeGreaterThanOrEqual(limit);
  expect(stoppedAfter).toBeLessThan(limit + 10);
  // The case after it ran in a fresh child and passed.
  expect(testNamed(run, 'critic-target-small').status).toBe('passed');
  // Q3.9 (iqlUpdate calls minTargetQ) loops too, but it was not asked for: the run stops when the
  // tests are done instead of waiting for its limit.
  process.stderr.write(`an infinite loop reported after ${stoppedAfter} s; the whole run (-t Q3.3|Q3.4) took ${run.seconds.toFixed(1)} s\n`);
  expect(run.seconds).toBeLessThan(limit + 5 + 20);
}, 240_000);

test('a file that does not load: one failure says why, with file:line and the questions and points at stake; its other cases refer to it', () => {
  const line = breakIql();
  const run = h.jest(['-t', 'Q3']);
  const failed = testsOf(run).filter((t) => t.status === 'failed');
  const iqlCases = h.data().questions.filter((q) => q.id.startsWith('Q3.')).flatMap((q) => q.cases);
  expect(failed.map((t) => t.title).sort()).toEqual(iqlCases.map((c) => c.name).sort());
  const [first, ...others] = failed.map((t) => t.failureMessages[0]);
  const { span, points } = iqlStake();
  expect(first).toMatch(new RegExp(`^homework/iql\\.ts does not load: SyntaxError: iql\\.ts:${line}: \\S`));
  expect(first).toContain(`Until it loads, ${span} (${points} points) score 0`);
  for (const m of others) expect(m.split('\n')[0]).toBe('iql.ts does not load (the first failing case of iql.ts above says why).');
}, 240_000);

test("a tensor leak gets the grader's remark locally: the case still passes, as in grading, and the summary says so", () => {
  h.edit('iql.ts', 'return tf.tidy(() => {\n    const negative = tf.step(tf.neg(u)); // 1(u < 0), 0 at u = 0\n    return tf.mul(tf.abs(tf.sub(tau, negative)), tf.square(u));\n  });', 'const negative = tf.step(tf.neg(u));\n  return tf.mul(tf.abs(tf.sub(tau, negative)), tf.square(u));');
  const run = h.jest(['-t', 'Q3.1 ']);
  expect(testNamed(run, 'expectile-check').status).toBe('passed');
  expect(run.stderr).toMatch(/Q3\.1 expectile-check passed, but the grader remarks: Your code left [1-9]\d* more tensor\(s\) allocated than the reference; wrap intermediate work in tf\.tidy\./);
  expect(run.stderr).toMatch(/Q3\.1 +Expectile loss +2\.00 \/ 2\.00 +passed, with a remark from the grader \(above\)/);
}, 240_000);

test('npm run submit refuses a file that does not load, naming the file, the line and the points at stake; --force writes the zip', () => {
  const line = breakIql();
  const zip = path.join(h.dir, 'submission.zip');
  fs.rmSync(zip, { force: true });
  const refused = h.tsx(['scripts/submit.ts']);
  expect(refused.status).toBe(1);
  const { span, points } = iqlStake();
  expect(refused.stderr).toMatch(new RegExp(`homework/iql\\.ts does not load: SyntaxError: iql\\.ts:${line}: \\S`));
  expect(refused.stderr).toContain(`${span} (${points} points) would score 0.`);
  expect(refused.stderr).toContain('npm run submit -- --force');
  expect(fs.existsSync(zip)).toBe(false);

  const forced = h.tsx(['scripts/submit.ts', '--force']);
  expect(forced.status).toBe(0);
  expect(forced.stderr).toContain(`${span} (${points} points) will score 0.`);
  expect(fs.existsSync(zip)).toBe(true);
}, 240_000);
