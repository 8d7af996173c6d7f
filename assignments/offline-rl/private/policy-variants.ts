/**
 * Known mistakes of the Gaussian policy's log-density and the BC loss (docs/contract.md §3): each
 * per-dimension part computed one wrong way, the clip, and the sum over dimensions.
 */
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy, LOG_STD_MAX, LOG_STD_MIN } from '../../../provided/nets/gaussian';
import { variant as v, type Variant } from '../../../grader/diagnostics/define';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;

/** How one dimension's log-density is computed; the defaults are the contract's. */
interface Density {
  /** The clip of log sigma: both sides, one side, or none. */
  clip: 'both' | 'min' | 'max' | 'none';
  /** Where the clipped log sigma is used: in z and in -log sigma, or in one of them (the raw one in the other). */
  clipIn: 'both' | 'z' | 'normaliser';
  /** sigma from the clipped log sigma: exp(log sigma) (+ eps where `epsilon` says). */
  epsilon: { value: number; where: 'log' | 'everywhere' } | undefined;
  /** z = (a - mu) / sigma, or / sigma^2 ('variance'). */
  scale: 'sigma' | 'variance';
  /** The normaliser: -log sigma, -log sigma^2 ('log-variance'), or nothing. */
  normaliser: 'log-sigma' | 'log-variance' | 'none';
  /** -0.5 log(2 pi) per dimension. */
  constant: boolean;
  /** Over action dimensions: sum (right) or mean. */
  reduce: 'sum' | 'mean';
}
const CONTRACT: Density = { clip: 'both', clipIn: 'both', epsilon: undefined, scale: 'sigma', normaliser: 'log-sigma', constant: true, reduce: 'sum' };

const clipped = (ls: T1, clip: Density['clip']): tf.Tensor =>
  clip === 'both' ? tf.clipByValue(ls, LOG_STD_MIN, LOG_STD_MAX) : clip === 'min' ? tf.maximum(ls, LOG_STD_MIN) : clip === 'max' ? tf.minimum(ls, LOG_STD_MAX) : ls;

/** log pi(a|s) = sum_j [ -0.5 z_j^2 - log sigma_j - 0.5 log(2 pi) ], z = (a - mu) / sigma, with one part changed. */
function logDensity(change: Partial<Density>) {
  const d = { ...CONTRACT, ...change };
  return (mean: T2, logStd: T1, actions: T2): T1 =>
    tf.tidy(() => {
      const logSigma = clipped(logStd, d.clip);
      const [zLog, normLog] = d.clipIn === 'z' ? [logSigma, logStd] : d.clipIn === 'normaliser' ? [logStd, logSigma] : [logSigma, logSigma];
      const sigma = tf.add(tf.exp(zLog), d.epsilon?.where === 'everywhere' ? d.epsilon.value : 0);
      const z = tf.div(tf.sub(actions, mean), d.scale === 'variance' ? tf.square(sigma) : sigma);
      const logNorm = d.epsilon ? tf.log(tf.add(tf.exp(normLog), d.epsilon.value)) : normLog;
      const normaliser = d.normaliser === 'log-sigma' ? logNorm : d.normaliser === 'log-variance' ? tf.mul(2, logNorm) : tf.zerosLike(logNorm);
      let perDim = tf.sub(tf.mul(-0.5, tf.square(z)), normaliser);
      if (d.constant) perDim = tf.sub(perDim, 0.5 * Math.log(2 * Math.PI));
      return (d.reduce === 'mean' ? tf.mean(perDim, 1) : tf.sum(perDim, 1)) as T1;
    });
}

const EPSILON_HINT = 'Use sigma = exp(log sigma) exactly: an epsilon added to sigma moves each dimension by about epsilon / sigma, which is large where log sigma is clipped at -5.';

