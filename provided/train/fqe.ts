// Fitted Q evaluation as a whole run (ALGORITHMS.md section 7): a critic Q_E and its target copy
// trained with the student's fqeUpdate on a dataset, then the student's estimate over the dataset's
// episode starts. Also the one fixed policy the grader evaluates (a tanh-MLP fitted to a dataset's
// actions by least squares), and the evaluation settings of training.yaml.
import * as tf from '@tensorflow/tfjs';
import { Dataset, datasetSize } from '../data/dataset';
import { GaussianPolicy } from '../nets/gaussian';
import { Mlp } from '../nets/mlp';
import { Rng } from '../runtime/rng';
import { FusedAdam } from './adam';
import { BatchSampler, disposeBatch } from './batch';
import type { FqeSettings } from './config';
import type { FqeAgent, Impl } from './impl';

// The settings live with the other training settings (config.ts), which load without TensorFlow.js.
export { fqeSettings, type FqeSettings } from './config';

export interface FqeResult {
  /** Mean of Q_E(s0, mu(s0)) over the dataset's episode starts. */
  estimate: number;
  /** How many episode starts the student's mask marked. */
  starts: number;
  /** Mean FQE loss over the last 10% of the steps. */
  finalLoss: number;
  seconds: number;
}


/** The FQE networks: Q_E on [s, a] and its target Q_E', an exact copy at the start. */
export function createFqeAgent(rng: Rng, obsDim: number, actDim: number, hidden: readonly number[], policy: GaussianPolicy): FqeAgent {
  const critic = Mlp.create(rng.fork('critic'), [obsDim + actDim, ...hidden, 1]);
  return { critic, criticTarget: critic.clone(), policy };
}

/** Every observation of the dataset as one [N, ds] tensor. */
const allObservations = (ds: Dataset): tf.Tensor2D => tf.tensor2d(ds.observations.data, [datasetSize(ds), ds.observations.cols]);

/**
 * Trains Q_E for `s.steps` updates of the student's fqeUpdate (Adam, minibatches from `rng`), then
 * returns the student's fqeEstimate over the starts marked by the student's episodeStartMask.
 * The policy is not changed and not disposed.
 */
export function runFqe(impl: Impl, ds: Dataset, policy: GaussianPolicy, s: FqeSettings, rng: Rng): FqeResult {
  if (datasetSize(ds) === 0) throw new RangeError('the dataset is empty');
  const started = Date.now();
  const agent = createFqeAgent(rng.fork('fqe'), ds.observations.cols, ds.actions.cols, s.hidden, policy);
  const optimizer = new FusedAdam(s.lr); // tf.train.adam's arithmetic, bit for bit, in fewer operations (adam.ts)
  const sampler = new BatchSampler(ds, rng.fork('batches'));
  const tail: number[] = [];
  try {
    for (let step = 1; step <= s.steps; step++) {
      const batch = sampler.next(s.batchSize);
      try {
        const { loss } = impl.fqe.fqeUpdate(agent, optimizer, batch, { gamma: s.gamma, rho: s.rho });
        if (step > s.steps * 0.9) tail.push(loss);
      } finally {
        disposeBatch(batch);
      }
    }
    const [estimate, starts] = tf.tidy(() => {
      const mask = impl.fqe.episodeStartMask(tf.tensor1d(ds.terminals), tf.tensor1d(ds.timeouts));
      const j = impl.fqe.fqeEstimate(agent.critic, policy, allObservations(ds), mask);
      return [j.dataSync()[0], tf.sum(mask).dataSync()[0]];
    });
    const finalLoss = tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length);
    return { estimate, starts, finalLoss, seconds: (Date.now() - started) / 1000 };
  } finally {
    agent.critic.dispose();
    if (agent.criticTarget !== agent.critic) agent.criticTarget.dispose();
    optimizer.dispose();
  }
}

/** The student's heuristic for an agent with two critics: mean over the dataset's states of min Q(s, mu(s)). */
export function heuristicScore(impl: Impl, ds: Dataset, q1: Mlp, q2: Mlp, policy: GaussianPolicy): number {
  return tf.tidy(() => impl.fqe.meanPolicyQ(q1, q2, policy, allObservations(ds)).dataSync()[0]);
}

/**
 * A fixed deterministic policy for evaluation exercises, built with the kit's code only: mu(s) =
 * tanh(MLP(s)) fitted to the dataset's actions by least squares, mean ||mu(s) - a||^2 (Adam).
 */
export function fitRegressionPolicy(ds: Dataset, hidden: readonly number[], steps: number, lr: number, batchSize: number, rng: Rng): GaussianPolicy {
  const policy = GaussianPolicy.create(rng.fork('policy'), ds.observations.cols, hidden, ds.actions.cols);
  const optimizer = new FusedAdam(lr);
  const sampler = new BatchSampler(ds, rng.fork('batches'));
  for (let step = 0; step < steps; step++) {
    const batch = sampler.next(batchSize);
    tf.tidy(() => {
      optimizer.minimize(() => tf.mean(tf.sum(tf.square(tf.sub(policy.mean(batch.observations), batch.actions)), 1)), false, policy.net.params);
    });
    disposeBatch(batch);
  }
  optimizer.dispose();
  return policy;
}
