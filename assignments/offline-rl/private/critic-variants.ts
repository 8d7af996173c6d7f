/**
 * Known mistakes of the critic and weighting functions: IQL's (docs/contract.md §5), AWR's (§4) and
 * the extra credit's (§7). The bootstrap-target mistakes are shared with FQE (fqe-variants.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { refFn, variant as v, type AnyFn, type Variant } from '../../../grader/diagnostics/define';

type T1 = tf.Tensor1D;

/** y = r + gamma * m(d) * next with one part changed: the mask m, where gamma goes, a [B,1] next. */
interface TargetChange {
  mask?: 'none' | 'inverted' | 'sign';
  discount?: 'none' | 'outside';
  broadcast?: boolean;
}
const maskOf = (d: T1, mask: TargetChange['mask']): tf.Tensor =>
  mask === 'none' ? tf.onesLike(d) : mask === 'inverted' ? d : mask === 'sign' ? tf.sub(d, 1) : tf.sub(1, d); // 1 - d; d; d - 1

export function bootstrapTarget(change: TargetChange) {
  return (r: T1, d: T1, next: T1, gamma: number): T1 =>
    tf.tidy(() => {
      const nextCol = change.broadcast ? tf.expandDims(next, 1) : next;
      const bootstrap = tf.mul(maskOf(d, change.mask), nextCol);
      if (change.discount === 'outside') return tf.mul(gamma, tf.add(r, bootstrap)) as T1; // gamma (r + m next)
      return tf.add(r, tf.mul(change.discount === 'none' ? 1 : gamma, bootstrap)) as T1;
    });
}

/** The target mistakes of one function `target`, whose own arguments give (r, d, next, gamma). */
export function targetVariants(target: string, args: (...a: never[]) => [T1, T1, T1, number], what: string): Variant[] {
  const through = (change: TargetChange): AnyFn => (...a: never[]) => tf.tidy(() => bootstrapTarget(change)(...args(...a)));
  return [
    v(target, 'no-mask', 'Multiply the bootstrap term by (1 - terminal): nothing follows a terminal.', () => through({ mask: 'none' })),
    v(target, 'inverted-mask', 'The mask is (1 - terminal): you bootstrapped only at terminals.', () => through({ mask: 'inverted' })),
    v(target, 'mask-sign', 'The mask is (1 - terminal), not (terminal - 1): yours flips the sign of the bootstrap term.', () => through({ mask: 'sign' })),
    v(target, 'no-discount', `Discount the bootstrap term: y = r + gamma (1 - terminal) ${what}.`, () => through({ discount: 'none' })),
    v(target, 'discounted-reward', `Only the bootstrap term is discounted; the reward r is not: y = r + gamma (1 - terminal) ${what}.`, () => through({ discount: 'outside' })),
    v(target, 'broadcast', 'A [B] tensor combined with a [B,1] tensor broadcasts to [B,B]: keep every per-sample tensor of shape [B].', () => through({ broadcast: true })),
  ];
}

/** The expectile loss |w(u)| u^2 with one part changed (§5 step 1). */
const expectile = (o: { swap?: boolean; power?: 'square' | 'abs'; noAbs?: boolean } = {}) => (u: T1, tau: number): T1 =>
  tf.tidy(() => {
    const t = o.swap ? 1 - tau : tau;
    const weight = tf.sub(t, tf.step(tf.neg(u))); // tau - 1(u < 0)
    return tf.mul(o.noAbs ? weight : tf.abs(weight), o.power === 'abs' ? tf.abs(u) : tf.square(u)) as T1;
  });

// For the expectile loss, 1 - tau for tau and u = v - q for u = q - v are the same function (u^2 hides the sign), so one hint names both.
const SWAPPED_HINT = 'Your expectile weights are swapped: the weight is tau for u >= 0 and 1 - tau for u < 0, with u = q - v (1 - tau in place of tau, or u = v - q, swaps them).';
const EXPECTILES: Array<[string, string, Parameters<typeof expectile>[0]]> = [
  ['swapped-tau', SWAPPED_HINT, { swap: true }],
  ['absolute', 'The expectile loss squares u; an absolute value gives the quantile (pinball) loss.', { power: 'abs' }],
  ['no-absolute-weight', 'The weight is |tau - 1(u < 0)|: without the absolute value, negative u gets a negative weight.', { noAbs: true }],
];

