// What a report shows of a graded training run (provided/train/graded-run.ts): one sentence on
// the success rate its policy reached, and two pictures, the final trajectories in the maze and
// the learning curve (success rate and each loss on a panel of its own, log scale where a loss
// spans a decade). Each picture is drawn on its own, when the report asks for it.
import { readManifest } from '../data/manifest';
import { getLayout } from '../maze/layouts';
import { renderSvg } from '../maze/render-svg';
import type { PlainValues } from '../train/graded-run-bounds';
import type { CurvePoint } from './learning-curve';
import { renderTrainingCurveSvg, trainingPanels } from './training-curve';

/** A picture to draw: its title and its SVG text (or a promise of it). */
export interface RunFigure {
  title: string;
  draw(): string | Promise<string>;
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
const scalarOf = (t: PlainValues | undefined): number => (t && t.data.length === 1 && Number.isFinite(t.data[0]) ? t.data[0] : NaN);

/** "Your IQL, trained on the stitch dataset, reached a success rate of 90% (mean return 0.812)." */
export function describeTrainingRun(algoLabel: string, dataset: string, outputs: Record<string, PlainValues>): string {
  const meanReturn = scalarOf(outputs.meanReturn);
  return `Your ${algoLabel}, trained on the ${dataset} dataset, reached a success rate of ${pct(scalarOf(outputs.successRate))}${Number.isFinite(meanReturn) ? ` (mean return ${meanReturn.toFixed(3)})` : ''}.`;
}

/** The final trajectories the run sent back, as drawable paths. */
function trajectories(outputs: Record<string, PlainValues>): { points: [number, number][]; success: boolean }[] {
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

/**
 * The losses a training run reported: `loss:<name>` [m], at the steps of `lossSteps` [m] when the run
 * recorded losses more often than it evaluated, else at the evaluations' steps.
 */
export function reportedLosses(outputs: Record<string, PlainValues>, evalSteps: number[]): Record<string, CurvePoint[]> {
  const lossSteps = outputs.lossSteps?.data;
  const losses: Record<string, CurvePoint[]> = {};
  for (const [key, t] of Object.entries(outputs)) {
    if (!key.startsWith('loss:')) continue;
    const steps = lossSteps && t.data.length === lossSteps.length ? lossSteps : t.data.length === evalSteps.length ? evalSteps : undefined;
    if (steps) losses[key.slice(5)] = steps.map((step, i) => ({ step, value: t.data[i] }));
  }
  return losses;
}

/** The maze with the final trajectories, then the learning curve when the run reported one. */
export function trainingRunFigures(algoLabel: string, dataset: string, outputs: Record<string, PlainValues>): RunFigure[] {
  const figures: RunFigure[] = [
    {
      title: 'Final evaluation trajectories',
      draw: () => {
        const paths = trajectories(outputs);
        const layout = getLayout(readManifest().datasets[dataset].layout);
        const wins = paths.filter((p) => p.success).length;
        return renderSvg(layout, paths, { title: `${layout.name}: ${wins}/${paths.length} shown reached the goal` });
      },
    },
  ];
  const curve = outputs.curve;
  if (curve && curve.shape.length === 2 && curve.shape[1] === 2) {
    const steps = Array.from({ length: curve.shape[0] }, (_, i) => curve.data[2 * i]);
    const success = steps.map((step, i) => ({ step, value: curve.data[2 * i + 1] }));
    figures.push({ title: 'Learning curve', draw: () => renderTrainingCurveSvg(trainingPanels(success, reportedLosses(outputs, steps)), { title: `${algoLabel} on ${dataset}: learning curve` }) });
  }
  return figures;
}
