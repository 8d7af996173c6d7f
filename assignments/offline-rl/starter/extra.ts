// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// Extra credit: AWAC and a SARSA critic (docs/contract.md §7).
import * as tf from '@tensorflow/tfjs';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * SARSA target (Q of the behaviour policy), a' the dataset's next action:
 *   y = r + gamma (1 - terminal) Q(s', a')
 *
 * @param nextQ [B] Q(s', a')
 */
export function sarsaTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextQ: tf.Tensor1D, gamma: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('sarsaTarget', 'Q6.1');
}

/**
 * AWAC critic target with a' ~ pi(s'):
 *   y = r + gamma (1 - terminal) min(Q1'(s', a'), Q2'(s', a'))
 *
 * @param nextQ1 [B] Q1'(s', a')
 * @param nextQ2 [B] Q2'(s', a')
 */
export function awacTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextQ1: tf.Tensor1D, nextQ2: tf.Tensor1D, gamma: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('awacTarget', 'Q6.2');
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
  // YOUR CODE HERE
  throw new NotImplementedError('awacAdvantage', 'Q6.3');
}
