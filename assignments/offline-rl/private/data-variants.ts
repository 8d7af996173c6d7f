/**
 * Known mistakes of the data-side functions: returns (docs/contract.md §1), top-p% filtering (§2)
 * and return conditioning (§6). Each is the reference function with one thing wrong.
 */
import * as tf from '@tensorflow/tfjs';
import type { GaussianPolicy } from '../../../provided/nets/gaussian';
import type { Modules } from '../../../grader/child/execute';
import { refFn, variant as v, type AnyFn, type Variant } from '../../../grader/diagnostics/define';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;
type EndRule = (terminal: number, timeout: number) => boolean;

const anyEnd: EndRule = (d, c) => d !== 0 || c !== 0;
const terminalOnly: EndRule = (d) => d !== 0;
const never: EndRule = () => false;

/** Half-open row ranges of the episodes under `endAt`; the rows after the last end form one more. */
function episodes(d: ArrayLike<number>, c: ArrayLike<number>, endAt: EndRule): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let t = 0; t < d.length; t++) if (endAt(d[t], c[t])) (out.push([start, t + 1]), (start = t + 1));
  if (start < d.length) out.push([start, d.length]);
  return out;
}

/** How a return-to-go is summed inside one episode [start, end) for row t. */
type Summation = (r: ArrayLike<number>, t: number, start: number, end: number, gamma: number) => number;
const toGo: Summation = (r, t, _s, end, g) => sumRange(r, t, end, (k) => g ** (k - t)); // R_t = sum_{k>=t} gamma^(k-t) r_k
const toGoAfter: Summation = (r, t, _s, end, g) => sumRange(r, t + 1, end, (k) => g ** (k - t)); // off by one: r_t left out
const fromRowZero: Summation = (r, t, _s, end, g) => sumRange(r, t, end, (k) => g ** k); // gamma^k, k the dataset row
const fromEpisodeStart: Summation = (r, t, s, end, g) => sumRange(r, t, end, (k) => g ** (k - s)); // gamma^(k - start)
const soFar: Summation = (r, t, s, _e, g) => sumRange(r, s, t + 1, (k) => g ** (t - k)); // the rewards up to t, not after

function sumRange(r: ArrayLike<number>, from: number, to: number, weight: (k: number) => number): number {
  let sum = 0;
  for (let k = from; k < to; k++) sum += weight(k) * r[k];
  return sum;
}

/** Returns-to-go with an episode-end rule and a summation. */
function returnsWith(endAt: EndRule, sum: Summation = toGo) {
  return (rewards: T1, terminals: T1, timeouts: T1, gamma = 1): T1 => {
    const r = rewards.dataSync();
    const out = new Float32Array(r.length);
    for (const [s, e] of episodes(terminals.dataSync(), timeouts.dataSync(), endAt)) for (let t = s; t < e; t++) out[t] = sum(r, t, s, e, gamma);
    return tf.tensor1d(out);
  };
}
const undiscounted = (f: ReturnType<typeof returnsWith>) => (r: T1, d: T1, c: T1) => f(r, d, c, 1);

/** Episode sums under `endAt`; `trailing` false leaves out the rows after the last end. */
function episodeSums(endAt: EndRule, trailing = true) {
  return (rewards: T1, terminals: T1, timeouts: T1): T1 => {
    const [r, d, c] = [rewards.dataSync(), terminals.dataSync(), timeouts.dataSync()];
    const ranges = episodes(d, c, endAt).filter(([, e]) => trailing || anyEnd(d[e - 1], c[e - 1]));
    return tf.tensor1d(ranges.map(([s, e]) => sumRange(r, s, e, () => 1)));
  };
}

const INDEX_HINT = 'Discount from t itself: R_t = r_t + gamma r_{t+1} + gamma^2 r_{t+2} + ..., not with the power of the row index.';

