/**
 * Known mistakes of the CQL functions (docs/contract.md §9, its table of mistakes): each a changed
 * version of one reference function with the one sentence a student sees when their outputs match
 * it. The whole update's mistakes, and every function mistake seen through it, are in
 * update-variants.ts. tests/grader/cql.test.ts checks that each gives other numbers than the
 * reference on the cases of its target.
 */
import * as tf from '@tensorflow/tfjs';
import { Mlp, criticValues } from '../../../provided/nets/mlp';
import { GaussianPolicy, LOG_STD_MAX, LOG_STD_MIN } from '../../../provided/nets/gaussian';
import type { Rng } from '../../../provided/runtime/rng';
import { refFn, variant as v, type Variant } from '../../../grader/diagnostics/define';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;
type T3 = tf.Tensor3D;
const HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E);
const clipLogStd = (l: tf.Tensor): tf.Tensor => tf.clipByValue(l, LOG_STD_MIN, LOG_STD_MAX);

/** a = clip(mu(s) + sigma * eps, -1, 1) with one part changed. */
function samples(change: { sigma?: 'none' | 'unclipped'; box?: false; mean?: false }) {
  return (policy: GaussianPolicy, s: T2, noise: tf.Tensor): tf.Tensor =>
    tf.tidy(() => {
      const sigma = change.sigma === 'none' ? tf.scalar(1) : tf.exp(change.sigma === 'unclipped' ? policy.logStd : clipLogStd(policy.logStd));
      const a = tf.add(change.mean === false ? tf.scalar(0) : policy.mean(s), tf.mul(sigma, noise));
      return change.box === false ? a : tf.clipByValue(a, -1, 1);
    });
}

/** R = mean_b [ agg_j Q[j, b] - Q_data[b] ] with the aggregate or the data term changed. */
function regulariser(change: { agg?: 'max' | 'mean' | 'log-mean-exp'; data?: 'none' | 'sign' }) {
  return (sampledQ: T2, dataQ: T1): tf.Scalar =>
    tf.tidy(() => {
      const n = sampledQ.shape[0];
      const agg =
        change.agg === 'max' ? tf.max(sampledQ, 0) : change.agg === 'mean' ? tf.mean(sampledQ, 0) : change.agg === 'log-mean-exp' ? tf.sub(tf.logSumExp(sampledQ, 0), Math.log(n)) : tf.logSumExp(sampledQ, 0);
      const diff = change.data === 'none' ? agg : change.data === 'sign' ? tf.sub(dataQ, agg) : tf.sub(agg, dataQ);
      return tf.mean(diff) as tf.Scalar;
    });
}

/** y = r + gamma * mask * combine(Q1', Q2') with one part changed. */
function target(change: { combine?: 'max' | 'mean' | 'q1'; mask?: 'none' | 'inverted'; discount?: false }) {
  return (r: T1, d: T1, nextQ1: T1, nextQ2: T1, gamma: number): T1 =>
    tf.tidy(() => {
      const next = change.combine === 'max' ? tf.maximum(nextQ1, nextQ2) : change.combine === 'mean' ? tf.div(tf.add(nextQ1, nextQ2), 2) : change.combine === 'q1' ? nextQ1 : tf.minimum(nextQ1, nextQ2);
      const mask = change.mask === 'none' ? tf.onesLike(d) : change.mask === 'inverted' ? d : tf.sub(1, d);
      return tf.add(r, tf.mul(tf.mul(change.discount === false ? 1 : gamma, mask), next)) as T1;
    });
}

