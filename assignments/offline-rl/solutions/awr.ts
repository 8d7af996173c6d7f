// Advantage-weighted regression with a Monte Carlo critic (docs/contract.md §4).
import * as tf from '@tensorflow/tfjs';
import { stateValues } from '../provided/nets/mlp';
import { policyLogProb } from './policy';
import type { AwrAgent, AwrBatch, AwrConfig, AwrLosses, AwrOptimizers } from '../provided/train/impl';

/**
 * Monte Carlo value loss:  L_V = mean (R - V(s))^2
 *
 * @param returns [B] discounted return-to-go R
 * @param values  [B] V(s)
 */
export function monteCarloValueLoss(returns: tf.Tensor1D, values: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.square(tf.sub(returns, values))); // SOLUTION
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
  return tf.minimum(tf.exp(tf.div(advantages, alpha)), wMax); // SOLUTION
}

/**
 * Weighted behaviour cloning:  L_pi = -mean(w * log pi(a|s)),  w a constant.
 *
 * @param weights  [B] w (no gradient flows into them)
 * @param logProbs [B] log pi(a|s)
 */
export function weightedBcLoss(weights: tf.Tensor1D, logProbs: tf.Tensor1D): tf.Scalar {
  return tf.neg(tf.mean<tf.Scalar>(tf.mul(weights, logProbs))); // SOLUTION
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
  // BEGIN SOLUTION
  return tf.tidy(() => {
    const valueLoss = optimizers.value.minimize(
      () => monteCarloValueLoss(batch.returns, stateValues(agent.value, batch.observations)),
      true,
      agent.value.params,
    )!;
    const weights = advantageWeights(tf.sub(batch.returns, stateValues(agent.value, batch.observations)), cfg.alpha, cfg.wMax);
    const policyLoss = optimizers.policy.minimize(
      () => weightedBcLoss(weights, policyLogProb(agent.policy, batch.observations, batch.actions)),
      true,
      agent.policy.params,
    )!;
    return { valueLoss: valueLoss.dataSync()[0], policyLoss: policyLoss.dataSync()[0] };
  });
  // END SOLUTION
}
