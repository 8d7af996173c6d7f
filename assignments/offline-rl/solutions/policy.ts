// The Gaussian policy's log-probability and the behaviour-cloning loss (docs/contract.md §3).
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy, LOG_STD_MAX, LOG_STD_MIN } from '../provided/nets/gaussian';

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
  // BEGIN SOLUTION
  return tf.tidy(() => {
    const logSigma = tf.clipByValue(logStd, LOG_STD_MIN, LOG_STD_MAX);
    const z = tf.div(tf.sub(actions, mean), tf.exp(logSigma));
    const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), logSigma), 0.5 * Math.log(2 * Math.PI));
    return tf.sum(perDim, 1) as tf.Tensor1D;
  });
  // END SOLUTION
}

/**
 * log pi(a|s) for a policy network: gaussianLogProb(mu(s), log sigma, a).
 *
 * @returns [B]
 */
export function policyLogProb(policy: GaussianPolicy, observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
  return gaussianLogProb(policy.mean(observations), policy.logStd as tf.Tensor as tf.Tensor1D, actions); // SOLUTION
}

/**
 * Behaviour-cloning loss:  L_BC = -mean_b log pi(a_b | s_b)
 *
 * @param logProbs [B] log pi(a|s)
 * @returns        scalar
 */
export function bcLoss(logProbs: tf.Tensor1D): tf.Scalar {
  return tf.neg(tf.mean<tf.Scalar>(logProbs)); // SOLUTION
}
