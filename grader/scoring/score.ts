/**
 * From the runner's plain results to the report model: one CaseReport per case, points split
 * within a question by case weight, hints from the diagnostics, and nothing about expected values
 * for cases that are not visible.
 */
import { loadPrivate, loadPublic, type RunReport } from '../assignment/plugin';
import type { Assignment, CaseSpec } from '../assignment/types';
import type { UploadCheck } from '../intake';
import type { CaseReport, GradeReport, QuestionReport } from '../report/model';
import type { CallOutcome } from '../runner/run-calls';
import { errorMessage, judgeCase } from './judge';
import { isThresholdCase } from '../cases/build';
import { runMetric, scoreRun } from './runs';

export interface ScoreInput {
  assignment: Assignment;
  student: Map<string, CallOutcome>;
  reference: Map<string, CallOutcome>;
  /** Student files that were missing or unusable (e.g. "file.ts"). */
  missingFiles: string[];
  submission: string;
  backend: string;
  intakeProblems: string[];
  /** The intake's verdict on the upload: the first line of the output, and why each file was not used. */
  upload?: UploadCheck;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The metric and the report of a case scored by thresholds (its run's, from the assignment's grading). */
export function scoredRun(a: Assignment, spec: CaseSpec): { metric: string; metricLabel: string; report: RunReport } {
  const harness = loadPublic(a).targets[spec.target]?.harness;
  const run = harness?.kind === 'run' ? loadPublic(a).runs[harness.run] : undefined;
  const report = harness?.kind === 'run' ? loadPrivate(a).reports[harness.run] : undefined;
  if (!run?.metric || !report) throw new Error(`case ${spec.id}: thresholds need a run with a metric and a report (rlgrade validate says which)`);
  return { metric: run.metric, metricLabel: run.metricLabel ?? run.metric, report };
}

/** Grades one case. */
export function scoreCase(spec: CaseSpec, maxScore: number, input: ScoreInput): CaseReport {
  const base = { id: spec.id, question: spec.question, name: spec.name, visibility: spec.visibility, maxScore: round(maxScore) };
  const visible = spec.visibility === 'visible';
  const file = `${spec.target.split('.')[0]}.ts`;
  const student = input.student.get(spec.id);
  if (input.missingFiles.includes(file)) {
    const why = input.upload?.why[file] ?? `${file} was not submitted (or could not be used)`;
    return { ...base, score: 0, status: 'failed', messages: [`${why}, so this case could not run.`] };
  }
  if (!student || !student.result.ok) {
    return { ...base, score: 0, status: 'failed', messages: [student ? errorMessage(student.result.error!) : 'This case did not run.'] };
  }
  // Runs scored by thresholds on their metric (a training run's success rate), not against the reference.
  if (isThresholdCase(spec)) {
    const { metric, metricLabel, report } = scoredRun(input.assignment, spec);
    return scoreRun(spec, base, student, { metric, metricLabel }, report);
  }
  const reference = input.reference.get(spec.id);
  if (!reference) throw new Error(`no reference result for case ${spec.id}`);
  const verdict = judgeCase(spec, student.result, reference, loadPublic(input.assignment).outputChecks);
  const report: CaseReport = { ...base, score: round(maxScore * verdict.fraction), status: verdict.passed ? 'passed' : 'failed', messages: verdict.messages };
  if (verdict.hint) report.hint = verdict.hint;
  if (visible && verdict.details.length > 0) report.details = verdict.details;
  return report;
}

/** "Q1.1, Q1.2 and Q1.3". */
const listed = (ids: string[]): string => (ids.length <= 1 ? ids.join('') : `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`);

/**
 * End-to-end cases earn nothing unless every case of the questions they require passed: the run
 * reports its own result, which the code under test could forge, while the function cases cannot
 * be passed without computing the right values. Returns the ids of the cases held back.
 */
function applyRequirements(questions: QuestionReport[], a: ScoreInput['assignment']): Set<string> {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const held = new Set<string>();
  for (const spec of a.cases.filter((c) => c.requires)) {
    const question = byId.get(spec.question);
    const report = question?.cases.find((c) => c.id === spec.id);
    const unmet = spec.requires!.filter((r) => byId.get(r)?.cases.some((c) => c.status !== 'passed'));
    if (!question || !report || unmet.length === 0) continue;
    held.add(spec.id);
    if (report.score > 0) report.messages = [`Not awarded: this end-to-end case earns points only when every case of ${listed(spec.requires!)} passes (not yet: ${listed(unmet)}).`, ...report.messages];
    report.score = 0;
    report.status = 'failed';
    question.earned = round(question.cases.reduce((sum, c) => sum + c.score, 0));
  }
  return held;
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
  const held = applyRequirements(questions, a);
  // Each case with a leaderboard entry reports its run's metric (0 when the run failed or was not awarded).
  const leaderboard = a.cases
    .filter((c) => c.leaderboard && isThresholdCase(c))
    .map((c) => {
      const success = held.has(c.id) ? 0 : runMetric(input.student.get(c.id), scoredRun(a, c).metric);
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
    ...(input.upload?.headline && input.upload.status !== 'complete' ? { upload: { status: input.upload.status, headline: input.upload.headline } } : {}),
    notes: [],
    ...(leaderboard.length > 0 ? { leaderboard } : {}),
  };
}