/** L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2] + alpha (R1 + R2) with one part changed, R the modules' own regulariser. */
export function cqlCriticLoss(ref: Parameters<Variant['make']>[0], change: { alpha?: 'everywhere' | 'on-errors' | 'none'; regularisers?: 'q1' | 'mean'; errors?: 'over-2B' }) {
  const R = refFn(ref, 'cql.cqlRegulariser') as (q: T2, d: T1) => tf.Scalar;
  return (q1: T1, q2: T1, y: T1, q1s: T2, q2s: T2, alpha: number): tf.Scalar =>
    tf.tidy(() => {
      const errors = change.errors === 'over-2B' ? tf.mean(tf.concat([tf.square(tf.sub(q1, y)), tf.square(tf.sub(q2, y))])) : tf.mean(tf.add(tf.square(tf.sub(q1, y)), tf.square(tf.sub(q2, y))));
      const regs = change.regularisers === 'q1' ? R(q1s, q1) : change.regularisers === 'mean' ? tf.div(tf.add(R(q1s, q1), R(q2s, q2)), 2) : tf.add(R(q1s, q1), R(q2s, q2));
      if (change.alpha === 'everywhere') return tf.mul(alpha, tf.add(errors, regs)) as tf.Scalar;
      if (change.alpha === 'on-errors') return tf.add(tf.mul(alpha, errors), regs) as tf.Scalar;
      if (change.alpha === 'none') return tf.add(errors, regs) as tf.Scalar;
      return tf.add(errors, tf.mul(alpha, regs)) as tf.Scalar;
    });
}

/** log pi(a|s) = sum_j [ -0.5 z_j^2 - log sigma_j - 0.5 log(2 pi) ] with one part changed. */
function logProb(change: { clip?: false; reduce?: 'mean'; constant?: false }) {
  return (mean: T2, logStd: T1, actions: T2): T1 =>
    tf.tidy(() => {
      const ls = change.clip === false ? logStd : clipLogStd(logStd);
      const z = tf.div(tf.sub(actions, mean), tf.exp(ls));
      const perDim = tf.sub(tf.sub(tf.mul(-0.5, tf.square(z)), ls), change.constant === false ? 0 : 0.5 * Math.log(2 * Math.PI));
      return (change.reduce === 'mean' ? tf.mean(perDim, 1) : tf.sum(perDim, 1)) as T1;
    });
}

/** H = sum_j [ log sigma_j + 0.5 log(2 pi e) ] with one part changed. */
function entropy(change: { clip?: false; reduce?: 'mean'; constant?: false; sign?: -1 }) {
  return (logStd: T1): tf.Scalar =>
    tf.tidy(() => {
      const perDim = tf.add(change.clip === false ? logStd : clipLogStd(logStd), change.constant === false ? 0 : HALF_LOG_2PI_E);
      const h = change.reduce === 'mean' ? tf.mean(perDim) : tf.sum(perDim);
      return (change.sign === -1 ? tf.neg(h) : h) as tf.Scalar;
    });
}

/** L_pi = -mean combine(Q1, Q2) - beta H with one part changed. */
function actorLoss(change: { combine?: 'max' | 'mean' | 'q1'; entropySign?: 1 }) {
  return (q1: T1, q2: T1, h: tf.Scalar, beta: number): tf.Scalar =>
    tf.tidy(() => {
      const q = change.combine === 'max' ? tf.maximum(q1, q2) : change.combine === 'mean' ? tf.div(tf.add(q1, q2), 2) : change.combine === 'q1' ? q1 : tf.minimum(q1, q2);
      const bonus = tf.mul(beta, h);
      return (change.entropySign === 1 ? tf.add(tf.neg(tf.mean(q)), bonus) : tf.sub(tf.neg(tf.mean(q)), bonus)) as tf.Scalar;
    });
}

// A sign error in the entropy and one in how the actor loss adds it give the same update: one hint for both.
const ENTROPY_SIGN_HINT = 'H = sum_j [log sigma_j + 0.5 log(2 pi e)] is positive for sigma near 1 and enters the actor loss as - beta * H: one of these signs is flipped.';
const RHO_HINT = "theta' <- rho * theta + (1 - rho) * theta': rho weighs the ONLINE network.";

