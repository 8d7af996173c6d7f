/**
 * Rewrites the hidden cases cannot tell apart from the reference, because they compute the same
 * function on every input the contract allows: unusual but correct code, and a few slips that
 * change nothing (docs/contract.md leaves them no room to matter). They are not hints: the grader
 * never runs them. tests/grader/neutral.test.ts checks that each one keeps full marks on every case
 * of its target, and README.md's grading section names them.
 */
import * as tf from '@tensorflow/tfjs';
import type { GaussianPolicy } from '../../../provided/nets/gaussian';
import { criticValues, stateValues, type Mlp } from '../../../provided/nets/mlp';
import type { Batch } from '../../../provided/train/batch';
import type { AwrAgent, AwrBatch, AwrConfig, AwrOptimizers, FqeAgent, FqeConfig, IqlAgent, IqlConfig, IqlOptimizers } from '../../../provided/train/impl';
import type { Modules } from '../../../grader/child/execute';
import { refFn, variant as v, type Variant } from '../../../grader/diagnostics/define';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const clipLogStd = (l: T1) => tf.clipByValue(l, -5, 2);

/** The top-n mask from an order of the episodes. */
const maskFrom = (m: number, kept: ArrayLike<number>): T1 => {
  const keep = new Float32Array(m);
  for (const e of Array.from(kept)) keep[e] = 1;
  return tf.tensor1d(keep);
};
const count = (m: number, p: number) => Math.max(1, Math.ceil((p * m) / 100));

const FILTERING: Variant[] = [
  v('filtered_bc.keptEpisodeCount', 'episodes-times-percent', 'M * p is the same float64 product as p * M.', () => (m: number, p: number) => Math.max(1, Math.ceil((m * p) / 100))),
  v('filtered_bc.keptEpisodeCount', 'no-minimum', 'ceil(p * M / 100) is at least 1 for any p > 0, so max(1, ...) never acts.', () => (m: number, p: number) => Math.ceil((p * m) / 100)),
  v('filtered_bc.keptEpisodeCount', 'integer-ceil', 'For whole p and M, floor((p * M + 99) / 100) is the ceiling in integers.', () => (m: number, p: number) => Math.max(1, Math.floor((p * m + 99) / 100))),
  v('filtered_bc.topEpisodeMask', 'no-tie-break', 'Array.prototype.sort is stable (ES2019), so ties keep dataset order without a tie-break.', () => (r: T1, p: number) => {
    const g = r.dataSync();
    return maskFrom(g.length, Array.from(g.keys()).sort((i, j) => g[j] - g[i]).slice(0, count(g.length, p)));
  }),
  v('filtered_bc.topEpisodeMask', 'tie-break-sum', "V8's sort only ever compares a later element with an earlier one, so `|| i + j` orders ties as `|| i - j` does.", () => (r: T1, p: number) => {
    const g = r.dataSync();
    return maskFrom(g.length, Array.from(g.keys()).sort((i, j) => g[j] - g[i] || i + j).slice(0, count(g.length, p)));
  }),
  v('filtered_bc.topEpisodeMask', 'tf-topk', "tf.topk breaks ties by the lower index, on every backend.", () => (r: T1, p: number) =>
    tf.tidy(() => maskFrom(r.shape[0], tf.topk(r, count(r.shape[0], p)).indices.dataSync()))),
  v('filtered_bc.topEpisodeMask', 'threshold-then-fill', 'Every return above the n-th largest, then equal ones in dataset order until n, is the stable top n.', () => (r: T1, p: number) => {
    const g = Array.from(r.dataSync());
    const n = count(g.length, p);
    const nth = [...g].sort((a, b) => b - a)[n - 1];
    const above = g.flatMap((x, e) => (x > nth ? [e] : []));
    const equal = g.flatMap((x, e) => (x === nth ? [e] : [])).slice(0, n - above.length);
    return maskFrom(g.length, [...above, ...equal]);
  }),
];

