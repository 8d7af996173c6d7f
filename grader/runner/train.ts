/**
 * The `train` harness: a short IQL training run with the student's own functions on the bundled
 * `stitch` dataset, evaluated in the maze. It returns plain data only (success rate, mean return,
 * the learning curve and a few final trajectories); the parent renders the pictures.
 */
import { loadNamedDataset, DEFAULT_DATASET_DIR, readManifest } from '../../provided/data/manifest';
import { getLayout } from '../../provided/maze/layouts';
import { trainConfig } from '../../provided/train/config';
import type { Impl } from '../../provided/train/impl';
import { runTraining } from '../../provided/train/run';
import type { HarnessOutput } from './harnesses';
import type { PlainArg, PlainTensor } from './protocol';

/** The budget of one run, as the `training` generator builds it. */
export interface TrainRun {
  steps: number;
  evalEpisodes: number;
  evalEvery: number;
  curveEpisodes: number;
  seed: number;
}

export const TRAIN_DATASET = 'stitch';
/** At most this many final trajectories travel back to the parent. */
export const MAX_TRAJECTORIES = 10;

const scalar = (x: number): PlainTensor => ({ shape: [], data: [x] });

/** Output names: successRate, meanReturn, curve [n, 2] (step, success rate), `loss:<name>` [n], `trajectory:<i>` [len, 2], trajectorySuccess [k]. */
export function trainHarness(impl: Impl, args: PlainArg[]): HarnessOutput {
  const run = args[0] as unknown as TrainRun;
  const entry = readManifest(DEFAULT_DATASET_DIR).datasets[TRAIN_DATASET];
  const dataset = loadNamedDataset(TRAIN_DATASET, DEFAULT_DATASET_DIR);
  const layout = getLayout(entry.layout);
  const config = trainConfig('iql', { steps: run.steps, evalEpisodes: run.evalEpisodes, evalEvery: run.evalEvery, curveEpisodes: run.curveEpisodes });
  const result = runTraining({ algo: 'iql', impl, dataset, layout, config, seed: run.seed });
  const outputs: Record<string, PlainTensor> = {
    successRate: scalar(result.successRate),
    meanReturn: scalar(result.meanReturn),
    curve: { shape: [result.curve.length, 2], data: result.curve.flatMap((p) => [p.step, p.successRate]) },
  };
  const lossNames = [...new Set(result.curve.flatMap((p) => Object.keys(p.losses)))];
  for (const name of lossNames) outputs[`loss:${name}`] = { shape: [result.curve.length], data: result.curve.map((p) => Number(p.losses[name])) };
  const kept = result.final.trajectories.slice(0, MAX_TRAJECTORIES);
  kept.forEach((t, i) => (outputs[`trajectory:${i}`] = { shape: [t.points.length, 2], data: t.points.flatMap(([x, y]) => [x, y]) }));
  outputs.trajectorySuccess = { shape: [kept.length], data: kept.map((t) => (t.success ? 1 : 0)) };
  return { outputs };
}
