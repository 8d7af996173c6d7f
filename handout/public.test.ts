// The public tests: every visible case of the assignment, run on your functions in homework/ with
// the grader's own harness (grader/child) and judged by the grader's own comparison
// (grader/scoring/judge.ts), so a case passes here exactly when it passes in grading.
//   npm test                 every question (whole runs are skipped: they take tens of seconds)
//   npm test -- -t Q1.1      one question (or -t Q1 for a group)
//   npm run test:runs        also the whole runs (such as a short FQE run)
import * as path from 'node:path';
import type { PublicGrading } from '../grader/assignment/public-grading';
import { loadModules, runCall, type Loaded, type WholeRuns } from '../grader/child/execute';
import { errorMessage, judgeCase } from '../grader/scoring/judge';
import { initBackend } from '../provided/runtime/backend';
import { caseFailure, failureText, groupName, readPublicData, type PublicCase } from './public-cases';

const HOMEWORK = path.resolve(__dirname, '..', 'homework');
const data = readPublicData();
/** The assignment's public grading: its output checks, its whole runs (loaded on first use). */
const grading = (): PublicGrading => (require(path.resolve(__dirname, '..', data.publicModule)) as { grading: PublicGrading }).grading;
/** The whole runs a public case may ask for (a training run is checked with npm run train instead). */
const wholeRuns = (): WholeRuns => Object.fromEntries(Object.entries(grading().runs).map(([name, spec]) => [name, spec.run]));
const WITH_WHOLE_RUNS = process.env.npm_lifecycle_event === 'test:runs' || process.env.RLHW_WHOLE_RUNS === '1';
let loaded: Loaded;

beforeAll(async () => {
  process.env.RLHW_QUIET = process.env.RLHW_QUIET ?? '1';
  // The grader's backend, unless RLHW_BACKEND asks for another one.
  await initBackend(process.env.RLHW_BACKEND ? undefined : data.backend);
  loaded = loadModules(HOMEWORK, data.submission.map((f) => f.replace(/\.ts$/, '')));
});

function check(c: PublicCase): void {
  const result = runCall(loaded, c.call, c.wholeRun ? wholeRuns() : {});
  if (!result.ok) {
    const e = result.error!;
    throw caseFailure(e.kind === 'not-implemented' || e.kind === 'load' ? e.message : errorMessage(e));
  }
  const verdict = judgeCase({ target: c.call.target, tolerance: c.tolerance, partial: c.partial }, result, c.reference, grading().outputChecks);
  if (!verdict.passed) throw caseFailure(failureText(c, verdict));
}

for (const q of data.questions.filter((x) => x.kind === 'cases')) {
  describe(groupName(q), () => {
    for (const c of q.cases) {
      if (!c.wholeRun) test(c.name, () => check(c));
      else if (WITH_WHOLE_RUNS) test(c.name, () => check(c), 600_000);
      else test.skip(`${c.name} (a whole run: npm run test:runs)`, () => check(c));
    }
  });
}