/** A = q' - V(s) for IQL's weights; AWR's take A itself. */
type Advantage = (...a: never[]) => [T1, number, number];
const iqlAdvantage: Advantage = (...a) => {
  const [q, val, alpha, wMax] = a as unknown as [T1, T1, number, number];
  return [tf.sub(q, val), alpha, wMax];
};
const awrAdvantage: Advantage = (...a) => a as unknown as [T1, number, number];

/** Weights from (A, alpha, wMax) with one mistake; the contract's are min(exp(A / alpha), wMax). */
type Weights = (a: T1, alpha: number, wMax: number) => tf.Tensor;
const clip = (w: tf.Tensor, wMax: number) => tf.minimum(w, wMax);
const standardised = (a: T1, sample: boolean): tf.Tensor => {
  const { mean, variance } = tf.moments(a);
  const n = a.shape[0];
  const std = tf.sqrt(sample ? tf.mul(variance, n / (n - 1)) : variance);
  return tf.div(tf.sub(a, mean), tf.add(std, 1e-8)); // (A - mean) / (std + 1e-8)
};
const WEIGHTS: Record<string, Weights> = {
  'exp-alpha-a': (a, alpha, wMax) => clip(tf.exp(tf.mul(a, alpha)), wMax), // exp(alpha A)
  unclipped: (a, alpha) => tf.exp(tf.div(a, alpha)), // exp(A / alpha)
  normalised: (a, alpha, wMax) => clip(tf.exp(tf.div(standardised(a, false), alpha)), wMax),
  'normalised-sample-std': (a, alpha, wMax) => clip(tf.exp(tf.div(standardised(a, true), alpha)), wMax),
  centred: (a, alpha, wMax) => clip(tf.exp(tf.div(tf.sub(a, tf.mean(a)), alpha)), wMax), // A - mean(A)
  'weights-over-mean': (a, alpha, wMax) => {
    const w = clip(tf.exp(tf.div(a, alpha)), wMax);
    return tf.div(w, tf.mean(w)); // w / mean(w)
  },
  'weights-over-sum': (a, alpha, wMax) => {
    const w = clip(tf.exp(tf.div(a, alpha)), wMax);
    return tf.div(w, tf.sum(w)); // w / sum(w)
  },
  softmax: (a, alpha) => tf.softmax(tf.div(a, alpha)), // exp(A / alpha) / sum exp(A / alpha)
};
const ADVANTAGE_NORM_HINT = 'Do not normalise the advantages: w = min(exp(A / alpha), wMax) with the raw A.';
// Dividing the loss by sum(w) is w / mean(w) in a plain mean: one hint for both, in whichever function.
const WEIGHTS_NORM_HINT = 'Do not normalise the weights (no division by their mean or sum, no softmax over the batch): w = min(exp(A / alpha), wMax), L = -mean(w log pi).';
const WEIGHT_HINTS: Record<string, string> = {
  'exp-alpha-a': 'The weight is exp(A / alpha), not exp(alpha * A).',
  unclipped: 'Clip the weights at wMax: w = min(exp(A / alpha), wMax).',
  normalised: ADVANTAGE_NORM_HINT,
  'normalised-sample-std': ADVANTAGE_NORM_HINT,
  centred: ADVANTAGE_NORM_HINT,
  'weights-over-mean': WEIGHTS_NORM_HINT,
  'weights-over-sum': WEIGHTS_NORM_HINT,
  softmax: WEIGHTS_NORM_HINT,
};
const weightVariants = (target: string, advantage: Advantage): Variant[] =>
  Object.entries(WEIGHTS).map(([id, w]) => v(target, id, WEIGHT_HINTS[id], () => (...a: never[]) => tf.tidy(() => w(...advantage(...a)))));

const sumOfSquares = (a: T1, b: T1, y: T1) => tf.add(tf.square(tf.sub(a, y)), tf.square(tf.sub(b, y))); // (Q1 - y)^2 + (Q2 - y)^2
const Q1_HINT = 'Use both target critics (their minimum), not Q1 alone.';

