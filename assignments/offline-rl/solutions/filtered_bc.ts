// Filtered behaviour cloning: keep the top p% episodes by return (docs/contract.md §2).
import * as tf from '@tensorflow/tfjs';

/**
 * Number of episodes kept:  n = max(1, ceil(p * M / 100)).
 *
 * @param episodes M, the number of episodes
 * @param percent  p in (0, 100]
 */
export function keptEpisodeCount(episodes: number, percent: number): number {
  return Math.max(1, Math.ceil((percent * episodes) / 100)); // SOLUTION
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
  // BEGIN SOLUTION
  const g = returns.dataSync();
  const order = Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i - j);
  const keep = new Float32Array(g.length);
  for (const e of order.slice(0, keptEpisodeCount(g.length, percent))) keep[e] = 1;
  return tf.tensor1d(keep);
  // END SOLUTION
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
  // BEGIN SOLUTION
  const keep = episodeMask.dataSync();
  const done = terminals.dataSync();
  const cut = timeouts.dataSync();
  const rows = new Float32Array(done.length);
  let episode = 0;
  for (let t = 0; t < done.length; t++) {
    rows[t] = keep[episode];
    if (done[t] !== 0 || cut[t] !== 0) episode += 1;
  }
  return tf.tensor1d(rows);
  // END SOLUTION
}
