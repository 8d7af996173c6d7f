/**
 * Scoring of whole runs with thresholds (a training run): the share of the points comes from the
 * run's metric (its `metric` output, such as a success rate) through the case's thresholds (the
 * best threshold reached counts). What the student reads about the run, and its pictures, come
 * from the assignment's private report of that run.
 */
import type { FigureDrawing, RunReport } from '../assignment/plugin';
import type { CaseSpec, Threshold } from '../assignment/types';
import type { PlainTensor } from '../child/protocol';
import type { CaseReport, GradeReport } from '../report/model';
import type { CallOutcome } from '../runner/run-calls';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;
const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** The best fraction among the thresholds reached (0 when none is). */
export function thresholdFraction(value: number, thresholds: Threshold[]): number {
  return thresholds.filter((t) => value >= t.success - 1e-9).reduce((best, t) => Math.max(best, t.fraction), 0);
}

export function describeThresholds(thresholds: Threshold[], metricLabel: string): string {
  return [...thresholds]
    .sort((a, b) => b.success - a.success)
    .map((t) => `${pct(t.fraction)} of the points at a ${metricLabel} of at least ${pct(t.success)}`)
    .join(', ');
}

const scalarOf = (t: PlainTensor | undefined): number => (t && t.data.length === 1 && Number.isFinite(t.data[0]) ? t.data[0] : NaN);

/** The metric a finished run reached (NaN when its outputs do not say). */
export function runMetric(outcome: CallOutcome | undefined, metric: string): number {
  return outcome?.result.ok ? scalarOf(outcome.result.outputs[metric]) : NaN;
}

/** Grades one case scored by thresholds whose run finished. */
export function scoreRun(spec: CaseSpec, base: Omit<CaseReport, 'score' | 'status' | 'messages'>, outcome: CallOutcome, metric: { metric: string; metricLabel: string }, report: RunReport): CaseReport {
  const thresholds = spec.thresholds ?? [];
  const value = runMetric(outcome, metric.metric);
  const top = Math.max(...thresholds.map((t) => t.fraction), 0);
  if (!Number.isFinite(value)) return { ...base, score: 0, status: 'failed', messages: [`The run did not report its ${metric.metricLabel}.`] };
  const fraction = thresholdFraction(value, thresholds);
  const messages = [...report.describe(spec, outcome.result.outputs), `Thresholds: ${describeThresholds(thresholds, metric.metricLabel)}; this run earns ${pct(fraction)} of the points.`];
  return { ...base, score: round(base.maxScore * fraction), status: fraction >= top - 1e-9 && top > 0 ? 'passed' : 'failed', messages };
}

/**
 * Adds the pictures of each visible, finished run scored by thresholds to its case. Drawing may
 * need what a machine lacks (vega is a dynamic import): a figure that cannot be drawn is left out
 * and a note says so, rather than failing the case; the others are still drawn.
 */
export async function addRunFigures(report: GradeReport, cases: { spec: CaseSpec; report: RunReport }[], student: Map<string, CallOutcome>): Promise<void> {
  for (const { spec, report: runReport } of cases) {
    const outcome = student.get(spec.id);
    const caseReport = report.questions.flatMap((q) => q.cases).find((c) => c.id === spec.id);
    if (!caseReport || spec.visibility !== 'visible' || !outcome?.result.ok || !runReport.figures) continue;
    const why = (err: unknown) => String((err as Error)?.message ?? err).split('\n')[0].slice(0, 120);
    let drawings: FigureDrawing[];
    try {
      drawings = runReport.figures(spec, outcome.result.outputs);
    } catch (err) {
      report.notes.push(`The figures of ${spec.name} could not be drawn (${why(err)}).`);
      continue;
    }
    for (const d of drawings) {
      try {
        (caseReport.figures ??= []).push({ title: d.title, svg: await d.draw() });
      } catch (err) {
        report.notes.push(`The figure "${d.title}" of ${spec.name} could not be drawn (${why(err)}).`);
      }
    }
  }
}
