// Extra credit: AWAC and a SARSA critic (docs/contract.md §7).
import * as tf from '@tensorflow/tfjs';

/**
 * SARSA target (Q of the behaviour policy), a' the dataset's next action:
 *   y = r + gamma (1 - terminal) Q(s', a')
 *
 * @param nextQ [B] Q(s', a')
 */
export function sarsaTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextQ: tf.Tensor1D, gamma: number): tf.Tensor1D {
  return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), nextQ)); // SOLUTION
}

/**
 * AWAC critic target with a' ~ pi(s'):
 *   y = r + gamma (1 - terminal) min(Q1'(s', a'), Q2'(s', a'))
 *
 * @param nextQ1 [B] Q1'(s', a')
 * @param nextQ2 [B] Q2'(s', a')
 */
export function awacTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextQ1: tf.Tensor1D, nextQ2: tf.Tensor1D, gamma: number): tf.Tensor1D {
  return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), tf.minimum(nextQ1, nextQ2))); // SOLUTION
}

/**
 * AWAC advantage with a_pi ~ pi(s) sampled:
 *   A = min(Q1(s, a), Q2(s, a)) - min(Q1(s, a_pi), Q2(s, a_pi))
 *
 * @param q1Data [B] Q1(s, a), a the dataset action
 * @param q2Data [B] Q2(s, a)
 * @param q1Pi   [B] Q1(s, a_pi)
 * @param q2Pi   [B] Q2(s, a_pi)
 */
export function awacAdvantage(q1Data: tf.Tensor1D, q2Data: tf.Tensor1D, q1Pi: tf.Tensor1D, q2Pi: tf.Tensor1D): tf.Tensor1D {
  return tf.sub(tf.minimum(q1Data, q2Data), tf.minimum(q1Pi, q2Pi)); // SOLUTION
}
