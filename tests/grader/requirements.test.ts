// End-to-end cases earn points only when every case of the questions they require passed
// (grader/scoring/score.ts): a training run reports its own policy from inside the child, where the
// code under test could forge it; the function cases cannot be passed without the right values.
import { loadAssignment } from '../../grader/assignment/load';
import type { Assignment } from '../../grader/assignment/types';
import type { CallOutcome } from '../../grader/runner/run-calls';
import type { PlainTensor } from '../../grader/child/protocol';
import { buildReport } from '../../grader/scoring/score';
import { caseProblems } from '../../grader/cases/build';
import { DEV_SECRET } from '../../grader/cases/seed';

const scalar = (x: number) => ({ shape: [], data: [x] });
const base = loadAssignment();

/** Q1.1 (two function cases) and Q3.10 (a training case requiring Q1.1). */
function assignment(requires: string[] | undefined): Assignment {
  const q11 = base.questions.find((q) => q.id === 'Q1.1')!;
  const q310 = base.questions.find((q) => q.id === 'Q3.10')!;
  const cases = base.cases.filter((c) => c.question === 'Q1.1' || c.question === 'Q3.10').map((c) => (c.question === 'Q3.10' ? { ...c, requires } : c));
  return { ...base, questions: [q11, q310], cases, totalPoints: q11.points + q310.points };
}

/** Every case of Q1.1 passes or not; the training run reports a perfect success rate. */
function outcomes(a: Assignment, functionsPass: boolean): { student: Map<string, CallOutcome>; reference: Map<string, CallOutcome> } {
  const student = new Map<string, CallOutcome>();
  const reference = new Map<string, CallOutcome>();
  for (const c of a.cases) {
    const training = c.question === 'Q3.10';
    const value: Record<string, PlainTensor> = training ? { successRate: scalar(1), meanReturn: scalar(1) } : { result: { shape: [2], data: [1, 2] } };
    student.set(c.id, { result: { id: c.id, ok: true, leaked: 0, outputs: training || functionsPass ? value : { result: { shape: [2], data: [5, 5] } } } });
    if (!training) reference.set(c.id, { result: { id: c.id, ok: true, leaked: 0, outputs: value } });
  }
  return { student, reference };
}

const report = (a: Assignment, functionsPass: boolean) =>
  buildReport({ assignment: a, ...outcomes(a, functionsPass), missingFiles: [], submission: 's', backend: 'cpu', intakeProblems: [] });

test('a forged perfect run earns nothing while a required question fails, and its leaderboard entry is 0', () => {
  const a = assignment(['Q1.1']);
  const r = report(a, false);
  const run = r.questions.find((q) => q.id === 'Q3.10')!;
  expect(run.earned).toBe(0);
  expect(run.cases[0].status).toBe('failed');
  expect(run.cases[0].messages[0]).toBe('Not awarded: this end-to-end case earns points only when every case of Q1.1 passes (not yet: Q1.1).');
  expect(r.leaderboard?.[0].value).toBe(0);
});

test('the same run earns its points when every required case passes', () => {
  const r = report(assignment(['Q1.1']), true);
  const run = r.questions.find((q) => q.id === 'Q3.10')!;
  expect(run.earned).toBe(run.points);
  expect(r.leaderboard?.[0].value).toBe(1);
  expect(r.total).toBe(r.maxTotal);
});

test('without `requires` the run is scored by its thresholds alone (the old behaviour, kept for assignments that opt out)', () => {
  const r = report(assignment(undefined), false);
  expect(r.questions.find((q) => q.id === 'Q3.10')!.earned).toBe(5);
});

test('the kit\'s end-to-end cases require the questions of the functions they exercise; validate checks the ids', () => {
  for (const c of base.cases.filter((x) => x.question === 'Q3.10' || x.question === 'Q7.8')) expect(c.requires?.length).toBeGreaterThan(0);
  expect(base.cases.find((c) => c.question === 'Q3.10')!.requires).toEqual(expect.arrayContaining(['Q3.1', 'Q3.9', 'Q2.2']));
  const broken = { ...base, cases: base.cases.map((c) => (c.question === 'Q3.10' ? { ...c, requires: ['Q9.9', 'Q3.10', 'Q7.9'] } : c)) };
  expect(caseProblems(broken, DEV_SECRET).filter((p) => p.includes('/requires'))).toHaveLength(3);
});