const IQL: Variant[] = [
  ...EXPECTILES.map(([id, hint, o]) => v('iql.expectileLoss', id, hint, () => expectile(o))),
  v('iql.iqlValueLoss', 'sum', 'Average over the batch (mean), not sum.', () => (q: T1, val: T1, tau: number) => tf.sum(expectile()(tf.sub(q, val), tau))),
  ...EXPECTILES.map(([id, hint, o]) => v('iql.iqlValueLoss', id, hint, () => (q: T1, val: T1, tau: number) => tf.mean(expectile(o)(tf.sub(q, val), tau)))),
  v('iql.minTargetQ', 'max', 'Take the MINIMUM of the two target critics, not the maximum.', () => (a: T1, b: T1) => tf.maximum(a, b)),
  v('iql.minTargetQ', 'mean', 'Take the minimum of the two target critics, not their mean.', () => (a: T1, b: T1) => tf.div(tf.add(a, b), 2)),
  v('iql.minTargetQ', 'q1-only', Q1_HINT, () => (a: T1) => a.clone()),
  v('iql.minTargetQ', 'q2-only', 'Use both target critics (their minimum), not Q2 alone.', () => (_a: T1, b: T1) => b.clone()),
  ...targetVariants('iql.criticTarget', (...a) => a as unknown as [T1, T1, T1, number], "V(s')"),
  v('iql.criticLoss', 'sum', 'Average over the batch (mean), not sum.', () => (a: T1, b: T1, y: T1) => tf.sum(sumOfSquares(a, b, y))),
  v('iql.criticLoss', 'halved', 'Add the two squared errors (do not average them), then take the batch mean.', () => (a: T1, b: T1, y: T1) => tf.mean(tf.div(sumOfSquares(a, b, y), 2))),
  v('iql.criticLoss', 'min-of-critics', 'Each critic regresses on y by itself: L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2], not (min(Q1, Q2) - y)^2.', () => (a: T1, b: T1, y: T1) =>
    tf.mean(tf.square(tf.sub(tf.minimum(a, b), y)))),
  v('iql.criticLoss', 'q1-only', 'Both critics regress on y: add (Q1 - y)^2 and (Q2 - y)^2.', () => (a: T1, _b: T1, y: T1) => tf.mean(tf.square(tf.sub(a, y)))),
  v('iql.criticLoss', 'absolute', 'The critic loss uses SQUARED errors: mean[(Q1 - y)^2 + (Q2 - y)^2].', () => (a: T1, b: T1, y: T1) => tf.mean(tf.add(tf.abs(tf.sub(a, y)), tf.abs(tf.sub(b, y))))),
  ...weightVariants('iql.iqlAdvantageWeights', iqlAdvantage),
  v('iql.iqlAdvantageWeights', 'wrong-sign', "The advantage is A = q' - V(s), not V(s) - q'.", () => (q: T1, val: T1, al: number, w: number) => tf.minimum(tf.exp(tf.div(tf.sub(val, q), al)), w)),
  v('iql.softUpdate', 'reversed', "The soft update is theta' <- rho theta + (1 - rho) theta': you swapped rho and 1 - rho.", (ref) => (t: unknown, o: unknown, rho: number) => refFn(ref, 'iql.softUpdate')(t, o, 1 - rho)),
  v('iql.softUpdate', 'hard-copy', 'The target moves only a fraction rho toward the online network; you copied it.', (ref) => (t: unknown, o: unknown) => refFn(ref, 'iql.softUpdate')(t, o, 1)),
  v('iql.softUpdate', 'moves-online', "The soft update changes the TARGET network theta' and leaves the online network as it is.", (ref) => (t: unknown, o: unknown, rho: number) => refFn(ref, 'iql.softUpdate')(o, t, 1 - rho)),
  v('iql.createIqlAgent', 'targets-not-copied', 'The target critics must start as exact copies of Q1 and Q2 (clone them).', (ref) => (rng: { fork(l: string): unknown }, ...rest: unknown[]) => {
    const agent = refFn(ref, 'iql.createIqlAgent')(rng, ...rest) as Record<string, { dispose(): void }>;
    const fresh = refFn(ref, 'iql.createIqlAgent')(rng.fork('other'), ...rest) as Record<string, { dispose(): void }>;
    for (const k of ['q1', 'q2', 'value', 'policy']) fresh[k].dispose();
    agent.q1Target.dispose();
    agent.q2Target.dispose();
    return { ...agent, q1Target: fresh.q1Target, q2Target: fresh.q2Target };
  }),
  v('iql.createIqlAgent', 'shared-targets', 'Clone the critics for the targets: `q1Target = q1` shares the variables, so soft updates do nothing.', (ref) => (...args: unknown[]) => {
    const agent = refFn(ref, 'iql.createIqlAgent')(...args) as Record<string, { dispose(): void }>;
    agent.q1Target.dispose();
    agent.q2Target.dispose();
    return { ...agent, q1Target: agent.q1, q2Target: agent.q2 };
  }),
];

