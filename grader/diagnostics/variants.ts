/**
 * Known mistakes (ALGORITHMS.md section 8), each a patched version of one reference function,
 * with the one-sentence hint a student sees when their output matches it. A variant is made from
 * the reference modules (so it can reuse correct helpers) and run by the trusted reference
 * process on the case's own inputs. Mistakes recognised from the student's outputs alone, with
 * no reference code, are in output-checks.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { LOG_STD_MAX, LOG_STD_MIN, GaussianPolicy } from '../../provided/nets/gaussian';
import type { Modules } from '../child/execute';
import { composeIqlUpdate, composeAwrUpdate, UpdateParts } from './updates';
import { FQE_VARIANTS } from './fqe-variants';

type T1 = tf.Tensor1D;
type AnyFn = (...args: never[]) => unknown;

export interface Variant {
  /** Such as "swapped-tau". */
  id: string;
  /** Such as "iql.expectileLoss". */
  target: string;
  hint: string;
  make(ref: Modules): AnyFn;
}

const v = (target: string, id: string, hint: string, make: (ref: Modules) => AnyFn): Variant => ({ id, target, hint, make });
const fnOf = (ref: Modules, target: string): ((...a: unknown[]) => unknown) => {
  const [m, f] = target.split('.');
  return ref[m][f] as (...a: unknown[]) => unknown;
};

/** Returns computed backward with a custom episode-end rule and an optional shift. */
function returnsWith(endAt: (done: number, cut: number) => boolean, shift = false) {
  return (rewards: T1, terminals: T1, timeouts: T1, gamma = 1): T1 => {
    const [r, d, c] = [rewards.dataSync(), terminals.dataSync(), timeouts.dataSync()];
    const out = new Float32Array(r.length);
    let next = 0;
    for (let t = r.length - 1; t >= 0; t--) {
      const end = t === r.length - 1 || endAt(d[t], c[t]);
      const after = end ? 0 : gamma * next;
      next = r[t] + after;
      out[t] = shift ? after : next;
    }
    return tf.tensor1d(out);
  };
}
const terminalOnly = (d: number) => d !== 0;
const never = () => false;

function episodeSums(rewards: T1, terminals: T1, timeouts: T1, endAt: (d: number, c: number) => boolean, keepTrailing: boolean): T1 {
  const [r, d, c] = [rewards.dataSync(), terminals.dataSync(), timeouts.dataSync()];
  const sums: number[] = [];
  let cur = 0;
  for (let t = 0; t < r.length; t++) {
    cur += r[t];
    if (endAt(d[t], c[t]) || (keepTrailing && t === r.length - 1)) (sums.push(cur), (cur = 0));
  }
  return tf.tensor1d(sums);
}

function gaussianWith(opts: { clip?: boolean; average?: boolean; constant?: boolean }) {
  return (mean: tf.Tensor2D, logStd: T1, actions: tf.Tensor2D): T1 =>
    tf.tidy(() => {
      const ls = opts.clip === false ? logStd : tf.clipByValue(logStd, LOG_STD_MIN, LOG_STD_MAX);
      const z = tf.div(tf.sub(actions, mean), tf.exp(ls));
      let per = tf.sub(tf.mul(-0.5, tf.square(z)), ls);
      if (opts.constant !== false) per = tf.sub(per, 0.5 * Math.log(2 * Math.PI));
      return (opts.average ? tf.mean(per, 1) : tf.sum(per, 1)) as T1;
    });
}

function topMaskWith(count: (m: number, p: number) => number, ascending = false, lastTieFirst = false) {
  return (returns: T1, percent: number): T1 => {
    const g = returns.dataSync();
    const tie = (i: number, j: number) => (lastTieFirst ? j - i : i - j);
    const order = Array.from(g.keys()).sort((i, j) => (ascending ? g[i] - g[j] : g[j] - g[i]) || tie(i, j));
    const keep = new Float32Array(g.length);
    for (const e of order.slice(0, count(g.length, percent))) keep[e] = 1;
    return tf.tensor1d(keep);
  };
}
const ceilCount = (m: number, p: number) => Math.max(1, Math.ceil((p * m) / 100));

