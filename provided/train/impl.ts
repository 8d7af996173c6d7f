// The student-written functions the training loop calls, and how to load them from a folder.
//
// The same interface is met by the reference (solutions/), the generated starter (starter/)
// and a student's files; the training loop never imports any of them directly.
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { Mlp } from '../nets/mlp';
import type { GaussianPolicy } from '../nets/gaussian';
import type { Rng } from '../runtime/rng';
import type { Batch } from './batch';
import type { CqlModule } from './cql';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;

export interface ReturnsModule {
  discountedReturnToGo(rewards: T1, terminals: T1, timeouts: T1, gamma: number): T1;
  undiscountedReturnToGo(rewards: T1, terminals: T1, timeouts: T1): T1;
  episodeReturns(rewards: T1, terminals: T1, timeouts: T1): T1;
}
export interface PolicyModule {
  gaussianLogProb(mean: T2, logStd: T1, actions: T2): T1;
  policyLogProb(policy: GaussianPolicy, observations: T2, actions: T2): T1;
  bcLoss(logProbs: T1): tf.Scalar;
}
export interface FilteredBcModule {
  keptEpisodeCount(episodes: number, percent: number): number;
  topEpisodeMask(returns: T1, percent: number): T1;
  rowMaskFromEpisodes(episodeMask: T1, terminals: T1, timeouts: T1): T1;
}
/** The networks, optimizers, batch and settings of one AWR update (ALGORITHMS.md section 4). */
export interface AwrAgent {
  value: Mlp;
  policy: GaussianPolicy;
}
export interface AwrOptimizers {
  value: tf.Optimizer;
  policy: tf.Optimizer;
}
export interface AwrBatch {
  observations: T2; // [B, ds]
  actions: T2; // [B, da]
  returns: T1; // [B] discounted return-to-go
}
export interface AwrConfig {
  alpha: number; // temperature
  wMax: number; // weight clip
}
export type AwrLosses = {
  valueLoss: number;
  policyLoss: number;
};

export interface AwrModule {
  monteCarloValueLoss(returns: T1, values: T1): tf.Scalar;
  advantageWeights(advantages: T1, alpha: number, wMax: number): T1;
  weightedBcLoss(weights: T1, logProbs: T1): tf.Scalar;
  awrUpdate(agent: AwrAgent, optimizers: AwrOptimizers, batch: AwrBatch, cfg: AwrConfig): AwrLosses;
}

/** The networks of IQL (ALGORITHMS.md section 5): Q1, Q2 on [s, a], V on s, the policy, target critics. */
export interface IqlAgent {
  q1: Mlp;
  q2: Mlp;
  q1Target: Mlp;
  q2Target: Mlp;
  value: Mlp;
  policy: GaussianPolicy;
}
export interface IqlOptimizers {
  critic: tf.Optimizer; // Q1 and Q2
  value: tf.Optimizer;
  policy: tf.Optimizer;
}
export interface IqlConfig {
  gamma: number;
  tau: number; // expectile
  alpha: number; // temperature
  wMax: number; // weight clip, 100 in the assignment
  rho: number; // target rate
}
export type IqlLosses = {
  valueLoss: number;
  policyLoss: number;
  criticLoss: number;
};

export interface IqlModule {
  expectileLoss(u: T1, tau: number): T1;
  iqlValueLoss(targetQ: T1, values: T1, tau: number): tf.Scalar;
  minTargetQ(q1: T1, q2: T1): T1;
  criticTarget(rewards: T1, terminals: T1, nextValues: T1, gamma: number): T1;
  criticLoss(q1: T1, q2: T1, y: T1): tf.Scalar;
  iqlAdvantageWeights(targetQ: T1, values: T1, alpha: number, wMax: number): T1;
  softUpdate(target: Mlp, online: Mlp, rho: number): void;
  createIqlAgent(rng: Rng, obsDim: number, actDim: number, hidden: readonly number[]): IqlAgent;
  iqlUpdate(agent: IqlAgent, optimizers: IqlOptimizers, batch: Batch, cfg: IqlConfig): IqlLosses;
}
export interface RcbcModule {
  conditionedInput(observations: T2, returnsToGo: T1, scale: number): T2;
  rcbcLoss(policy: GaussianPolicy, observations: T2, returnsToGo: T1, actions: T2, scale: number): tf.Scalar;
  nextReturnToGo(returnsToGo: T1, rewards: T1): T1;
  maskedMean(losses: T1, mask: T1): tf.Scalar;
}
/** FQE of a fixed policy (ALGORITHMS.md section 7): the critic Q_E, its target copy, the policy. */
export interface FqeAgent {
  critic: Mlp;
  criticTarget: Mlp;
  /** The fixed policy mu; FQE never changes it. */
  policy: GaussianPolicy;
}
export interface FqeConfig {
  gamma: number;
  rho: number; // target rate
}
export type FqeLosses = {
  loss: number;
};

export interface FqeModule {
  policyActionValues(critic: Mlp, policy: GaussianPolicy, observations: T2): T1;
  fqeTarget(rewards: T1, terminals: T1, nextQ: T1, gamma: number): T1;
  fqeLoss(q: T1, y: T1): tf.Scalar;
  fqeUpdate(agent: FqeAgent, optimizer: tf.Optimizer, batch: Batch, cfg: FqeConfig): FqeLosses;
  episodeStartMask(terminals: T1, timeouts: T1): T1;
  fqeEstimate(critic: Mlp, policy: GaussianPolicy, observations: T2, startMask: T1): tf.Scalar;
  meanPolicyQ(q1: Mlp, q2: Mlp, policy: GaussianPolicy, observations: T2): tf.Scalar;
}
export interface ExtraModule {
  sarsaTarget(rewards: T1, terminals: T1, nextQ: T1, gamma: number): T1;
  awacTarget(rewards: T1, terminals: T1, nextQ1: T1, nextQ2: T1, gamma: number): T1;
  awacAdvantage(q1Data: T1, q2Data: T1, q1Pi: T1, q2Pi: T1): T1;
}

/** Every student module, keyed by its file name (without extension). */
export interface Impl {
  returns: ReturnsModule;
  policy: PolicyModule;
  filtered_bc: FilteredBcModule;
  awr: AwrModule;
  iql: IqlModule;
  rcbc: RcbcModule;
  fqe: FqeModule;
  extra: ExtraModule;
  /** The CQL homework's module (loaded with CQL_MODULES from its own folder, provided/train/cql.ts). */
  cql?: CqlModule;
}

/** The student file names, in the order the handout presents them. */
export const STUDENT_MODULES = ['returns', 'policy', 'filtered_bc', 'awr', 'iql', 'rcbc', 'fqe', 'extra'] as const;

/** Loads the student modules from `dir` (a folder holding returns.ts, policy.ts, ...; or `modules` only). */
export function loadImpl(dir: string, modules: readonly string[] = STUDENT_MODULES): Impl {
  const out: Record<string, unknown> = {};
  for (const name of modules) {
    const file = path.resolve(dir, name);
    try {
      out[name] = require(file);
    } catch (err) {
      throw new Error(`cannot load ${path.join(dir, name)}.ts: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return out as unknown as Impl;
}
