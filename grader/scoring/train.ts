/**
 * Scoring of training cases: the share of the points comes from the success rate the student's
 * own training run reached, through the case's thresholds (the best threshold reached counts).
 * The runner sent plain data only; the maze picture and the learning curve are drawn here.
 */
import type { CaseSpec, Threshold } from '../assignment/types';
import { getLayout } from '../../provided/maze/layouts';
import { renderSvg } from '../../provided/maze/render-svg';
import { readManifest } from '../../provided/data/manifest';
import type { CurvePoint } from '../../provided/plots/learning-curve';
import { renderTrainingCurveSvg, trainingPanels } from '../../provided/plots/training-curve';
import type { CaseReport, GradeReport } from '../report/model';
import type { PlainTensor } from '../child/protocol';
import type { CallOutcome } from '../runner/run-calls';

/** The dataset the train harness uses (see grader/child/train.ts). */
const TRAIN_DATASET = 'stitch';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** The best fraction among the thresholds reached (0 when none is). */
export function thresholdFraction(success: number, thresholds: Threshold[]): number {
  return thresholds.filter((t) => success >= t.success - 1e-9).reduce((best, t) => Math.max(best, t.fraction), 0);
}

export function describeThresholds(thresholds: Threshold[]): string {
  return [...thresholds]
    .sort((a, b) => b.success - a.success)
    .map((t) => `${pct(t.fraction)} of the points at a success rate of at least ${pct(t.success)}`)
    .join(', ');
}

const scalarOf = (t: PlainTensor | undefined): number => (t && t.data.length === 1 && Number.isFinite(t.data[0]) ? t.data[0] : NaN);

/** The success rate a finished training case reached (NaN when the outputs do not say). */
export function trainingSuccess(outcome: CallOutcome | undefined): number {
  return outcome?.result.ok ? scalarOf(outcome.result.outputs.successRate) : NaN;
}

/** The final trajectories the runner sent back, as drawable paths. */
function trajectories(outputs: Record<string, PlainTensor>): { points: [number, number][]; success: boolean }[] {
  const success = outputs.trajectorySuccess?.data ?? [];
  const out: { points: [number, number][]; success: boolean }[] = [];
  for (let i = 0; outputs[`trajectory:${i}`]; i++) {
    const t = outputs[`trajectory:${i}`];
    const points: [number, number][] = [];
    for (let k = 0; k + 1 < t.data.length; k += 2) if (Number.isFinite(t.data[k]) && Number.isFinite(t.data[k + 1])) points.push([t.data[k], t.data[k + 1]]);
    out.push({ points, success: success[i] === 1 });
  }
  return out;
}

/** Grades one training case whose run finished. */
export function scoreTraining(spec: CaseSpec, base: Omit<CaseReport, 'score' | 'status' | 'messages'>, outcome: CallOutcome): CaseReport {
  const thresholds = spec.thresholds ?? [];
  const success = trainingSuccess(outcome);
  const meanReturn = scalarOf(outcome.result.outputs.meanReturn);
  const top = Math.max(...thresholds.map((t) => t.fraction), 0);
  if (!Number.isFinite(success)) {
    return { ...base, score: 0, status: 'failed', messages: ['The training run did not report a success rate.'] };
  }
  const fraction = thresholdFraction(success, thresholds);
  const messages = [
    `Your IQL, trained on the ${TRAIN_DATASET} dataset, reached a success rate of ${pct(success)}${Number.isFinite(meanReturn) ? ` (mean return ${meanReturn.toFixed(3)})` : ''}.`,
    `Thresholds: ${describeThresholds(thresholds)}; this run earns ${pct(fraction)} of the points.`,
  ];
  const report: CaseReport = { ...base, score: round(base.maxScore * fraction), status: fraction >= top - 1e-9 && top > 0 ? 'passed' : 'failed', messages };
  if (spec.visibility === 'visible') {
    const paths = trajectories(outcome.result.outputs);
    const layout = getLayout(readManifest().datasets[TRAIN_DATASET].layout);
    const wins = paths.filter((p) => p.success).length;
    report.figures = [{ title: 'Final evaluation trajectories', svg: renderSvg(layout, paths, { title: `${layout.name}: ${wins}/${paths.length} shown reached the goal` }) }];
  }
  return report;
}

/**
 * The losses a training run reported: `loss:<name>` [m], at the steps of `lossSteps` [m] when the run
 * recorded losses more often than it evaluated, else at the evaluations' steps.
 */
export function reportedLosses(outputs: Record<string, PlainTensor>, evalSteps: number[]): Record<string, CurvePoint[]> {
  const lossSteps = outputs.lossSteps?.data;
  const losses: Record<string, CurvePoint[]> = {};
  for (const [key, t] of Object.entries(outputs)) {
    if (!key.startsWith('loss:')) continue;
    const steps = lossSteps && t.data.length === lossSteps.length ? lossSteps : t.data.length === evalSteps.length ? evalSteps : undefined;
    if (steps) losses[key.slice(5)] = steps.map((step, i) => ({ step, value: t.data[i] }));
  }
  return losses;
}

/**
 * Adds the learning curve of each visible, finished training case to its figures: the success
 * rate and each loss on a panel of its own (log scale where a loss spans a decade). The curve is
 * drawn with vega (a dynamic import); where that is not available the figure is left out and a
 * note says so rather than failing the case.
 */
export async function addLearningCurves(report: GradeReport, cases: CaseSpec[], student: Map<string, CallOutcome>): Promise<void> {
  for (const spec of cases) {
    const outcome = student.get(spec.id);
    const caseReport = report.questions.flatMap((q) => q.cases).find((c) => c.id === spec.id);
    if (!caseReport || spec.visibility !== 'visible' || !outcome?.result.ok) continue;
    const o = outcome.result.outputs;
    const curve = o.curve;
    if (!curve || curve.shape.length !== 2 || curve.shape[1] !== 2) continue;
    const steps = Array.from({ length: curve.shape[0] }, (_, i) => curve.data[2 * i]);
    const success = steps.map((step, i) => ({ step, value: curve.data[2 * i + 1] }));
    try {
      const svg = await renderTrainingCurveSvg(trainingPanels(success, reportedLosses(o, steps)), { title: `IQL on ${TRAIN_DATASET}: learning curve` });
      (caseReport.figures ??= []).push({ title: 'Learning curve', svg });
    } catch (err) {
      report.notes.push(`The learning curve of ${spec.name} could not be drawn (${String((err as Error)?.message ?? err).split('\n')[0].slice(0, 120)}); the maze figure is shown instead.`);
    }
  }
}
