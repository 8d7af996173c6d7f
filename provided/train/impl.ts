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
export interface AwrModule {
  monteCarloValueLoss(returns: T1, values: T1): tf.Scalar;
  advantageWeights(advantages: T1, alpha: number, wMax: number): T1;
  weightedBcLoss(weights: T1, logProbs: T1): tf.Scalar;
  awrUpdate(
    agent: { value: Mlp; policy: GaussianPolicy },
    optimizers: { value: tf.Optimizer; policy: tf.Optimizer },
    batch: { observations: T2; actions: T2; returns: T1 },
    cfg: { alpha: number; wMax: number },
  ): { valueLoss: number; policyLoss: number };
}
export interface IqlAgentShape {
  q1: Mlp;
  q2: Mlp;
  q1Target: Mlp;
  q2Target: Mlp;
  value: Mlp;
  policy: GaussianPolicy;
}
export interface IqlModule {
  expectileLoss(u: T1, tau: number): T1;
  iqlValueLoss(targetQ: T1, values: T1, tau: number): tf.Scalar;
  minTargetQ(q1: T1, q2: T1): T1;
  criticTarget(rewards: T1, terminals: T1, nextValues: T1, gamma: number): T1;
  criticLoss(q1: T1, q2: T1, y: T1): tf.Scalar;
  iqlAdvantageWeights(targetQ: T1, values: T1, alpha: number, wMax: number): T1;
  softUpdate(target: Mlp, online: Mlp, rho: number): void;
  createIqlAgent(rng: Rng, obsDim: number, actDim: number, hidden: readonly number[]): IqlAgentShape;
  iqlUpdate(
    agent: IqlAgentShape,
    optimizers: { critic: tf.Optimizer; value: tf.Optimizer; policy: tf.Optimizer },
    batch: Batch,
    cfg: { gamma: number; tau: number; alpha: number; wMax: number; rho: number },
  ): { valueLoss: number; policyLoss: number; criticLoss: number };
}
export interface RcbcModule {
  conditionedInput(observations: T2, returnsToGo: T1, scale: number): T2;
  rcbcLoss(policy: GaussianPolicy, observations: T2, returnsToGo: T1, actions: T2, scale: number): tf.Scalar;
  nextReturnToGo(returnsToGo: T1, rewards: T1): T1;
  maskedMean(losses: T1, mask: T1): tf.Scalar;
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
  extra: ExtraModule;
}

/** The student file names, in the order the handout presents them. */
export const STUDENT_MODULES = ['returns', 'policy', 'filtered_bc', 'awr', 'iql', 'rcbc', 'extra'] as const;

/** Loads the student modules from `dir` (a folder holding returns.ts, policy.ts, ...). */
export function loadImpl(dir: string): Impl {
  const out: Record<string, unknown> = {};
  for (const name of STUDENT_MODULES) {
    const file = path.resolve(dir, name);
    try {
      out[name] = require(file);
    } catch (err) {
      throw new Error(`cannot load ${path.join(dir, name)}.ts: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return out as unknown as Impl;
}