const expectile = (sign: number, swap: boolean, power: 'square' | 'abs') => (u: T1, tau: number): T1 =>
  tf.tidy(() => {
    const x = tf.mul(sign, u);
    const t = swap ? 1 - tau : tau;
    return tf.mul(tf.abs(tf.sub(t, tf.step(tf.neg(x)))), power === 'square' ? tf.square(x) : tf.abs(x));
  }) as T1;

const weightsWith = (f: (a: T1, alpha: number, wMax: number) => T1) => f;
const expAlphaA = weightsWith((a, alpha, wMax) => tf.minimum(tf.exp(tf.mul(a, alpha)), wMax) as T1);
const unclipped = weightsWith((a, alpha) => tf.exp(tf.div(a, alpha)) as T1);
const normalised = weightsWith((a, alpha, wMax) => tf.tidy(() => {
  const { mean, variance } = tf.moments(a);
  return tf.minimum(tf.exp(tf.div(tf.div(tf.sub(a, mean), tf.add(tf.sqrt(variance), 1e-8)), alpha)), wMax) as T1;
}));

const maskWith = (mask: (d: T1) => tf.Tensor) => (r: T1, d: T1, next: T1, gamma: number): T1 => tf.add(r, tf.mul(tf.mul(gamma, mask(d)), next));