const RETURNS: Variant[] = [
  v('returns.discountedReturnToGo', 'ignores-timeouts', 'Your returns run across a timeout: an episode also ends at a row whose timeout flag is set.', () => returnsWith(terminalOnly)),
  v('returns.discountedReturnToGo', 'leaks-episodes', 'Your returns cross episode ends: reset the running return at every terminal or timeout.', () => returnsWith(never)),
  v('returns.discountedReturnToGo', 'off-by-one', 'Your return-to-go is off by one step: R_t includes r_t itself (R_t = r_t + gamma R_{t+1}).', () => returnsWith(anyEnd, toGoAfter)),
  v('returns.discountedReturnToGo', 'absolute-index', INDEX_HINT, () => returnsWith(anyEnd, fromRowZero)),
  v('returns.discountedReturnToGo', 'episode-index', INDEX_HINT, () => returnsWith(anyEnd, fromEpisodeStart)),
  v('returns.discountedReturnToGo', 'forward', 'The return-to-go sums the rewards from t to the end of the episode (computed backward), not those before t.', () => returnsWith(anyEnd, soFar)),
  v('returns.undiscountedReturnToGo', 'ignores-timeouts', 'Your returns run across a timeout: an episode also ends at a row whose timeout flag is set.', () => undiscounted(returnsWith(terminalOnly))),
  v('returns.undiscountedReturnToGo', 'leaks-episodes', 'Your returns cross episode ends: reset the running return at every terminal or timeout.', () => undiscounted(returnsWith(never))),
  v('returns.undiscountedReturnToGo', 'off-by-one', 'Your return-to-go is off by one step: RTG_t includes r_t itself.', () => undiscounted(returnsWith(anyEnd, toGoAfter))),
  v('returns.undiscountedReturnToGo', 'forward', 'The return-to-go sums the rewards from t to the end of the episode, not those before t.', () => undiscounted(returnsWith(anyEnd, soFar))),
  v('returns.episodeReturns', 'ignores-timeouts', 'An episode also ends at a timeout, not only at a terminal.', () => episodeSums(terminalOnly)),
  v('returns.episodeReturns', 'drops-trailing', 'A trailing run of rows with neither flag is an episode too: include its return.', () => episodeSums(anyEnd, false)),
];

/** A count n from (M, p); the contract's is max(1, ceil(p * M / 100)) with p * M first. */
type Count = (episodes: number, percent: number) => number;
const ceilCount: Count = (m, p) => Math.max(1, Math.ceil((p * m) / 100));
const floorCount: Count = (m, p) => Math.max(1, Math.floor((p * m) / 100));
const roundCount: Count = (m, p) => Math.max(1, Math.round((p * m) / 100));
const percentFirst: Count = (m, p) => Math.max(1, Math.ceil((p / 100) * m)); // (p / 100) * M
const episodesFirst: Count = (m, p) => Math.max(1, Math.ceil((m / 100) * p)); // (M / 100) * p
const hundredth: Count = (m, p) => Math.max(1, Math.ceil(p * 0.01 * m)); // p * 0.01 * M

/** Which episodes are kept, from their returns g and the count n. */
type Selection = (g: Float32Array, n: number) => number[];
const stableOrder = (g: Float32Array, tie: (i: number, j: number) => number) => Array.from(g.keys()).sort((i, j) => g[j] - g[i] || tie(i, j));
const stable: Selection = (g, n) => stableOrder(g, (i, j) => i - j).slice(0, n);
const lastTieFirst: Selection = (g, n) => stableOrder(g, (i, j) => j - i).slice(0, n);
const ascending: Selection = (g, n) => Array.from(g.keys()).sort((i, j) => g[i] - g[j] || i - j).slice(0, n);
const nth = (g: Float32Array, n: number) => g[stable(g, n)[n - 1]]; // the n-th largest return
const keepsTies: Selection = (g, n) => Array.from(g.keys()).filter((e) => g[e] >= nth(g, n)); // every return >= the n-th
const dropsTies: Selection = (g, n) => Array.from(g.keys()).filter((e) => g[e] > nth(g, n)); // only returns > the n-th
/** Partial selection sort: the largest remaining return is swapped into slot k (unstable). */
const selectionSwaps: Selection = (g, n) => {
  const order = Array.from(g.keys());
  for (let k = 0; k < n; k++) {
    let best = k;
    for (let e = k + 1; e < order.length; e++) if (g[order[e]] > g[order[best]]) best = e;
    [order[k], order[best]] = [order[best], order[k]];
  }
  return order.slice(0, n);
};

