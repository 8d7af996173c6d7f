// Return-conditioned behaviour cloning (docs/contract.md §6).
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy } from '../provided/nets/gaussian';
import { policyLogProb } from './policy';

/**
 * The conditioned policy input:  x = [s, RTG * scale]
 *
 * @param observations [B, ds] s
 * @param returnsToGo  [B] undiscounted return-to-go RTG (includes r_t)
 * @param scale        a fixed constant of the assignment
 * @returns            [B, ds + 1]
 */
export function conditionedInput(observations: tf.Tensor2D, returnsToGo: tf.Tensor1D, scale: number): tf.Tensor2D {
  return tf.concat([observations, tf.expandDims(tf.mul(returnsToGo, scale), 1)], 1) as tf.Tensor2D; // SOLUTION
}

/**
 * Return-conditioned BC loss:  L = -mean log pi(a | [s, RTG * scale])
 *
 * @param policy a Gaussian policy whose input size is ds + 1
 */
export function rcbcLoss(policy: GaussianPolicy, observations: tf.Tensor2D, returnsToGo: tf.Tensor1D, actions: tf.Tensor2D, scale: number): tf.Scalar {
  return tf.neg(tf.mean<tf.Scalar>(policyLogProb(policy, conditionedInput(observations, returnsToGo, scale), actions))); // SOLUTION
}

/**
 * The return still to collect at evaluation:  RTG_{t+1} = RTG_t - r_t  (RTG_0 = target return)
 *
 * @param returnsToGo [B] RTG_t
 * @param rewards     [B] r_t
 */
export function nextReturnToGo(returnsToGo: tf.Tensor1D, rewards: tf.Tensor1D): tf.Tensor1D {
  return tf.sub(returnsToGo, rewards); // SOLUTION
}

/**
 * Mean over real steps of padded sequences:  sum(loss * mask) / sum(mask)
 *
 * @param losses [B] per-step losses
 * @param mask   [B] 1 for a real step, 0 for padding
 */
export function maskedMean(losses: tf.Tensor1D, mask: tf.Tensor1D): tf.Scalar {
  return tf.div(tf.sum(tf.mul(losses, mask)), tf.sum(mask)); // SOLUTION
}
