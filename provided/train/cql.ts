// Conservative Q-learning in the training loop (docs/contract.md §9; Kumar, Zhou, Tucker & Levine,
// NeurIPS 2020): the types the student's cql.ts meets, and the trainer that draws each update's
// sampled actions and calls the student's cqlUpdate.
//
// The CQL homework's reference lives in assignments/cql/solutions/ and its hyper-parameters in
// assignments/cql/training.yaml (config.ts reads that file for `--algo cql`).
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/dataset';
import type { GaussianPolicy } from '../nets/gaussian';
import type { Mlp } from '../nets/mlp';
import type { Rng } from '../runtime/rng';
import { Batch, BatchSampler, batchFromRows, disposeBatch } from './batch';
import type { TrainConfig } from './config';
import type { Trainer } from './trainers';
import { FusedAdam } from './adam';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;
type T3 = tf.Tensor3D;

/** The networks of CQL (§9): Q1, Q2 on [s, a], target critics Q1', Q2', the Gaussian policy of §3. */
export interface CqlAgent {
  q1: Mlp;
  q2: Mlp;
  q1Target: Mlp;
  q2Target: Mlp;
  policy: GaussianPolicy;
}
export interface CqlOptimizers {
  critic: tf.Optimizer; // Q1 and Q2
  policy: tf.Optimizer;
}
/** A minibatch of transitions and the random numbers of one update, drawn by the caller (§9). */
export interface CqlBatch extends Batch {
  randomActions: T3; // [N, B, da] uniform on [-1, 1]^da
  policyNoise: T3; // [N, B, da] standard normal: the regulariser's policy samples
  actorNoise: T2; // [B, da] standard normal: the actor's sample
}
export interface CqlConfig {
  gamma: number;
  alpha: number; // weight of the CQL regulariser
  beta: number; // entropy weight of the actor
  rho: number; // target rate
  warmup: boolean; // true: the actor step is behaviour cloning (the first updates of a run)
}
export type CqlLosses = {
  criticLoss: number;
  policyLoss: number;
};

/** The functions of the CQL homework (assignments/cql/solutions/cql.ts). */
export interface CqlModule {
  policySamples<T extends T2 | T3>(policy: GaussianPolicy, observations: T2, noise: T): T;
  sampledActionValues(critic: Mlp, observations: T2, actions: T3): T2;
  cqlRegulariser(sampledQ: T2, dataQ: T1): tf.Scalar;
  cqlTarget(rewards: T1, terminals: T1, nextQ1: T1, nextQ2: T1, gamma: number): T1;
  cqlCriticLoss(q1: T1, q2: T1, y: T1, q1Sampled: T2, q2Sampled: T2, alpha: number): tf.Scalar;
  gaussianLogProb(mean: T2, logStd: T1, actions: T2): T1;
  gaussianEntropy(logStd: T1): tf.Scalar;
  cqlActorLoss(q1Pi: T1, q2Pi: T1, entropy: tf.Scalar, beta: number): tf.Scalar;
  warmupActorLoss(logProbs: T1, entropy: tf.Scalar, beta: number): tf.Scalar;
  softUpdate(target: Mlp, online: Mlp, rho: number): void;
  createCqlAgent(rng: Rng, obsDim: number, actDim: number, hidden: readonly number[]): CqlAgent;
  cqlUpdate(agent: CqlAgent, optimizers: CqlOptimizers, batch: CqlBatch, cfg: CqlConfig): CqlLosses;
}

/** The CQL homework's student files, and the folder of its reference solutions. */
export const CQL_MODULES = ['cql'] as const;
export const CQL_SOLUTIONS = path.resolve(__dirname, '../../assignments/cql/solutions');

/** An update's random numbers, all from `rng`: N uniform actions and N policy noises per state, one actor noise. */
export function drawCqlNoise(rng: Rng, n: number, batchSize: number, actDim: number) {
  const size = n * batchSize * actDim;
  const uniform = new Float32Array(size);
  for (let i = 0; i < size; i++) uniform[i] = rng.range(-1, 1);
  return {
    randomActions: tf.tensor3d(uniform, [n, batchSize, actDim]),
    policyNoise: tf.tensor3d(rng.normals(size), [n, batchSize, actDim]),
    actorNoise: tf.tensor2d(rng.normals(batchSize * actDim), [batchSize, actDim]),
  };
}

/** The minibatch of `rows` with every reward moved by `bias` (the critics then learn on r + bias). */
function biasedBatch(ds: Dataset, rows: Int32Array, bias: number): Batch {
  const batch = batchFromRows(ds, rows);
  if (bias === 0) return batch;
  const rewards = batch.rewards;
  batch.rewards = tf.tidy(() => tf.add(rewards, bias));
  rewards.dispose();
  return batch;
}

/**
 * CQL with the student's cqlUpdate: each update gets a fresh minibatch (rewards + rewardBias) and
 * fresh sampled actions; its actor step is behaviour cloning for the first bcSteps updates.
 */
export function cqlTrainer(cql: CqlModule | undefined, ds: Dataset, cfg: TrainConfig, rng: Rng): Trainer {
  if (!cql) throw new Error("cql needs the CQL homework's cql.ts: load it with loadImpl(dir, CQL_MODULES)");
  const [obsDim, actDim] = [ds.observations.cols, ds.actions.cols];
  const agent = cql.createCqlAgent(rng.fork('agent'), obsDim, actDim, cfg.hidden);
  const opts = { critic: new FusedAdam(cfg.lr), policy: new FusedAdam(cfg.lr) };
  const sampler = new BatchSampler(ds, rng.fork('batches'));
  const noiseRng = rng.fork('cql-samples');
  let updates = 0;
  return {
    step() {
      const data = biasedBatch(ds, sampler.nextRows(cfg.batchSize), cfg.rewardBias);
      const batch: CqlBatch = { ...data, ...drawCqlNoise(noiseRng, cfg.cqlActions, cfg.batchSize, actDim) };
      const warmup = updates++ < cfg.bcSteps;
      const losses = cql.cqlUpdate(agent, opts, batch, { gamma: cfg.gamma, alpha: cfg.alpha, beta: cfg.beta, rho: cfg.rho, warmup });
      disposeBatch(batch);
      return losses;
    },
    act: (obs, n) => tf.tidy(() => agent.policy.mean(tf.tensor2d(obs, [n, obsDim])).dataSync() as Float32Array),
    nets: { policy: agent.policy, critics: [agent.q1, agent.q2] },
    dispose() {
      new Set([agent.q1, agent.q2, agent.q1Target, agent.q2Target]).forEach((n) => n.dispose());
      agent.policy.dispose();
      Object.values(opts).forEach((o) => o.dispose());
    },
  };
}
