// The public tests: every visible case of the assignment, run on your functions in homework/ as the
// grader runs them (the grader's runner child, in a child process, with each case's time limit:
// local-run.ts) and judged by the grader's own comparison (grader/scoring/judge.ts), so a case
// passes here exactly when it passes in grading.
//   npm test                 every question (whole runs are skipped: they take tens of seconds)
//   npm test -- -t Q2.1      one question (or -t Q2 for a group)
//   npm run test:runs        also the whole runs (such as a short training or evaluation)
import * as path from 'node:path';
import type { PublicGrading } from '../grader/assignment/public-grading';
import { judgeCase } from '../grader/scoring/judge';
import { LocalRun } from './local-run';
import { caseFailure, errorText, failureText, fileOf, groupName, loadFailureText, readPublicData, type PublicCase, type PublicData } from './public-cases';

const ROOT = path.resolve(__dirname, '..');
const data = readPublicData();
const WITH_WHOLE_RUNS = process.env.npm_lifecycle_event === 'test:runs' || process.env.RLHW_WHOLE_RUNS === '1';
const questions = data.questions.filter((q) => q.kind === 'cases');
const runnable = questions.flatMap((q) => q.cases).filter((c) => !c.wholeRun || WITH_WHOLE_RUNS);
const questionOf = new Map(questions.flatMap((q) => q.cases.map((c) => [c.id, q.id])));
// The grader's backend, unless RLHW_BACKEND asks for another one.
const backend = (process.env.RLHW_BACKEND || data.backend) as PublicData['backend'];
const local = new LocalRun(data, runnable, { homework: path.join(ROOT, 'homework'), root: ROOT, backend });
/**
 * Jest's own limit for one test, a backstop only: the runner stops every case at its time limit,
 * but a test may wait for the cases before it in its child (the start-up, then each case's limit
 * plus 5 s of grace).
 */
const TEST_TIMEOUT_MS = (data.limits.startupSeconds + 15 + runnable.reduce((s, c) => s + c.timeLimit + 5, 0)) * 1000;
/** The assignment's public grading: the mistakes it recognises from outputs alone. */
const grading = (): PublicGrading => (require(path.resolve(ROOT, data.publicModule)) as { grading: PublicGrading }).grading;
/** Files whose load failure a failing case has already explained. */
const explained = new Set<string>();

afterAll(() => local.stop());

async function check(c: PublicCase): Promise<void> {
  const { result, seconds } = await local.outcome(c);
  if (!result.ok) {
    const e = result.error!;
    if (e.kind !== 'load') throw caseFailure(errorText(c, e, seconds));
    const first = !explained.has(fileOf(c));
    explained.add(fileOf(c));
    throw caseFailure(loadFailureText(c, e, data, first));
  }
  const verdict = judgeCase({ target: c.call.target, tolerance: c.tolerance, partial: c.partial }, result, c.reference, grading().outputChecks);
  if (!verdict.passed) throw caseFailure(failureText(c, verdict));
  // A passed case can still get a remark from the grader (tensors left allocated): say it here too
  // (the summary, tests/summary-reporter.js, reads this line).
  const remarks = verdict.messages.filter((m) => m !== 'Passed.');
  if (remarks.length > 0) console.warn(`${questionOf.get(c.id)} ${c.id} passed, but the grader remarks: ${remarks.join(' ')}`);
}

for (const q of questions) {
  describe(groupName(q), () => {
    for (const c of q.cases) {
      if (!c.wholeRun) test(c.name, () => check(c), TEST_TIMEOUT_MS);
      else if (WITH_WHOLE_RUNS) test(c.name, () => check(c), TEST_TIMEOUT_MS);
      else test.skip(`${c.name} (a whole run: npm run test:runs)`, () => check(c));
    }
  });
}