const AWR: Variant[] = [
  v('awr.monteCarloValueLoss', 'sum', 'Average over the batch (mean), not sum.', () => (r: T1, val: T1) => tf.sum(tf.square(tf.sub(r, val)))),
  v('awr.monteCarloValueLoss', 'absolute', 'The value loss is the mean SQUARED error.', () => (r: T1, val: T1) => tf.mean(tf.abs(tf.sub(r, val)))),
  v('awr.monteCarloValueLoss', 'halved', 'The value loss is mean (R - V(s))^2, without a factor 1/2.', () => (r: T1, val: T1) => tf.mul(0.5, tf.mean(tf.square(tf.sub(r, val))))),
  ...weightVariants('awr.advantageWeights', awrAdvantage),
  v('awr.weightedBcLoss', 'wrong-sign', 'The loss is the NEGATIVE weighted mean log-probability.', () => (w: T1, lp: T1) => tf.mean(tf.mul(w, lp))),
  v('awr.weightedBcLoss', 'sum', 'Average over the batch (mean), not sum.', () => (w: T1, lp: T1) => tf.neg(tf.sum(tf.mul(w, lp)))),
  v('awr.weightedBcLoss', 'over-weight-sum', WEIGHTS_NORM_HINT, () => (w: T1, lp: T1) => tf.neg(tf.div(tf.sum(tf.mul(w, lp)), tf.sum(w)))),
];

const minOf = (a: T1, b: T1) => tf.minimum(a, b);
const EXTRA: Variant[] = [
  ...targetVariants('extra.sarsaTarget', (...a) => a as unknown as [T1, T1, T1, number], "Q(s', a')").filter((x) => x.id !== 'broadcast'),
  v('extra.awacTarget', 'max', 'Take the MINIMUM of the two target critics.', () => (r: T1, d: T1, a: T1, b: T1, g: number) => bootstrapTarget({})(r, d, tf.maximum(a, b) as T1, g)),
  v('extra.awacTarget', 'mean', 'Take the minimum of the two target critics, not their mean.', () => (r: T1, d: T1, a: T1, b: T1, g: number) => bootstrapTarget({})(r, d, tf.div(tf.add(a, b), 2) as T1, g)),
  v('extra.awacTarget', 'q1-only', Q1_HINT, () => (r: T1, d: T1, a: T1, _b: T1, g: number) => bootstrapTarget({})(r, d, a, g)),
  ...targetVariants('extra.awacTarget', (...a) => {
    const [r, d, q1, q2, g] = a as unknown as [T1, T1, T1, T1, number];
    return [r, d, minOf(q1, q2) as T1, g];
  }, "min Q'(s', a')").filter((x) => ['no-mask', 'mask-sign', 'discounted-reward'].includes(x.id)),
  v('extra.awacAdvantage', 'q1-only', 'Use the minimum of both critics on both sides.', () => (a: T1, _b: T1, c: T1) => tf.sub(a, c)),
  v('extra.awacAdvantage', 'min-of-differences', 'Take each minimum first: A = min(Q1, Q2)(s, a) - min(Q1, Q2)(s, a_pi), not the minimum of the two differences.', () => (a: T1, b: T1, c: T1, d: T1) =>
    tf.minimum(tf.sub(a, c), tf.sub(b, d))),
  v('extra.awacAdvantage', 'mean', 'Take the minimum of the two critics on each side, not their mean.', () => (a: T1, b: T1, c: T1, d: T1) => tf.div(tf.sub(tf.add(a, b), tf.add(c, d)), 2)),
  v('extra.awacAdvantage', 'wrong-sign', 'The advantage is Q(s, a) - Q(s, a_pi) (the data action minus the policy action), not the reverse.', () => (a: T1, b: T1, c: T1, d: T1) =>
    tf.sub(tf.minimum(c, d), tf.minimum(a, b))),
];

export const CRITIC_VARIANTS: Variant[] = [...IQL, ...AWR, ...EXTRA];
