// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// Return-conditioned behaviour cloning (docs/contract.md §6).
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy } from '../provided/nets/gaussian';
import { policyLogProb } from './policy';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * The conditioned policy input:  x = [s, RTG * scale]
 *
 * @param observations [B, ds] s
 * @param returnsToGo  [B] undiscounted return-to-go RTG (includes r_t)
 * @param scale        a fixed constant of the assignment
 * @returns            [B, ds + 1]
 */
export function conditionedInput(observations: tf.Tensor2D, returnsToGo: tf.Tensor1D, scale: number): tf.Tensor2D {
  // YOUR CODE HERE
  throw new NotImplementedError('conditionedInput', 'Q5.1');
}

/**
 * Return-conditioned BC loss:  L = -mean log pi(a | [s, RTG * scale])
 *
 * @param policy a Gaussian policy whose input size is ds + 1
 */
export function rcbcLoss(policy: GaussianPolicy, observations: tf.Tensor2D, returnsToGo: tf.Tensor1D, actions: tf.Tensor2D, scale: number): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('rcbcLoss', 'Q5.2');
}

/**
 * The return still to collect at evaluation:  RTG_{t+1} = RTG_t - r_t  (RTG_0 = target return)
 *
 * @param returnsToGo [B] RTG_t
 * @param rewards     [B] r_t
 */
export function nextReturnToGo(returnsToGo: tf.Tensor1D, rewards: tf.Tensor1D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('nextReturnToGo', 'Q5.3');
}

/**
 * Mean over real steps of padded sequences:  sum(loss * mask) / sum(mask)
 *
 * @param losses [B] per-step losses
 * @param mask   [B] 1 for a real step, 0 for padding
 */
export function maskedMean(losses: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('maskedMean', 'Q5.4');
}