/** Function-level variants. */
const FUNCTION_VARIANTS: Variant[] = [
  v('returns.discountedReturnToGo', 'ignores-timeouts', 'Your returns run across a timeout: an episode also ends at a row whose timeout flag is set.', () => returnsWith(terminalOnly)),
  v('returns.discountedReturnToGo', 'leaks-episodes', 'Your returns cross episode ends: reset the running return at every terminal or timeout.', () => returnsWith(never)),
  v('returns.discountedReturnToGo', 'off-by-one', 'Your return-to-go is off by one step: R_t includes r_t itself (R_t = r_t + gamma R_{t+1}).', () => returnsWith((d, c) => d !== 0 || c !== 0, true)),
  v('returns.undiscountedReturnToGo', 'ignores-timeouts', 'Your returns run across a timeout: an episode also ends at a row whose timeout flag is set.', () => (r: T1, d: T1, c: T1) => returnsWith(terminalOnly)(r, d, c, 1)),
  v('returns.undiscountedReturnToGo', 'off-by-one', 'Your return-to-go is off by one step: RTG_t includes r_t itself.', () => (r: T1, d: T1, c: T1) => returnsWith((x, y) => x !== 0 || y !== 0, true)(r, d, c, 1)),
  v('returns.episodeReturns', 'ignores-timeouts', 'An episode also ends at a timeout, not only at a terminal.', () => (r: T1, d: T1, c: T1) => episodeSums(r, d, c, terminalOnly, true)),
  v('returns.episodeReturns', 'drops-trailing', 'A trailing run of rows with neither flag is an episode too: include its return.', () => (r: T1, d: T1, c: T1) => episodeSums(r, d, c, (x, y) => x !== 0 || y !== 0, false)),
  v('policy.gaussianLogProb', 'averaged', 'Sum the log-density over action dimensions; do not average it.', () => gaussianWith({ average: true })),
  v('policy.gaussianLogProb', 'unclipped', 'Clip log sigma to [-5, 2] before using it.', () => gaussianWith({ clip: false })),
  v('policy.gaussianLogProb', 'no-constant', 'Each action dimension contributes the constant -0.5 log(2 pi).', () => gaussianWith({ constant: false })),
  v('policy.bcLoss', 'wrong-sign', 'The BC loss is the NEGATIVE mean log-probability (minimising it maximises the likelihood).', () => (lp: T1) => tf.mean(lp)),
  v('policy.bcLoss', 'sum', 'Average over the batch (mean), not sum.', () => (lp: T1) => tf.neg(tf.sum(lp))),
  v('filtered_bc.keptEpisodeCount', 'floor', 'Round the number of kept episodes UP: n = max(1, ceil(p * M / 100)).', () => (m: number, p: number) => Math.max(1, Math.floor((p * m) / 100))),
  v('filtered_bc.keptEpisodeCount', 'no-minimum', 'Always keep at least one episode: n = max(1, ceil(p * M / 100)).', () => (m: number, p: number) => Math.ceil((p * m) / 100)),
  v('filtered_bc.topEpisodeMask', 'floor', 'Round the number of kept episodes UP: n = max(1, ceil(p * M / 100)).', () => topMaskWith((m, p) => Math.max(1, Math.floor((p * m) / 100)))),
  v('filtered_bc.topEpisodeMask', 'ascending', 'Keep the episodes with the HIGHEST returns (sort descending).', () => topMaskWith(ceilCount, true)),
  v('filtered_bc.topEpisodeMask', 'unstable-ties', 'Ties in episode return must keep dataset order (a stable sort): the earlier episode wins.', () => topMaskWith(ceilCount, false, true)),
  v('filtered_bc.rowMaskFromEpisodes', 'ignores-timeouts', 'An episode also ends at a timeout, not only at a terminal.', () => (mask: T1, d: T1) => {
    const [k, done] = [mask.dataSync(), d.dataSync()];
    let e = 0;
    return tf.tensor1d(Array.from(done, (x) => { const r = k[e] ?? 0; if (x !== 0) e++; return r; }));
  }),
  v('iql.expectileLoss', 'swapped-tau', 'You used 1 - tau where tau belongs: the weight is tau for u >= 0 and 1 - tau for u < 0 (u = q - v).', () => expectile(1, true, 'square')),
  v('iql.expectileLoss', 'v-minus-q', 'This assignment uses u = q - v; your loss treats u as v - q (the sign of u is flipped).', () => expectile(-1, false, 'square')),
  v('iql.expectileLoss', 'absolute', 'The expectile loss squares u; an absolute value gives the quantile (pinball) loss.', () => expectile(1, false, 'abs')),
  v('iql.iqlValueLoss', 'sum', 'Average over the batch (mean), not sum.', () => (q: T1, val: T1, tau: number) => tf.sum(expectile(1, false, 'square')(tf.sub(q, val), tau))),
  v('iql.iqlValueLoss', 'swapped-tau', 'You used 1 - tau where tau belongs, or u = v - q instead of u = q - v.', () => (q: T1, val: T1, tau: number) => tf.mean(expectile(1, true, 'square')(tf.sub(q, val), tau))),
  v('iql.minTargetQ', 'max', 'Take the MINIMUM of the two target critics, not the maximum.', () => (a: T1, b: T1) => tf.maximum(a, b)),
  v('iql.minTargetQ', 'mean', 'Take the minimum of the two target critics, not their mean.', () => (a: T1, b: T1) => tf.div(tf.add(a, b), 2)),
  v('iql.minTargetQ', 'q1-only', 'Use both target critics (their minimum), not Q1 alone.', () => (a: T1) => a.clone()),
  v('iql.criticTarget', 'no-mask', 'Multiply the bootstrap term by (1 - terminal).', () => maskWith((d) => tf.onesLike(d))),
  v('iql.criticTarget', 'inverted-mask', 'The mask is (1 - terminal): you bootstrapped only at terminals.', () => maskWith((d) => d)),
  v('iql.criticTarget', 'broadcast', 'A [B] tensor combined with a [B,1] tensor broadcasts to [B,B]: keep every per-sample tensor of shape [B].', () => (r: T1, d: T1, n: T1, g: number) => tf.add(r, tf.mul(tf.mul(g, tf.sub(1, d)), tf.expandDims(n, 1)))),
  v('iql.criticLoss', 'sum', 'Average over the batch (mean), not sum.', () => (a: T1, b: T1, y: T1) => tf.sum(tf.add(tf.square(tf.sub(a, y)), tf.square(tf.sub(b, y))))),
  v('iql.criticLoss', 'halved', 'Add the two squared errors (do not average them), then take the batch mean.', () => (a: T1, b: T1, y: T1) => tf.mean(tf.div(tf.add(tf.square(tf.sub(a, y)), tf.square(tf.sub(b, y))), 2))),
  v('iql.iqlAdvantageWeights', 'exp-alpha-a', 'The weight is exp(A / alpha), not exp(alpha * A).', () => (q: T1, val: T1, al: number, w: number) => expAlphaA(tf.sub(q, val), al, w)),
  v('iql.iqlAdvantageWeights', 'unclipped', 'Clip the weights at wMax: w = min(exp(A / alpha), wMax).', () => (q: T1, val: T1, al: number) => unclipped(tf.sub(q, val), al, 0)),
  v('iql.iqlAdvantageWeights', 'normalised', 'Do not normalise the advantages: w = min(exp(A / alpha), wMax) with A = q\' - V(s).', () => (q: T1, val: T1, al: number, w: number) => normalised(tf.sub(q, val), al, w)),
  v('iql.iqlAdvantageWeights', 'wrong-sign', 'The advantage is A = q\' - V(s), not V(s) - q\'.', () => (q: T1, val: T1, al: number, w: number) => tf.minimum(tf.exp(tf.div(tf.sub(val, q), al)), w)),
  v('awr.monteCarloValueLoss', 'sum', 'Average over the batch (mean), not sum.', () => (r: T1, val: T1) => tf.sum(tf.square(tf.sub(r, val)))),
  v('awr.monteCarloValueLoss', 'absolute', 'The value loss is the mean SQUARED error.', () => (r: T1, val: T1) => tf.mean(tf.abs(tf.sub(r, val)))),
  v('awr.advantageWeights', 'exp-alpha-a', 'The weight is exp(A / alpha), not exp(alpha * A).', () => expAlphaA),
  v('awr.advantageWeights', 'unclipped', 'Clip the weights at wMax: w = min(exp(A / alpha), wMax).', () => unclipped),
  v('awr.advantageWeights', 'normalised', 'Do not normalise the advantages (ALGORITHMS.md section 4).', () => normalised),
  v('awr.weightedBcLoss', 'wrong-sign', 'The loss is the NEGATIVE weighted mean log-probability.', () => (w: T1, lp: T1) => tf.mean(tf.mul(w, lp))),
  v('awr.weightedBcLoss', 'sum', 'Average over the batch (mean), not sum.', () => (w: T1, lp: T1) => tf.neg(tf.sum(tf.mul(w, lp)))),
  v('rcbc.conditionedInput', 'no-scale', 'Multiply the return-to-go by scale before appending it.', () => (o: tf.Tensor2D, r: T1) => tf.concat([o, tf.expandDims(r, 1)], 1)),
  v('rcbc.rcbcLoss', 'wrong-sign', 'The loss is the NEGATIVE mean log-probability.', (ref) => (p: GaussianPolicy, o: tf.Tensor2D, r: T1, a: tf.Tensor2D, s: number) => tf.neg(fnOf(ref, 'rcbc.rcbcLoss')(p, o, r, a, s) as tf.Scalar)),
  v('rcbc.nextReturnToGo', 'adds-reward', 'The return still to collect DEcreases: RTG_{t+1} = RTG_t - r_t.', () => (r: T1, x: T1) => tf.add(r, x)),
  v('rcbc.maskedMean', 'plain-mean', 'Average over real steps only: sum(loss * mask) / sum(mask).', () => (l: T1) => tf.mean(l)),
  v('rcbc.maskedMean', 'divides-by-batch', 'Divide by sum(mask) (the real steps), not by the batch size.', () => (l: T1, m: T1) => tf.mean(tf.mul(l, m))),
  v('extra.sarsaTarget', 'no-mask', 'Multiply the bootstrap term by (1 - terminal).', () => maskWith((d) => tf.onesLike(d))),
  v('extra.awacTarget', 'max', 'Take the MINIMUM of the two target critics.', () => (r: T1, d: T1, a: T1, b: T1, g: number) => maskWith((x) => tf.sub(1, x))(r, d, tf.maximum(a, b), g)),
  v('extra.awacAdvantage', 'q1-only', 'Use the minimum of both critics on both sides.', () => (a: T1, _b: T1, c: T1) => tf.sub(a, c)),
  v('iql.softUpdate', 'reversed', 'The soft update is theta\' <- rho theta + (1 - rho) theta\': you swapped rho and 1 - rho.', (ref) => (t: unknown, o: unknown, rho: number) => fnOf(ref, 'iql.softUpdate')(t, o, 1 - rho)),
  v('iql.softUpdate', 'hard-copy', 'The target moves only a fraction rho toward the online network; you copied it.', (ref) => (t: unknown, o: unknown) => fnOf(ref, 'iql.softUpdate')(t, o, 1)),
  v('iql.createIqlAgent', 'targets-not-copied', 'The target critics must start as exact copies of Q1 and Q2 (clone them).', (ref) => (rng: { fork(l: string): unknown }, ...rest: unknown[]) => {
    const agent = fnOf(ref, 'iql.createIqlAgent')(rng, ...rest) as Record<string, { dispose(): void; params: tf.Variable[] }>;
    const fresh = fnOf(ref, 'iql.createIqlAgent')(rng.fork('other'), ...rest) as Record<string, { dispose(): void }>;
    for (const k of ['q1', 'q2', 'value', 'policy', 'q1Target', 'q2Target']) if (!k.endsWith('Target')) fresh[k].dispose();
    agent.q1Target.dispose(); agent.q2Target.dispose();
    return { ...agent, q1Target: fresh.q1Target, q2Target: fresh.q2Target };
  }),
  v('iql.createIqlAgent', 'shared-targets', 'Clone the critics for the targets: `q1Target = q1` shares the variables, so soft updates do nothing.', (ref) => (...args: unknown[]) => {
    const agent = fnOf(ref, 'iql.createIqlAgent')(...args) as Record<string, { dispose(): void }>;
    agent.q1Target.dispose(); agent.q2Target.dispose();
    return { ...agent, q1Target: agent.q1, q2Target: agent.q2 };
  }),
];

