/**
 * From the runner's plain results to the report model: one CaseReport per case, points split
 * within a question by case weight, hints from the diagnostics, and nothing about expected values
 * for cases that are not visible.
 */
import type { Assignment, CaseSpec } from '../assignment/types';
import type { CaseReport, GradeReport, QuestionReport } from '../report/model';
import type { CallOutcome } from '../runner/run-calls';
import { errorMessage, judgeCase } from './judge';
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
    return { ...base, score: 0, status: 'failed', messages: [student ? errorMessage(student.result.error!) : 'This case did not run.'] };
  }
  // Training cases are scored by thresholds on the success rate, not against the reference.
  if (isTrainingCase(spec)) return scoreTraining(spec, base, student);
  const reference = input.reference.get(spec.id);
  if (!reference) throw new Error(`no reference result for case ${spec.id}`);
  const verdict = judgeCase(spec, student.result, reference);
  const report: CaseReport = { ...base, score: round(maxScore * verdict.fraction), status: verdict.passed ? 'passed' : 'failed', messages: verdict.messages };
  if (verdict.hint) report.hint = verdict.hint;
  if (visible && verdict.details.length > 0) report.details = verdict.details;
  return report;
}

export function buildReport(input: ScoreInput): GradeReport {
  const a = input.assignment;
  // Manual (written) questions are graded by staff in Gradescope: never part of the report or results.json.
  const questions: QuestionReport[] = a.questions.filter((q) => !q.manual).map((q) => {
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