const GAUSSIAN: Variant[] = [
  v('policy.gaussianLogProb', 'averaged', 'Sum the log-density over action dimensions; do not average it.', () => logDensity({ reduce: 'mean' })),
  v('policy.gaussianLogProb', 'unclipped', 'Clip log sigma to [-5, 2] before using it.', () => logDensity({ clip: 'none' })),
  v('policy.gaussianLogProb', 'clip-min-only', 'Clip log sigma from above too: it is clipped to [-5, 2].', () => logDensity({ clip: 'min' })),
  v('policy.gaussianLogProb', 'clip-max-only', 'Clip log sigma from below too: it is clipped to [-5, 2].', () => logDensity({ clip: 'max' })),
  v('policy.gaussianLogProb', 'clip-z-only', 'Use the clipped log sigma in -log sigma_j too, not only in z.', () => logDensity({ clipIn: 'z' })),
  v('policy.gaussianLogProb', 'clip-normaliser-only', 'Use the clipped log sigma in z = (a - mu) / sigma too, not only in -log sigma_j.', () => logDensity({ clipIn: 'normaliser' })),
  v('policy.gaussianLogProb', 'no-constant', 'Each action dimension contributes the constant -0.5 log(2 pi).', () => logDensity({ constant: false })),
  v('policy.gaussianLogProb', 'no-log-sigma', 'Each action dimension contributes -log sigma_j (the normaliser of the density).', () => logDensity({ normaliser: 'none' })),
  v('policy.gaussianLogProb', 'log-variance', 'The normaliser is -log sigma_j, not -log sigma_j^2 (log sigma is the log of the standard deviation).', () => logDensity({ normaliser: 'log-variance' })),
  v('policy.gaussianLogProb', 'divides-by-variance', 'z = (a - mu) / sigma: divide by the standard deviation, not by the variance.', () => logDensity({ scale: 'variance' })),
  v('policy.gaussianLogProb', 'sigma-epsilon', EPSILON_HINT, () => logDensity({ epsilon: { value: 1e-6, where: 'everywhere' } })),
  v('policy.gaussianLogProb', 'log-epsilon', EPSILON_HINT, () => logDensity({ epsilon: { value: 1e-6, where: 'log' } })),
];

/**
 * The log-density mistakes that show with log sigma inside [-5, 2], as a policy network's is: the
 * clip and epsilon mistakes show only on Q2.1's own inputs (log sigma beyond the clip, sigma small).
 */
const IN_RANGE = ['averaged', 'no-constant', 'no-log-sigma', 'log-variance', 'divides-by-variance'];

/** policyLogProb(policy, s, a) = gaussian(mu(s), log sigma, a) with the given log-density. */
const policyLogProbWith = (gaussian: (m: T2, l: T1, a: T2) => T1, mean = (p: GaussianPolicy, o: T2) => p.mean(o)) => (p: GaussianPolicy, o: T2, a: T2): T1 =>
  tf.tidy(() => gaussian(mean(p, o), p.logStd as tf.Tensor as T1, a));

const POLICY: Variant[] = [
  ...GAUSSIAN,
  // policyLogProb's own slip, and each log-density mistake seen through it (Q2.2 calls gaussianLogProb).
  v('policy.policyLogProb', 'pre-tanh', "The policy's mean is mu(s) = tanh(MLP(s)): use policy.mean(s), not the network's raw output.", () =>
    policyLogProbWith(logDensity({}), (p, o) => p.net.apply(o))),
  ...GAUSSIAN.filter((x) => IN_RANGE.includes(x.id)).map((x) => v('policy.policyLogProb', `gaussianLogProb:${x.id}`, `In gaussianLogProb: ${x.hint}`, (ref) => policyLogProbWith(x.make(ref) as never))),
  v('policy.bcLoss', 'wrong-sign', 'The BC loss is the NEGATIVE mean log-probability (minimising it maximises the likelihood).', () => (lp: T1) => tf.mean(lp)),
  v('policy.bcLoss', 'sum', 'Average over the batch (mean), not sum.', () => (lp: T1) => tf.neg(tf.sum(lp))),
];

export const POLICY_VARIANTS = POLICY;