/** Update-level variants: the reference update composed with one wrong part or a wrong order. */
function updateVariants(): Variant[] {
  const out: Variant[] = [];
  const iqlParts: [string, string, Partial<UpdateParts>][] = [
    ['online-critics', "q' comes from the TARGET critics Q1', Q2', not the online ones.", { onlineForTarget: true }],
    ['next-v-in-target', "The critic target bootstraps from V(s') (the next observation), not V(s).", { valueOfCurrentInTarget: true }],
    ['timeout-or-no-mask', 'The critic target must use the bootstrap mask (1 - terminal).', { noMask: true }],
    ['no-target-update', "Finish the update with the soft update of both target critics.", { skipSoftUpdate: true }],
    ['stale-v', 'Take the actor and critic steps with the V just updated (run the value step first).', { staleValue: true }],
  ];
  for (const [id, hint, parts] of iqlParts) out.push(v('iql.iqlUpdate', id, hint, (ref) => composeIqlUpdate(ref, parts)));
  for (const f of FUNCTION_VARIANTS.filter((x) => x.target.startsWith('iql.') && !['iql.createIqlAgent'].includes(x.target))) {
    const name = f.target.split('.')[1];
    out.push(v('iql.iqlUpdate', `${name}:${f.id}`, `In ${name}: ${f.hint}`, (ref) => composeIqlUpdate({ ...ref, iql: { ...ref.iql, [name]: f.make(ref) } }, {})));
  }
  for (const f of FUNCTION_VARIANTS.filter((x) => x.target.startsWith('awr.'))) {
    const name = f.target.split('.')[1];
    out.push(v('awr.awrUpdate', `${name}:${f.id}`, `In ${name}: ${f.hint}`, (ref) => composeAwrUpdate({ ...ref, awr: { ...ref.awr, [name]: f.make(ref) } }, {})));
  }
  out.push(v('awr.awrUpdate', 'stale-v', 'Compute the advantages with the V just updated (value step first).', (ref) => composeAwrUpdate(ref, { staleValue: true })));
  return out;
}

export const VARIANTS: Variant[] = [...FUNCTION_VARIANTS, ...updateVariants(), ...FQE_VARIANTS];