function topMaskWith(count: Count, select: Selection = stable) {
  return (returns: T1, percent: number): T1 => {
    const g = returns.dataSync() as Float32Array;
    const keep = new Float32Array(g.length);
    for (const e of select(g, Math.min(g.length, count(g.length, percent)))) keep[e] = 1;
    return tf.tensor1d(keep);
  };
}

const UP_HINT = 'Round the number of kept episodes UP: n = max(1, ceil(p * M / 100)).';
const ORDER_HINT = 'Compute p * M first, then divide by 100: a product like (p / 100) * M lands just above a whole number and rounds up one episode too many.';
const TIES_HINT = 'Ties in episode return must keep dataset order (a stable sort): the earlier episode wins.';
const CUT_HINT = 'Keep exactly n = max(1, ceil(p * M / 100)) episodes, even when the cut falls inside a group of equal returns (the earlier ones win).';

const FILTERING: Variant[] = [
  v('filtered_bc.keptEpisodeCount', 'floor', UP_HINT, () => floorCount),
  v('filtered_bc.keptEpisodeCount', 'round', UP_HINT, () => roundCount),
  v('filtered_bc.keptEpisodeCount', 'percent-first', ORDER_HINT, () => percentFirst),
  v('filtered_bc.keptEpisodeCount', 'episodes-first', ORDER_HINT, () => episodesFirst),
  v('filtered_bc.keptEpisodeCount', 'hundredth', ORDER_HINT, () => hundredth),
  v('filtered_bc.topEpisodeMask', 'floor', UP_HINT, () => topMaskWith(floorCount)),
  v('filtered_bc.topEpisodeMask', 'percent-first', ORDER_HINT, () => topMaskWith(percentFirst)),
  v('filtered_bc.topEpisodeMask', 'episodes-first', ORDER_HINT, () => topMaskWith(episodesFirst)),
  v('filtered_bc.topEpisodeMask', 'ascending', 'Keep the episodes with the HIGHEST returns (sort descending).', () => topMaskWith(ceilCount, ascending)),
  v('filtered_bc.topEpisodeMask', 'unstable-ties', TIES_HINT, () => topMaskWith(ceilCount, lastTieFirst)),
  v('filtered_bc.topEpisodeMask', 'selection-swaps', TIES_HINT, () => topMaskWith(ceilCount, selectionSwaps)),
  v('filtered_bc.topEpisodeMask', 'keeps-ties', CUT_HINT, () => topMaskWith(ceilCount, keepsTies)),
  v('filtered_bc.topEpisodeMask', 'drops-ties', CUT_HINT, () => topMaskWith(ceilCount, dropsTies)),
];

/** Row t gets its episode's mask; `early` moves to the next episode on the ending row itself. */
function rowMaskWith(endAt: EndRule, opts: { early?: boolean; trailing?: boolean } = {}) {
  return (mask: T1, terminals: T1, timeouts: T1): T1 => {
    const [k, d, c] = [mask.dataSync(), terminals.dataSync(), timeouts.dataSync()];
    const ranges = episodes(d, c, endAt);
    const rows = new Float32Array(d.length);
    ranges.forEach(([s, e], i) => {
      const isTrailing = i === ranges.length - 1 && !endAt(d[e - 1], c[e - 1]);
      const early = (t: number) => opts.early && t === e - 1 && endAt(d[t], c[t]); // the flagged row takes the next episode's value
      for (let t = s; t < e; t++) rows[t] = opts.trailing === false && isTrailing ? 0 : k[early(t) ? i + 1 : i] ?? 0;
    });
    return tf.tensor1d(rows);
  };
}