const POLICY: Variant[] = [
  v('policy.gaussianLogProb', 'variance-form', '-0.5 (a - mu)^2 / sigma^2 - 0.5 log sigma^2 is the same per-dimension term.', () => (mu: T2, ls: T1, a: T2) =>
    tf.tidy(() => {
      const l = clipLogStd(ls);
      const variance = tf.exp(tf.mul(2, l));
      return tf.sum(tf.sub(tf.sub(tf.div(tf.square(tf.sub(a, mu)), tf.mul(-2, variance)), tf.mul(0.5, tf.log(variance))), HALF_LOG_2PI), 1) as T1;
    })),
  v('policy.gaussianLogProb', 'log-of-density', 'The log of each dimension density exp(-z^2 / 2) / (sigma sqrt(2 pi)) is the same term while it does not underflow.', () => (mu: T2, ls: T1, a: T2) =>
    tf.tidy(() => {
      const sigma = tf.exp(clipLogStd(ls));
      const z = tf.div(tf.sub(a, mu), sigma);
      return tf.sum(tf.log(tf.div(tf.exp(tf.mul(-0.5, tf.square(z))), tf.mul(sigma, Math.sqrt(2 * Math.PI)))), 1) as T1;
    })),
  v('policy.gaussianLogProb', 'tiny-epsilon', 'An epsilon of 1e-8 in sigma moves a dimension by at most 1e-8 / sigma (z^2 - 1), below the tolerance.', () => (mu: T2, ls: T1, a: T2) =>
    tf.tidy(() => {
      const sigma = tf.add(tf.exp(clipLogStd(ls)), 1e-8);
      const z = tf.div(tf.sub(a, mu), sigma);
      return tf.sum(tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), tf.log(sigma)), HALF_LOG_2PI), 1) as T1;
    })),
];

const CRITICS: Variant[] = [
  v('iql.expectileLoss', 'where-form', 'tf.where(u < 0, 1 - tau, tau) is |tau - 1(u < 0)|; at u = 0 both terms are 0.', () => (u: T1, tau: number) =>
    tf.tidy(() => tf.mul(tf.where(tf.less(u, 0), tf.fill(u.shape, 1 - tau), tf.fill(u.shape, tau)), tf.square(u)) as T1)),
  v('iql.expectileLoss', 'both-swapped', 'u = v - q with tau and 1 - tau swapped as well: the two swaps cancel.', () => (u: T1, tau: number) =>
    tf.tidy(() => {
      const w = tf.neg(u);
      return tf.mul(tf.abs(tf.sub(1 - tau, tf.step(tf.neg(w)))), tf.square(w)) as T1;
    })),
  v('iql.criticLoss', 'sum-of-means', 'mean (Q1 - y)^2 + mean (Q2 - y)^2 is mean[(Q1 - y)^2 + (Q2 - y)^2].', () => (a: T1, b: T1, y: T1) =>
    tf.tidy(() => tf.add(tf.mean(tf.square(tf.sub(a, y))), tf.mean(tf.square(tf.sub(b, y)))))),
  v('iql.iqlAdvantageWeights', 'clipped-log', 'exp(min(A / alpha, log wMax)) is min(exp(A / alpha), wMax).', () => (q: T1, val: T1, alpha: number, wMax: number) =>
    tf.tidy(() => tf.exp(tf.minimum(tf.div(tf.sub(q, val), alpha), Math.log(wMax))))),
  v('iql.softUpdate', 'lerp', "theta' + rho (theta - theta') is rho theta + (1 - rho) theta'.", () => (t: Mlp, o: Mlp, rho: number) =>
    tf.tidy(() => t.params.forEach((p, i) => p.assign(tf.add(p, tf.mul(rho, tf.sub(o.params[i], p))))))),
  v('rcbc.maskedMean', 'mean-ratio', 'mean(loss * mask) / mean(mask) is sum(loss * mask) / sum(mask).', () => (l: T1, m: T1) => tf.tidy(() => tf.div(tf.mean(tf.mul(l, m)), tf.mean(m)))),
];

/** One step over `vars` with the loss before it. */
const step = (opt: tf.Optimizer, loss: () => tf.Scalar, vars: tf.Variable[]) => opt.minimize(loss, true, vars)!.dataSync()[0];

