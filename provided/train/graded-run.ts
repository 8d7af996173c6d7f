// A short training run as an autograder runs it, end to end, with the student's own functions:
// train one algorithm on one bundled dataset, evaluate the policy in the maze, and return plain
// data only (the success rate, the mean return, the learning curve, the losses, a few final
// trajectories and the final policy's parameters). The grader draws the pictures. Because
// everything the student's process reports could be made up, the success rate that earns points
// is measured again from the reported policy by `gradedEvaluation`, in a trusted process.
//
// Both homeworks' public grading use it (assignments/*/public/): their `train` run is this with
// their algorithm and its losses, their `evaluate` run the trusted re-evaluation.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_DATASET_DIR, loadNamedDataset, readManifest } from '../data/manifest';
import { ACT_DIM, OBS_DIM } from '../maze/env';
import { getLayout } from '../maze/layouts';
import { rollout, type RolloutResult } from '../maze/rollout';
import { GaussianPolicy } from '../nets/gaussian';
import { LossTrace } from '../plots/loss-trace';
import { Rng } from '../runtime/rng';
import { trainConfig } from './config';
import type { Impl } from './impl';
import { runTraining } from './run';
import type { AlgoName } from './trainers';
import { LOSS_EVERY, MAX_TRAJECTORIES, type GradedRun, type PlainValues } from './graded-run-bounds';

export { gradedRunBounds, isEvaluationOutput, type GradedRun, type PlainValues } from './graded-run-bounds';

const scalar = (x: number): PlainValues => ({ shape: [], data: [x] });
const values = (t: tf.Tensor): PlainValues => ({ shape: [...t.shape], data: Array.from(t.dataSync()) });

/** The maze layout of a bundled dataset; throws a one-line reason for a name the manifest lacks. */
function layoutOf(dataset: string) {
  const entry = readManifest(DEFAULT_DATASET_DIR).datasets[dataset];
  if (!entry) throw new Error(`the run names dataset '${dataset}', which is not bundled`);
  return getLayout(entry.layout);
}

/** The outputs that describe the final evaluation (the ones `gradedEvaluation` measures again). */
function evaluationOutputs(final: RolloutResult): Record<string, PlainValues> {
  const outputs: Record<string, PlainValues> = { successRate: scalar(final.successRate), meanReturn: scalar(final.meanReturn) };
  const kept = final.trajectories.slice(0, MAX_TRAJECTORIES);
  kept.forEach((t, i) => (outputs[`trajectory:${i}`] = { shape: [t.points.length, 2], data: t.points.flatMap(([x, y]) => [x, y]) }));
  outputs.trajectorySuccess = { shape: [kept.length], data: kept.map((t) => (t.success ? 1 : 0)) };
  return outputs;
}

/** The final evaluation's roll-outs, seeded as runTraining seeds them (run.ts). */
const finalRng = (seed: number): Rng => new Rng(seed).fork('evaluation').fork('final');

/**
 * Trains `algo` with the student's functions (`impl`) on `run.dataset`, with the algorithm's
 * settings from its training file and the run's budget. Output names: successRate, meanReturn,
 * curve [n, 2] (step, success rate), lossSteps [m] and `loss:<name>` [m] for each of `losses` (the
 * mean over each LOSS_EVERY steps, at the window's last step), `trajectory:<i>` [len, 2],
 * trajectorySuccess [k], and `policy:<i>` (the final policy's parameters, in GaussianPolicy.params
 * order).
 */
export function gradedTraining(algo: AlgoName, impl: Impl, run: GradedRun, losses: readonly string[]): Record<string, PlainValues> {
  const layout = layoutOf(run.dataset);
  const dataset = loadNamedDataset(run.dataset, DEFAULT_DATASET_DIR);
  const config = trainConfig(algo, { steps: run.steps, evalEpisodes: run.evalEpisodes, evalEvery: run.evalEvery, curveEpisodes: run.curveEpisodes });
  const trace = new LossTrace(LOSS_EVERY);
  let policy: PlainValues[] = [];
  const result = runTraining({
    algo,
    impl,
    dataset,
    layout,
    config,
    seed: run.seed,
    onStep: (step, stepLosses, nets) => {
      trace.record(step, Object.fromEntries(losses.map((name) => [name, Number(stepLosses?.[name])])));
      // The policy the student's agent holds after the last step (read before the trainer disposes it).
      if (step === config.steps) policy = (nets?.policy?.params ?? []).map(values);
    },
  });
  const outputs: Record<string, PlainValues> = {
    ...evaluationOutputs(result.final),
    curve: { shape: [result.curve.length, 2], data: result.curve.flatMap((p) => [p.step, p.successRate]) },
  };
  const points = trace.finish();
  const lossSteps = (points[losses[0]] ?? []).map((p) => p.step);
  outputs.lossSteps = { shape: [lossSteps.length], data: lossSteps };
  for (const name of losses) outputs[`loss:${name}`] = { shape: [lossSteps.length], data: (points[name] ?? []).map((p) => p.value) };
  policy.forEach((p, i) => (outputs[`policy:${i}`] = p));
  return outputs;
}

/**
 * The policy a training run reported ([W0, b0, ..., logStd]), rebuilt with the kit's
 * GaussianPolicy; throws a one-line reason when the parameters are not such a policy.
 */
function rebuildPolicy(params: PlainValues[]): GaussianPolicy {
  const weights = params.slice(0, -1).filter((_, i) => i % 2 === 0);
  const sizes = [OBS_DIM, ...weights.map((w) => w.shape[1])];
  const fits =
    params.length >= 3 &&
    params.length % 2 === 1 &&
    params.every((p) => p.data.length === p.shape.reduce((a, b) => a * b, 1) && p.data.every(Number.isFinite)) &&
    weights.every((w, l) => w.shape.length === 2 && w.shape[0] === sizes[l] && params[2 * l + 1].shape.join() === String(w.shape[1])) &&
    sizes[sizes.length - 1] === ACT_DIM &&
    params[params.length - 1].shape.join() === String(ACT_DIM);
  if (!fits) throw new Error('the training run did not return a Gaussian policy of the maze (observation 2, action 2) with finite parameters');
  const policy = GaussianPolicy.create(new Rng(0), OBS_DIM, sizes.slice(1, -1), ACT_DIM);
  tf.tidy(() => policy.params.forEach((v, i) => v.assign(tf.tensor(params[i].data, params[i].shape, 'float32'))));
  return policy;
}

/**
 * Trusted processes only: rolls the reported policy out as runTraining's final evaluation does
 * (same layout, episodes and seed) and returns the evaluation outputs.
 */
export function gradedEvaluation(run: GradedRun, params: PlainValues[]): Record<string, PlainValues> {
  const layout = layoutOf(run.dataset);
  const policy = rebuildPolicy(params);
  try {
    const act = (obs: Float32Array, n: number): Float32Array => tf.tidy(() => policy.mean(tf.tensor2d(obs, [n, OBS_DIM])).dataSync() as Float32Array);
    return evaluationOutputs(rollout(layout, act, run.evalEpisodes, finalRng(run.seed)));
  } finally {
    policy.dispose();
  }
}
