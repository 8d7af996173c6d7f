/**
 * What a student sees of the end-to-end IQL training run (the `train` run): one sentence on the
 * success rate its policy reached (measured again by the trusted `evaluate` run), and for the
 * visible case the final trajectories in the maze and the learning curve (success rate and each
 * loss on a panel of its own, log scale where a loss spans a decade).
 */
import type { FigureDrawing, RunReport } from '../../../grader/assignment/plugin';
import type { PlainTensor } from '../../../grader/child/protocol';
import { readManifest } from '../../../provided/data/manifest';
import { getLayout } from '../../../provided/maze/layouts';
import { renderSvg } from '../../../provided/maze/render-svg';
import type { CurvePoint } from '../../../provided/plots/learning-curve';
import { renderTrainingCurveSvg, trainingPanels } from '../../../provided/plots/training-curve';

/** The dataset the training run uses (public/train.ts). */
const TRAIN_DATASET = 'stitch';
const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;
const scalarOf = (t: PlainTensor | undefined): number => (t && t.data.length === 1 && Number.isFinite(t.data[0]) ? t.data[0] : NaN);

/** The final trajectories the run sent back, as drawable paths. */
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

function trainingFigures(outputs: Record<string, PlainTensor>): FigureDrawing[] {
  const figures: FigureDrawing[] = [
    {
      title: 'Final evaluation trajectories',
      draw: () => {
        const paths = trajectories(outputs);
        const layout = getLayout(readManifest().datasets[TRAIN_DATASET].layout);
        const wins = paths.filter((p) => p.success).length;
        return renderSvg(layout, paths, { title: `${layout.name}: ${wins}/${paths.length} shown reached the goal` });
      },
    },
  ];
  const curve = outputs.curve;
  if (curve && curve.shape.length === 2 && curve.shape[1] === 2) {
    const steps = Array.from({ length: curve.shape[0] }, (_, i) => curve.data[2 * i]);
    const success = steps.map((step, i) => ({ step, value: curve.data[2 * i + 1] }));
    figures.push({ title: 'Learning curve', draw: () => renderTrainingCurveSvg(trainingPanels(success, reportedLosses(outputs, steps)), { title: `IQL on ${TRAIN_DATASET}: learning curve` }) });
  }
  return figures;
}

export const REPORTS: Record<string, RunReport> = {
  train: {
    describe: (_spec, outputs) => {
      const meanReturn = scalarOf(outputs.meanReturn);
      return [`Your IQL, trained on the ${TRAIN_DATASET} dataset, reached a success rate of ${pct(scalarOf(outputs.successRate))}${Number.isFinite(meanReturn) ? ` (mean return ${meanReturn.toFixed(3)})` : ''}.`];
    },
    figures: (_spec, outputs) => trainingFigures(outputs),
  },
};
