// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// Filtered behaviour cloning: keep the top p% episodes by return (docs/contract.md §2).
import * as tf from '@tensorflow/tfjs';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * Number of episodes kept:  n = max(1, ceil(p * M / 100)).
 *
 * @param episodes M, the number of episodes
 * @param percent  p in (0, 100]
 */
export function keptEpisodeCount(episodes: number, percent: number): number {
  // YOUR CODE HERE
  throw new NotImplementedError('keptEpisodeCount', 'Q2.4');
}

/**
 * Marks the top p% episodes: stable sort by undiscounted return, descending (ties keep
 * dataset order), keep the first n = max(1, ceil(p * M / 100)).
 *
 * @param returns [M] undiscounted episode returns G_e
 * @param percent p in (0, 100]
 * @returns       [M] 1 for a kept episode, 0 otherwise
 */
export function topEpisodeMask(returns: tf.Tensor1D, percent: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('topEpisodeMask', 'Q2.5');
}

/**
 * Expands an episode mask to the rows of the dataset: row t is kept when its episode is.
 * Episodes end at a terminal or a timeout; a trailing run of rows with neither is an episode.
 *
 * @param episodeMask [M] 1 for a kept episode
 * @param terminals   [N]
 * @param timeouts    [N]
 * @returns           [N] 1 for a kept row
 */
export function rowMaskFromEpisodes(episodeMask: tf.Tensor1D, terminals: tf.Tensor1D, timeouts: tf.Tensor1D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('rowMaskFromEpisodes', 'Q2.6');
}