/**
 * IQL's update with the critic step before the actor step (both after the V step: neither reads
 * the other's network), every constant computed inside its step with the step's own var list (no
 * stop-gradient needed), and Q2' updated before Q1'.
 */
const iqlReordered = (ref: Modules) => (agent: IqlAgent, opt: IqlOptimizers, batch: Batch, cfg: IqlConfig) => {
  const fn = (t: string) => refFn(ref, t);
  const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
  const losses = tf.tidy(() => {
    const qPrime = () => fn('iql.minTargetQ')(criticValues(agent.q1Target, s, a), criticValues(agent.q2Target, s, a)) as T1;
    const valueLoss = step(opt.value, () => fn('iql.iqlValueLoss')(qPrime(), stateValues(agent.value, s), cfg.tau) as tf.Scalar, agent.value.params);
    const y = () => fn('iql.criticTarget')(r, d, stateValues(agent.value, s2), cfg.gamma) as T1;
    const criticLoss = step(opt.critic, () => fn('iql.criticLoss')(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), y()) as tf.Scalar, [...agent.q1.params, ...agent.q2.params]);
    const w = () => fn('iql.iqlAdvantageWeights')(qPrime(), stateValues(agent.value, s), cfg.alpha, cfg.wMax) as T1;
    const policyLoss = step(opt.policy, () => fn('awr.weightedBcLoss')(w(), fn('policy.policyLogProb')(agent.policy, s, a)) as tf.Scalar, agent.policy.params);
    return { valueLoss, policyLoss, criticLoss };
  });
  fn('iql.softUpdate')(agent.q2Target, agent.q2, cfg.rho);
  fn('iql.softUpdate')(agent.q1Target, agent.q1, cfg.rho);
  return losses;
};

/** AWR's update with the weights computed inside the policy step, whose var list is the policy's. */
const awrWeightsInside = (ref: Modules) => (agent: AwrAgent, opt: AwrOptimizers, batch: AwrBatch, cfg: AwrConfig) =>
  tf.tidy(() => {
    const fn = (t: string) => refFn(ref, t);
    const { observations: s, actions: a, returns: R } = batch;
    const valueLoss = step(opt.value, () => fn('awr.monteCarloValueLoss')(R, stateValues(agent.value, s)) as tf.Scalar, agent.value.params);
    const w = () => fn('awr.advantageWeights')(tf.sub(R, stateValues(agent.value, s)), cfg.alpha, cfg.wMax) as T1;
    const policyLoss = step(opt.policy, () => fn('awr.weightedBcLoss')(w(), fn('policy.policyLogProb')(agent.policy, s, a)) as tf.Scalar, agent.policy.params);
    return { valueLoss, policyLoss };
  });

/** FQE's update with y computed inside the critic step, whose var list is the critic's. */
const fqeTargetInside = (ref: Modules) => (agent: FqeAgent, opt: tf.Optimizer, batch: Batch, cfg: FqeConfig) => {
  const fn = (t: string) => refFn(ref, t);
  const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
  const y = () => fn('fqe.fqeTarget')(r, d, fn('fqe.policyActionValues')(agent.criticTarget, agent.policy as GaussianPolicy, s2), cfg.gamma) as T1;
  const loss = tf.tidy(() => step(opt, () => fn('fqe.fqeLoss')(criticValues(agent.critic, s, a), y()) as tf.Scalar, agent.critic.params));
  fn('iql.softUpdate')(agent.criticTarget, agent.critic, cfg.rho);
  return { loss };
};

const UPDATES: Variant[] = [
  v('iql.iqlUpdate', 'reordered', 'The critic and actor steps read neither network of the other, so their order, the order of the two target updates, and constants computed inside a step with only its own variables change nothing.', iqlReordered),
  v('awr.awrUpdate', 'weights-inside-step', 'Weights computed inside the policy step move nothing else when the var list is the policy\'s alone.', awrWeightsInside),
  v('fqe.fqeUpdate', 'target-inside-step', 'y computed inside the critic step moves nothing else when the var list is the critic\'s alone.', fqeTargetInside),
];

export const NEUTRAL: Variant[] = [...FILTERING, ...POLICY, ...CRITICS, ...UPDATES];
