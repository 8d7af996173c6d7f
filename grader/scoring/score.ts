/**
 * From the runner's plain results to the report model: one CaseReport per case, points split
 * within a question by case weight, hints from the diagnostics, and nothing about expected values
 * for cases that are not visible.
 */
import type { Assignment, CaseSpec } from '../assignment/types';
import { matchVariant } from '../diagnostics/match';
import type { CaseReport, GradeReport, QuestionReport } from '../report/model';
import type { CallOutcome } from '../runner/run-calls';
import { compareChanged, compareOutputs } from './compare';
import { isTrainingCase } from '../cases/build';
import { scoreTraining, trainingSuccess } from './train';

export interface ScoreInput {
  assignment: Assignment;
  student: Map<string, CallOutcome>;
  reference: Map<string, CallOutcome>;
  /** Student files that were missing or unusable (e.g. "iql.ts"). */
  missingFiles: string[];
  submission: string;
  backend: string;
  intakeProblems: string[];
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

function errorMessage(o: CallOutcome): string {
  const e = o.result.error!;
  const at = e.where ? ` (at ${e.where})` : '';
  switch (e.kind) {
    case 'not-implemented':
      return `${e.message}${at}.`;
    case 'bad-return':
      return `Wrong kind of return value: ${e.message}${at}.`;
    case 'timeout':
    case 'crashed':
      return `This case did not finish: ${e.message}.`;
    default:
      return `Your code threw an error: ${e.message}${at}.`;
  }
}

/** Grades one case. */
export function scoreCase(spec: CaseSpec, maxScore: number, input: ScoreInput): CaseReport {
  const base = { id: spec.id, question: spec.question, name: spec.name, visibility: spec.visibility, maxScore: round(maxScore) };
  const visible = spec.visibility === 'visible';
  const file = `${spec.target.split('.')[0]}.ts`;
  const student = input.student.get(spec.id);
  if (input.missingFiles.includes(file)) {
    return { ...base, score: 0, status: 'failed', messages: [`${file} was not submitted (or could not be used), so this case could not run.`] };
  }
  if (!student || !student.result.ok) {
    return { ...base, score: 0, status: 'failed', messages: [student ? errorMessage(student) : 'This case did not run.'] };
  }
  // Training cases are scored by thresholds on the success rate, not against the reference.
  if (isTrainingCase(spec)) return scoreTraining(spec, base, student);
  const reference = input.reference.get(spec.id);
  if (!reference) throw new Error(`no reference result for case ${spec.id}`);
  const cmp = compareOutputs(student.result.outputs, reference.result.outputs, spec.tolerance);
  const changed = compareChanged(student.result.changed, reference.result.changed);
  const passed = cmp.passed && changed.length === 0;
  const fraction = changed.length > 0 ? 0 : spec.partial === 'fraction' ? cmp.fraction : passed ? 1 : 0;
  const messages = passed ? ['Passed.'] : [...changed, ...cmp.messages];
  const extraLeak = student.result.leaked - reference.result.leaked;
  if (extraLeak > 0) messages.push(`Your code left ${extraLeak} more tensor(s) allocated than the reference; wrap intermediate work in tf.tidy.`);
  const report: CaseReport = { ...base, score: round(maxScore * fraction), status: passed ? 'passed' : 'failed', messages };
  if (!passed) {
    const hint = matchVariant(spec.target, student.result.outputs, reference.variants, spec.tolerance);
    if (hint) report.hint = hint;
    if (visible && cmp.details.length > 0) report.details = cmp.details;
  }
  return report;
}

export function buildReport(input: ScoreInput): GradeReport {
  const a = input.assignment;
  const questions: QuestionReport[] = a.questions.map((q) => {
    const specs = a.cases.filter((c) => c.question === q.id);
    const weights = specs.reduce((s, c) => s + c.weight, 0);
    const cases = specs.map((c) => scoreCase(c, (q.points * c.weight) / weights, input));
    const title = q.extraCredit ? `${q.title} (extra credit)` : q.title;
    return { id: q.id, title, points: q.points, earned: round(cases.reduce((s, c) => s + c.score, 0)), cases };
  });
  // Each training case with a leaderboard entry reports its success rate (0 when the run failed).
  const leaderboard = a.cases
    .filter((c) => c.leaderboard && isTrainingCase(c))
    .map((c) => {
      const success = trainingSuccess(input.student.get(c.id));
      return { name: c.leaderboard!.name, value: Number.isFinite(success) ? round(success) : 0, order: c.leaderboard!.order };
    });
  return {
    assignment: a.title,
    submission: input.submission,
    gradedAt: new Date().toISOString(),
    backend: input.backend,
    questions,
    total: round(questions.reduce((s, q) => s + q.earned, 0)),
    maxTotal: a.totalPoints,
    intakeProblems: input.intakeProblems,
    notes: [],
    ...(leaderboard.length > 0 ? { leaderboard } : {}),
  };
}