const ROW_MASK: Variant[] = [
  v('filtered_bc.rowMaskFromEpisodes', 'ignores-timeouts', 'An episode also ends at a timeout, not only at a terminal.', () => rowMaskWith(terminalOnly)),
  v('filtered_bc.rowMaskFromEpisodes', 'ignores-terminals', 'An episode also ends at a terminal, not only at a timeout.', () => rowMaskWith((_d, c) => c !== 0)),
  v('filtered_bc.rowMaskFromEpisodes', 'advances-early', "An episode's last row (the one with the flag) still belongs to it: move to the next episode after that row.", () => rowMaskWith(anyEnd, { early: true })),
  v('filtered_bc.rowMaskFromEpisodes', 'drops-trailing', "A trailing run of rows with neither flag is an episode too: its rows take that episode's mask value.", () => rowMaskWith(anyEnd, { trailing: false })),
];

/** [s, f(RTG)] or [f(RTG), s]: the conditioned input with the return-to-go transformed by `f`. */
const conditionedWith = (f: (rtg: T1, scale: number) => tf.Tensor, first = false) => (o: T2, rtg: T1, scale: number): T2 =>
  tf.tidy(() => {
    const col = tf.expandDims(f(rtg, scale), 1);
    return tf.concat(first ? [col, o] : [o, col], 1) as T2;
  });

const CONDITIONED: Variant[] = [
  v('rcbc.conditionedInput', 'no-scale', 'Multiply the return-to-go by scale before appending it.', () => conditionedWith((r) => r)),
  v('rcbc.conditionedInput', 'divides-by-scale', 'Multiply the return-to-go by scale (RTG * scale), do not divide by it.', () => conditionedWith((r, s) => tf.div(r, s))),
  v('rcbc.conditionedInput', 'prepends', 'Append the scaled return-to-go AFTER the observation: [s, RTG * scale].', () => conditionedWith((r, s) => tf.mul(r, s), true)),
];

/** -mean log pi(a | conditioned(s, RTG)) with the reference's policyLogProb; `reduce` stands for -mean. */
function rcbcLossWith(ref: Modules, conditioned: AnyFn, reduce = (lp: T1): tf.Tensor => tf.neg(tf.mean(lp))) {
  const logProb = refFn(ref, 'policy.policyLogProb');
  const input = conditioned as (o: T2, r: T1, s: number) => T2;
  return (p: GaussianPolicy, o: T2, r: T1, a: T2, s: number) => tf.tidy(() => reduce(logProb(p, input(o, r, s), a) as T1));
}
const refConditioned = (ref: Modules): AnyFn => refFn(ref, 'rcbc.conditionedInput');

const RCBC: Variant[] = [
  ...CONDITIONED,
  v('rcbc.rcbcLoss', 'wrong-sign', 'The loss is the NEGATIVE mean log-probability.', (ref) => rcbcLossWith(ref, refConditioned(ref), (lp) => tf.mean(lp))),
  v('rcbc.rcbcLoss', 'sum', 'Average over the batch (mean), not sum.', (ref) => rcbcLossWith(ref, refConditioned(ref), (lp) => tf.neg(tf.sum(lp)))),
  ...CONDITIONED.map((x) => v('rcbc.rcbcLoss', `conditionedInput:${x.id}`, `In conditionedInput: ${x.hint}`, (ref) => rcbcLossWith(ref, x.make(ref)))),
  v('rcbc.nextReturnToGo', 'adds-reward', 'The return still to collect DEcreases: RTG_{t+1} = RTG_t - r_t.', () => (r: T1, x: T1) => tf.add(r, x)),
  v('rcbc.maskedMean', 'plain-mean', 'Average over real steps only: sum(loss * mask) / sum(mask).', () => (l: T1) => tf.mean(l)),
  v('rcbc.maskedMean', 'divides-by-batch', 'Divide by sum(mask) (the real steps), not by the batch size.', () => (l: T1, m: T1) => tf.mean(tf.mul(l, m))),
];

export const DATA_VARIANTS: Variant[] = [...RETURNS, ...FILTERING, ...ROW_MASK, ...RCBC];
