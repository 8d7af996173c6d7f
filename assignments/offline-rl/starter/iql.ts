// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// Implicit Q-learning (docs/contract.md §5; Kostrikov, Nair & Levine, ICLR 2022).
import * as tf from '@tensorflow/tfjs';
import { Mlp, criticValues, stateValues } from '../provided/nets/mlp';
import { GaussianPolicy } from '../provided/nets/gaussian';
import { Rng } from '../provided/runtime/rng';
import { Batch } from '../provided/train/batch';
import type { IqlAgent, IqlConfig, IqlLosses, IqlOptimizers } from '../provided/train/impl';
import { advantageWeights, weightedBcLoss } from './awr';
import { policyLogProb } from './policy';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * Expectile loss, paper convention, elementwise:
 *   L_tau(u) = |tau - 1(u < 0)| * u^2,   u = q - v
 * (The lecture writes the same loss as l_{1-tau}(V - Q) with a small tau.)
 * Hint: comparisons have no gradient in TensorFlow.js; 1(u < 0) = tf.step(-u).
 *
 * @param u   [B] q - v
 * @param tau expectile in (0, 1); tau > 0.5 pushes V toward an upper expectile of Q
 * @returns   [B] L_tau(u)
 */
export function expectileLoss(u: tf.Tensor1D, tau: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('expectileLoss', 'Q3.1');
}

/**
 * IQL value loss:  L_V = mean L_tau(q' - V(s))
 *
 * @param targetQ [B] q' = min(Q1'(s,a), Q2'(s,a)), a constant
 * @param values  [B] V(s)
 */
export function iqlValueLoss(targetQ: tf.Tensor1D, values: tf.Tensor1D, tau: number): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('iqlValueLoss', 'Q3.2');
}

/**
 * Clipped double-Q target value:  q' = min(Q1'(s,a), Q2'(s,a))
 *
 * @param q1 [B] Q1'(s,a) from the first target critic
 * @param q2 [B] Q2'(s,a) from the second target critic
 */
export function minTargetQ(q1: tf.Tensor1D, q2: tf.Tensor1D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('minTargetQ', 'Q3.3');
}

/**
 * Critic target:  y = r + gamma * (1 - terminal) * V(s')
 * A timeout is not a terminal: it never zeroes the mask.
 *
 * @param rewards    [B] r
 * @param terminals  [B] 1 where the environment really ended
 * @param nextValues [B] V(s')
 */
export function criticTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextValues: tf.Tensor1D, gamma: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('criticTarget', 'Q3.4');
}

/**
 * Twin critic loss, the two squared errors summed, then the batch mean:
 *   L_Q = mean[(Q1(s,a) - y)^2 + (Q2(s,a) - y)^2]
 *
 * @param q1 [B] Q1(s,a)
 * @param q2 [B] Q2(s,a)
 * @param y  [B] critic target, a constant
 */
export function criticLoss(q1: tf.Tensor1D, q2: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('criticLoss', 'Q3.5');
}

/**
 * IQL advantage weights for policy extraction:
 *   A = q' - V(s),  w = min(exp(A / alpha), wMax)
 *
 * @param targetQ [B] q'
 * @param values  [B] V(s), with the V just updated
 * @returns       [B] w
 */
export function iqlAdvantageWeights(targetQ: tf.Tensor1D, values: tf.Tensor1D, alpha: number, wMax: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('iqlAdvantageWeights', 'Q3.6');
}

/**
 * Soft (Polyak) target update, in place:  theta' <- rho * theta + (1 - rho) * theta'
 *
 * @param target the target network theta' (changed)
 * @param online the online network theta (unchanged)
 * @param rho    the target rate in (0, 1]
 */
export function softUpdate(target: Mlp, online: Mlp, rho: number): void {
  // YOUR CODE HERE
  throw new NotImplementedError('softUpdate', 'Q3.7');
}

export type { IqlAgent, IqlConfig, IqlLosses, IqlOptimizers };

/**
 * The IQL networks: Q1, Q2 on [s, a], V on s, the Gaussian policy, and target critics
 * Q1', Q2' that start as EXACT copies of Q1 and Q2.
 */
export function createIqlAgent(rng: Rng, obsDim: number, actDim: number, hidden: readonly number[]): IqlAgent {
  const q1 = Mlp.create(rng.fork('q1'), [obsDim + actDim, ...hidden, 1]);
  const q2 = Mlp.create(rng.fork('q2'), [obsDim + actDim, ...hidden, 1]);
  const value = Mlp.create(rng.fork('value'), [obsDim, ...hidden, 1]);
  const policy = GaussianPolicy.create(rng.fork('policy'), obsDim, hidden, actDim);
  // YOUR CODE HERE
  throw new NotImplementedError('createIqlAgent', 'Q3.8');
}

/**
 * One IQL update, in this order (each step changes only its own network's variables):
 *   1. q' = min(Q1'(s,a), Q2'(s,a));  V step on L_V = mean L_tau(q' - V(s))
 *   2. actor step with the V just updated: w = min(exp((q' - V(s)) / alpha), wMax),
 *      L_pi = -mean(w * log pi(a|s))
 *   3. Q step with the V just updated: y = r + gamma (1 - terminal) V(s'),
 *      L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2]
 *   4. target update: theta' <- rho theta + (1 - rho) theta' for Q1' and Q2'
 *
 * @returns each loss as a number, evaluated before its own step
 */
export function iqlUpdate(agent: IqlAgent, optimizers: IqlOptimizers, batch: Batch, cfg: IqlConfig): IqlLosses {
  // YOUR CODE HERE
  throw new NotImplementedError('iqlUpdate', 'Q3.9');
}
