// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// The Gaussian policy's log-probability and the behaviour-cloning loss (docs/contract.md §3).
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy, LOG_STD_MAX, LOG_STD_MIN } from '../provided/nets/gaussian';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * Log-density of a diagonal Gaussian, summed (never averaged) over action dimensions:
 *   log pi(a|s) = sum_j [ -0.5 * ((a_j - mu_j) / sigma_j)^2 - log sigma_j - 0.5 * log(2 pi) ]
 * with log sigma clipped to [LOG_STD_MIN, LOG_STD_MAX] = [-5, 2] first.
 *
 * @param mean    [B, da] mu(s)
 * @param logStd  [da]    log sigma (unclipped)
 * @param actions [B, da] a
 * @returns       [B]     log pi(a|s)
 */
export function gaussianLogProb(mean: tf.Tensor2D, logStd: tf.Tensor1D, actions: tf.Tensor2D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('gaussianLogProb', 'Q2.1');
}

/**
 * log pi(a|s) for a policy network: gaussianLogProb(mu(s), log sigma, a).
 *
 * @returns [B]
 */
export function policyLogProb(policy: GaussianPolicy, observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('policyLogProb', 'Q2.2');
}

/**
 * Behaviour-cloning loss:  L_BC = -mean_b log pi(a_b | s_b)
 *
 * @param logProbs [B] log pi(a|s)
 * @returns        scalar
 */
export function bcLoss(logProbs: tf.Tensor1D): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('bcLoss', 'Q2.3');
}
