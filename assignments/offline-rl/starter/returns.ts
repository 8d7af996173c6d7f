// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// Returns (docs/contract.md §0, §1).
//
// An episode ends at a row whose terminal OR timeout flag is set; a trailing run of rows
// with neither flag is an episode too. Returns never cross an episode end and never
// bootstrap, not even at a timeout.
import * as tf from '@tensorflow/tfjs';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * Discounted return-to-go, computed backward inside each episode:
 *   R_T = r_T,  R_t = r_t + gamma * R_{t+1}
 *
 * @param rewards   [N] rewards r_t
 * @param terminals [N] 1 where the environment really ended
 * @param timeouts  [N] 1 where the episode was cut by the time limit
 * @param gamma     discount in [0, 1]
 * @returns         [N] R_t
 */
export function discountedReturnToGo(rewards: tf.Tensor1D, terminals: tf.Tensor1D, timeouts: tf.Tensor1D, gamma: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('discountedReturnToGo', 'Q1.1');
}

/**
 * Undiscounted return-to-go (used for return conditioning): the same with gamma = 1,
 * so RTG_t includes r_t.   RTG_t = sum_{k >= t, same episode} r_k
 *
 * @returns [N] RTG_t; for r = [1, 0, 2, 1] in one episode: [4, 3, 3, 1]
 */
export function undiscountedReturnToGo(rewards: tf.Tensor1D, terminals: tf.Tensor1D, timeouts: tf.Tensor1D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('undiscountedReturnToGo', 'Q1.2');
}

/**
 * Episode returns: the undiscounted sum of each episode's rewards, in dataset order.
 *   G_e = sum_{t in episode e} r_t
 *
 * @returns [M] one value per episode (M = number of episodes)
 */
export function episodeReturns(rewards: tf.Tensor1D, terminals: tf.Tensor1D, timeouts: tf.Tensor1D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('episodeReturns', 'Q1.3');
}
