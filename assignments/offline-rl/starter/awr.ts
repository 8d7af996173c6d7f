// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// Advantage-weighted regression with a Monte Carlo critic (docs/contract.md §4).
import * as tf from '@tensorflow/tfjs';
import { stateValues } from '../provided/nets/mlp';
import { policyLogProb } from './policy';
import type { AwrAgent, AwrBatch, AwrConfig, AwrLosses, AwrOptimizers } from '../provided/train/impl';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * Monte Carlo value loss:  L_V = mean (R - V(s))^2
 *
 * @param returns [B] discounted return-to-go R
 * @param values  [B] V(s)
 */
export function monteCarloValueLoss(returns: tf.Tensor1D, values: tf.Tensor1D): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('monteCarloValueLoss', 'Q4.1');
}

/**
 * Advantage-weighted regression weights, no normalisation:
 *   w = min(exp(A / alpha), wMax)
 *
 * @param advantages [B] A
 * @param alpha      temperature (> 0)
 * @param wMax       the clip; always an argument, never a hidden default
 * @returns          [B] w
 */
export function advantageWeights(advantages: tf.Tensor1D, alpha: number, wMax: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('advantageWeights', 'Q4.2');
}

/**
 * Weighted behaviour cloning:  L_pi = -mean(w * log pi(a|s)),  w a constant.
 *
 * @param weights  [B] w (no gradient flows into them)
 * @param logProbs [B] log pi(a|s)
 */
export function weightedBcLoss(weights: tf.Tensor1D, logProbs: tf.Tensor1D): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('weightedBcLoss', 'Q4.3');
}

export type { AwrAgent, AwrBatch, AwrConfig, AwrLosses, AwrOptimizers };

/**
 * One AWR update:
 *   1. value step on L_V = mean (R - V(s))^2 (changes only V),
 *   2. A = R - V(s) with the V just updated, w = min(exp(A / alpha), wMax), constants,
 *   3. policy step on L_pi = -mean(w * log pi(a|s)) (changes only the policy).
 *
 * @returns the two losses as numbers (value loss before its step, policy loss before its step)
 */
export function awrUpdate(agent: AwrAgent, optimizers: AwrOptimizers, batch: AwrBatch, cfg: AwrConfig): AwrLosses {
  // YOUR CODE HERE
  throw new NotImplementedError('awrUpdate', 'Q4.4');
}
