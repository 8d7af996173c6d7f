/**
 * The `train` run: a short IQL training run with the student's own functions on the bundled
 * `stitch` dataset, evaluated in the maze. It returns plain data only (success rate, mean return,
 * the learning curve and a few final trajectories); the grader renders the pictures. It also
 * returns the final policy's parameters: the success rate that earns points is measured again
 * from them by the `evaluate` run in a trusted process (the run's `verify`, index.ts), because
 * everything the student's process reports could be made up.
 */
import { loadNamedDataset, DEFAULT_DATASET_DIR, readManifest } from '../../../provided/data/manifest';
import * as tf from '@tensorflow/tfjs';
import { ACT_DIM, OBS_DIM } from '../../../provided/maze/env';
import { getLayout } from '../../../provided/maze/layouts';
import { rollout, type RolloutResult } from '../../../provided/maze/rollout';
import { GaussianPolicy } from '../../../provided/nets/gaussian';
import { Rng } from '../../../provided/runtime/rng';
import { trainConfig } from '../../../provided/train/config';
import type { Impl, IqlAgent } from '../../../provided/train/impl';
import { runTraining } from '../../../provided/train/run';
import { LossTrace } from '../../../provided/plots/loss-trace';
import type { Modules } from '../../../grader/child/execute';
import type { HarnessOutput } from '../../../grader/child/harnesses';
import type { PlainArg, PlainTensor } from '../../../grader/child/protocol';
import { LOSS_EVERY, MAX_TRAJECTORIES, TRAIN_LOSSES, type TrainRun } from './envelopes';

export const TRAIN_DATASET = 'stitch';

const scalar = (x: number): PlainTensor => ({ shape: [], data: [x] });

/** The outputs that describe the final evaluation (the ones the trusted `evaluate` run replaces). */
function evaluationOutputs(final: RolloutResult): Record<string, PlainTensor> {
  const outputs: Record<string, PlainTensor> = { successRate: scalar(final.successRate), meanReturn: scalar(final.meanReturn) };
  const kept = final.trajectories.slice(0, MAX_TRAJECTORIES);
  kept.forEach((t, i) => (outputs[`trajectory:${i}`] = { shape: [t.points.length, 2], data: t.points.flatMap(([x, y]) => [x, y]) }));
  outputs.trajectorySuccess = { shape: [kept.length], data: kept.map((t) => (t.success ? 1 : 0)) };
  return outputs;
}

/** The final evaluation's roll-outs, seeded as runTraining seeds them (provided/train/run.ts). */
const finalRng = (seed: number): Rng => new Rng(seed).fork('evaluation').fork('final');

/**
 * Output names: successRate, meanReturn, curve [n, 2] (step, success rate), lossSteps [m] and
 * `loss:<name>` [m] (the mean loss over each LOSS_EVERY steps, at the window's last step),
 * `trajectory:<i>` [len, 2], trajectorySuccess [k], and `policy:<i>` (the final policy's
 * parameters, in GaussianPolicy.params order).
 */
export function trainHarness(modules: Modules, args: PlainArg[]): HarnessOutput {
  const impl = modules as unknown as Impl;
  const run = args[0] as unknown as TrainRun;
  const entry = readManifest(DEFAULT_DATASET_DIR).datasets[TRAIN_DATASET];
  const dataset = loadNamedDataset(TRAIN_DATASET, DEFAULT_DATASET_DIR);
  const layout = getLayout(entry.layout);
  const config = trainConfig('iql', { steps: run.steps, evalEpisodes: run.evalEpisodes, evalEvery: run.evalEvery, curveEpisodes: run.curveEpisodes });
  // The agent is the one the student's createIqlAgent builds; its policy is read after the last step.
  let agent: IqlAgent | undefined;
  let policy: PlainTensor[] = [];
  const watched: Impl = { ...impl, iql: { ...impl.iql, createIqlAgent: (...a) => (agent = impl.iql.createIqlAgent(...a)) } };
  const trace = new LossTrace(LOSS_EVERY);
  const onStep = (step: number, losses: Record<string, number>): void => {
    trace.record(step, Object.fromEntries(TRAIN_LOSSES.map((name) => [name, Number(losses?.[name])])));
    if (step === config.steps) policy = (agent?.policy?.params ?? []).map((p) => ({ shape: [...p.shape], data: Array.from(p.dataSync()) }));
  };
  const result = runTraining({ algo: 'iql', impl: watched, dataset, layout, config, seed: run.seed, onStep });
  const outputs: Record<string, PlainTensor> = {
    ...evaluationOutputs(result.final),
    curve: { shape: [result.curve.length, 2], data: result.curve.flatMap((p) => [p.step, p.successRate]) },
  };
  const points = trace.finish();
  const lossSteps = (points[TRAIN_LOSSES[0]] ?? []).map((p) => p.step);
  outputs.lossSteps = { shape: [lossSteps.length], data: lossSteps };
  for (const name of TRAIN_LOSSES) outputs[`loss:${name}`] = { shape: [lossSteps.length], data: (points[name] ?? []).map((p) => p.value) };
  policy.forEach((p, i) => (outputs[`policy:${i}`] = p));
  return { outputs };
}

/**
 * The policy a training run reported ([W0, b0, ..., logStd]), rebuilt with the kit's
 * GaussianPolicy; throws a one-line reason when the parameters are not such a policy.
 */
function rebuildPolicy(params: PlainTensor[]): GaussianPolicy {
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
 * The `evaluate` run (trusted processes only): args [run, policy:0, policy:1, ...]. Rolls the
 * reported policy out as runTraining's final evaluation does and returns the evaluation outputs.
 */
export function evaluateHarness(_modules: Modules, args: PlainArg[]): HarnessOutput {
  const run = args[0] as unknown as TrainRun;
  const layout = getLayout(readManifest(DEFAULT_DATASET_DIR).datasets[TRAIN_DATASET].layout);
  const policy = rebuildPolicy(args.slice(1) as PlainTensor[]);
  try {
    const act = (obs: Float32Array, n: number): Float32Array => tf.tidy(() => policy.mean(tf.tensor2d(obs, [n, OBS_DIM])).dataSync() as Float32Array);
    return { outputs: evaluationOutputs(rollout(layout, act, run.evalEpisodes, finalRng(run.seed))) };
  } finally {
    policy.dispose();
  }
}