export const FUNCTION_VARIANTS: Variant[] = [
  v('cql.policySamples', 'no-sigma', 'Scale the noise by sigma = exp(clip(log sigma, -5, 2)) before adding it to mu(s).', () => samples({ sigma: 'none' })),
  v('cql.policySamples', 'log-std-unclipped', 'Clip log sigma to [-5, 2] before taking exp (docs/contract.md §3).', () => samples({ sigma: 'unclipped' })),
  v('cql.policySamples', 'no-box', 'Clip every sample to the action box [-1, 1].', () => samples({ box: false })),
  v('cql.policySamples', 'no-mean', 'A policy sample is mu(s) + sigma * noise: add the policy mean mu(s).', () => samples({ mean: false })),
  v('cql.sampledActionValues', 'rows-mismatched', 'Row j * B + b must pair s_b with sample j of row b: tf.tile(s, [N, 1]) with the actions reshaped to [N * B, da] in their own order.', () => (critic: Mlp, s: T2, actions: T3) =>
    tf.tidy(() => {
      const [n, b, da] = actions.shape;
      const repeated = tf.reshape(tf.tile(tf.expandDims(s, 1), [1, n, 1]), [b * n, s.shape[1]]) as T2; // row b * N + j holds s_b
      return tf.reshape(criticValues(critic, repeated, tf.reshape(actions, [n * b, da]) as T2), [n, b]);
    })),
  v('cql.cqlRegulariser', 'max', 'The regulariser takes the logsumexp over the sampled actions, not their maximum.', () => regulariser({ agg: 'max' })),
  v('cql.cqlRegulariser', 'mean', 'The regulariser takes the logsumexp over the sampled actions, not their mean.', () => regulariser({ agg: 'mean' })),
  v('cql.cqlRegulariser', 'log-mean-exp', 'Take the log of the SUM of exp over the sampled actions: do not subtract log N.', () => regulariser({ agg: 'log-mean-exp' })),
  v('cql.cqlRegulariser', 'no-data-term', "Subtract the critic's value at the dataset action from each state's logsumexp.", () => regulariser({ data: 'none' })),
  v('cql.cqlRegulariser', 'sign', "R = logsumexp over the samples MINUS Q at the dataset action (yours has the opposite sign).", () => regulariser({ data: 'sign' })),
  v('cql.cqlTarget', 'max', "The target takes the MIN of the two target critics, not the max.", () => target({ combine: 'max' })),
  v('cql.cqlTarget', 'mean', "The target takes the MIN of the two target critics, not their mean.", () => target({ combine: 'mean' })),
  v('cql.cqlTarget', 'q1-only', "The target takes the min of BOTH target critics, not Q1' alone.", () => target({ combine: 'q1' })),
  v('cql.cqlTarget', 'no-mask', 'Multiply the bootstrap term by (1 - terminal): nothing follows a terminal.', () => target({ mask: 'none' })),
  v('cql.cqlTarget', 'inverted-mask', 'The mask is (1 - terminal): you bootstrapped only at terminals.', () => target({ mask: 'inverted' })),
  v('cql.cqlTarget', 'no-discount', "Discount the bootstrap term: y = r + gamma (1 - terminal) min(Q1', Q2').", () => target({ discount: false })),
  v('cql.cqlCriticLoss', 'alpha-everywhere', 'alpha weighs the regularisers only, not the squared errors.', (ref) => cqlCriticLoss(ref, { alpha: 'everywhere' })),
  v('cql.cqlCriticLoss', 'alpha-on-errors', 'alpha weighs the regularisers, not the squared errors.', (ref) => cqlCriticLoss(ref, { alpha: 'on-errors' })),
  v('cql.cqlCriticLoss', 'no-alpha', 'Multiply the sum of the regularisers by alpha.', (ref) => cqlCriticLoss(ref, { alpha: 'none' })),
  v('cql.cqlCriticLoss', 'one-regulariser', "Each critic has its own regulariser: add Q2's too (R1 + R2).", (ref) => cqlCriticLoss(ref, { regularisers: 'q1' })),
  v('cql.cqlCriticLoss', 'mean-regularisers', 'Add the two regularisers (R1 + R2), do not average them.', (ref) => cqlCriticLoss(ref, { regularisers: 'mean' })),
  v('cql.cqlCriticLoss', 'errors-over-2B', 'Add the two squared errors per sample, then take the batch mean (not the mean over all 2B errors).', (ref) => cqlCriticLoss(ref, { errors: 'over-2B' })),
  v('cql.gaussianLogProb', 'unclipped', 'Clip log sigma to [-5, 2] before using it (docs/contract.md §3).', () => logProb({ clip: false })),
  v('cql.gaussianLogProb', 'averaged', 'Sum the log-density over the action dimensions; do not average it.', () => logProb({ reduce: 'mean' })),
  v('cql.gaussianLogProb', 'no-constant', 'Each dimension has the constant -0.5 * log(2 pi).', () => logProb({ constant: false })),
  v('cql.gaussianEntropy', 'unclipped', 'Clip log sigma to [-5, 2] before using it in the entropy.', () => entropy({ clip: false })),
  v('cql.gaussianEntropy', 'averaged', 'Sum the entropy over the action dimensions; do not average it.', () => entropy({ reduce: 'mean' })),
  v('cql.gaussianEntropy', 'no-constant', 'Each dimension adds 0.5 * log(2 pi e) to log sigma.', () => entropy({ constant: false })),
  v('cql.gaussianEntropy', 'sign', ENTROPY_SIGN_HINT, () => entropy({ sign: -1 })),
  v('cql.cqlActorLoss', 'max', 'The actor maximises the MIN of the two critics, not the max.', () => actorLoss({ combine: 'max' })),
  v('cql.cqlActorLoss', 'mean', 'The actor maximises the MIN of the two critics, not their mean.', () => actorLoss({ combine: 'mean' })),
  v('cql.cqlActorLoss', 'q1-only', 'The actor maximises the min of BOTH critics, not Q1 alone.', () => actorLoss({ combine: 'q1' })),
  v('cql.cqlActorLoss', 'entropy-sign', ENTROPY_SIGN_HINT, () => actorLoss({ entropySign: 1 })),
  v('cql.warmupActorLoss', 'entropy-sign', ENTROPY_SIGN_HINT, () => (lp: T1, h: tf.Scalar, beta: number) => tf.tidy(() => tf.add(tf.neg(tf.mean(lp)), tf.mul(beta, h)) as tf.Scalar)),
  v('cql.warmupActorLoss', 'no-negation', 'Minimise the NEGATIVE mean log-likelihood: L_pi = -mean log pi(a|s) - beta * H.', () => (lp: T1, h: tf.Scalar, beta: number) => tf.tidy(() => tf.sub(tf.mean(lp), tf.mul(beta, h)) as tf.Scalar)),
  v('cql.warmupActorLoss', 'batch-sum', 'Average the log-likelihood over the batch (a mean, not a sum).', () => (lp: T1, h: tf.Scalar, beta: number) => tf.tidy(() => tf.sub(tf.neg(tf.sum(lp)), tf.mul(beta, h)) as tf.Scalar)),
  v('cql.softUpdate', 'reversed', RHO_HINT, () => (t: Mlp, o: Mlp, rho: number) =>
    tf.tidy(() => t.params.forEach((p, i) => p.assign(tf.add(tf.mul(1 - rho, o.params[i]), tf.mul(rho, p)))))),
  v('cql.softUpdate', 'copy', "Move the target only a step rho toward the online network; do not copy it.", () => (t: Mlp, o: Mlp) => tf.tidy(() => t.params.forEach((p, i) => p.assign(o.params[i])))),
  v('cql.createCqlAgent', 'targets-not-copies', "The target critics start as EXACT copies of Q1 and Q2 (clone them), not as new networks.", (ref) => (rng: Rng, ds: number, da: number, hidden: readonly number[]) => {
    const agent = (refFn(ref, 'cql.createCqlAgent') as (...a: unknown[]) => { q1Target: Mlp; q2Target: Mlp })(rng, ds, da, hidden);
    agent.q1Target.dispose();
    agent.q2Target.dispose();
    agent.q1Target = Mlp.create(rng.fork('q1-target'), [ds + da, ...hidden, 1]);
    agent.q2Target = Mlp.create(rng.fork('q2-target'), [ds + da, ...hidden, 1]);
    return agent;
  }),
];
