// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.
// Conservative Q-learning (docs/contract.md §9; Kumar, Zhou, Tucker & Levine, NeurIPS 2020).
import * as tf from '@tensorflow/tfjs';
import { Mlp, criticValues } from '../provided/nets/mlp';
import { GaussianPolicy, LOG_STD_MAX, LOG_STD_MIN } from '../provided/nets/gaussian';
import { Rng } from '../provided/runtime/rng';
import type { CqlAgent, CqlBatch, CqlConfig, CqlLosses, CqlOptimizers } from '../provided/train/cql';
import { NotImplementedError } from '../provided/runtime/errors';

/**
 * Noisy policy actions from supplied standard-normal noise, clipped to the action box:
 *   a = clip(mu(s) + sigma * eps, -1, 1),  sigma = exp(clip(log sigma, -5, 2))
 * Used for the regulariser's policy samples (eps [N, B, da]) and the actor's sample (eps [B, da]).
 *
 * @param policy       the Gaussian policy (§3)
 * @param observations [B, ds] s
 * @param noise        [N, B, da] or [B, da] eps
 * @returns            the same shape as noise; sample j of row b at [j, b, :]
 */
export function policySamples<T extends tf.Tensor2D | tf.Tensor3D>(policy: GaussianPolicy, observations: tf.Tensor2D, noise: T): T {
  // YOUR CODE HERE
  throw new NotImplementedError('policySamples', 'Q1.1');
}

/**
 * A critic at N actions per state:  Q[j, b] = Q(s_b, a_jb)
 * Hint: tf.tile(s, [N, 1]) repeats the batch N times, row j * B + b holding s_b.
 *
 * @param critic       a critic on [s, a]
 * @param observations [B, ds]
 * @param actions      [N, B, da]
 * @returns            [N, B]
 */
export function sampledActionValues(critic: Mlp, observations: tf.Tensor2D, actions: tf.Tensor3D): tf.Tensor2D {
  // YOUR CODE HERE
  throw new NotImplementedError('sampledActionValues', 'Q1.2');
}

/**
 * CQL regulariser of one critic:  R = mean_b [ logsumexp_j Q(s_b, a_jb) - Q(s_b, a_b) ]
 * The log of the SUM over the N samples (no log N subtracted), per state, then the batch mean.
 *
 * @param sampledQ [N, B] Q at the sampled actions
 * @param dataQ    [B]    Q at the dataset actions
 */
export function cqlRegulariser(sampledQ: tf.Tensor2D, dataQ: tf.Tensor1D): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('cqlRegulariser', 'Q1.3');
}

/**
 * Critic target from the target critics at the policy's mean action a' = mu(s'):
 *   y = r + gamma * (1 - terminal) * min(Q1'(s', a'), Q2'(s', a'))
 *
 * @param nextQ1 [B] Q1'(s', mu(s'))
 * @param nextQ2 [B] Q2'(s', mu(s'))
 */
export function cqlTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextQ1: tf.Tensor1D, nextQ2: tf.Tensor1D, gamma: number): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('cqlTarget', 'Q1.4');
}

/**
 * CQL critic loss, the twin squared errors plus alpha times each critic's own regulariser:
 *   L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2] + alpha * (R(Q1) + R(Q2))
 *
 * @param q1        [B] Q1(s, a), a the dataset action
 * @param q2        [B] Q2(s, a)
 * @param y         [B] the target, a constant
 * @param q1Sampled [N, B] Q1 at the sampled actions
 * @param q2Sampled [N, B] Q2 at the sampled actions
 * @param alpha     weight of the regulariser (never of the squared errors)
 */
export function cqlCriticLoss(q1: tf.Tensor1D, q2: tf.Tensor1D, y: tf.Tensor1D, q1Sampled: tf.Tensor2D, q2Sampled: tf.Tensor2D, alpha: number): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('cqlCriticLoss', 'Q1.5');
}

/**
 * Log-density of the policy's diagonal Gaussian (§3), summed (never averaged) over action dimensions:
 *   log pi(a|s) = sum_j [ -0.5 * ((a_j - mu_j) / sigma_j)^2 - log sigma_j - 0.5 * log(2 pi) ]
 * with log sigma clipped to [-5, 2] first.
 *
 * @param mean    [B, da] mu(s)
 * @param logStd  [da]    log sigma (unclipped)
 * @param actions [B, da] a
 * @returns       [B]
 */
export function gaussianLogProb(mean: tf.Tensor2D, logStd: tf.Tensor1D, actions: tf.Tensor2D): tf.Tensor1D {
  // YOUR CODE HERE
  throw new NotImplementedError('gaussianLogProb', 'Q2.1');
}

/**
 * Entropy of the policy's Gaussian, summed over action dimensions (sigma does not depend on s):
 *   H = sum_j [ log sigma_j + 0.5 * log(2 pi e) ],  log sigma clipped to [-5, 2]
 *
 * @param logStd [da] log sigma (unclipped)
 */
export function gaussianEntropy(logStd: tf.Tensor1D): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('gaussianEntropy', 'Q2.2');
}

/**
 * Actor loss at the reparameterised sample a~ = clip(mu(s) + sigma * xi, -1, 1):
 *   L_pi = -mean min(Q1(s, a~), Q2(s, a~)) - beta * H
 *
 * @param q1Pi    [B] Q1(s, a~), differentiable in the policy through a~
 * @param q2Pi    [B] Q2(s, a~)
 * @param entropy H of the policy
 * @param beta    entropy weight
 */
export function cqlActorLoss(q1Pi: tf.Tensor1D, q2Pi: tf.Tensor1D, entropy: tf.Scalar, beta: number): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('cqlActorLoss', 'Q2.3');
}

/**
 * Actor loss of the warm-up updates, behaviour cloning of the dataset action a:
 *   L_pi = -mean log pi(a|s) - beta * H
 *
 * @param logProbs [B] log pi(a|s)
 * @param entropy  H of the policy
 */
export function warmupActorLoss(logProbs: tf.Tensor1D, entropy: tf.Scalar, beta: number): tf.Scalar {
  // YOUR CODE HERE
  throw new NotImplementedError('warmupActorLoss', 'Q2.4');
}

/**
 * Soft (Polyak) target update, in place:  theta' <- rho * theta + (1 - rho) * theta'
 *
 * @param target the target network theta' (changed)
 * @param online the online network theta (unchanged)
 */
export function softUpdate(target: Mlp, online: Mlp, rho: number): void {
  // YOUR CODE HERE
  throw new NotImplementedError('softUpdate', 'Q3.1');
}

export type { CqlAgent, CqlBatch, CqlConfig, CqlLosses, CqlOptimizers };

/**
 * The CQL networks: Q1, Q2 on [s, a], the Gaussian policy, and target critics Q1', Q2' that
 * start as EXACT copies of Q1 and Q2.
 */
export function createCqlAgent(rng: Rng, obsDim: number, actDim: number, hidden: readonly number[]): CqlAgent {
  const q1 = Mlp.create(rng.fork('q1'), [obsDim + actDim, ...hidden, 1]);
  const q2 = Mlp.create(rng.fork('q2'), [obsDim + actDim, ...hidden, 1]);
  const policy = GaussianPolicy.create(rng.fork('policy'), obsDim, hidden, actDim);
  // YOUR CODE HERE
  throw new NotImplementedError('createCqlAgent', 'Q3.2');
}

/**
 * One CQL update, in this order (each step changes only its own networks' variables):
 *   1. critic step: y = r + gamma (1 - terminal) min(Q1', Q2')(s', mu(s')); sampled actions =
 *      [randomActions; clip(mu(s) + sigma * policyNoise, -1, 1)], constants;
 *      L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2] + alpha (R(Q1) + R(Q2))
 *   2. actor step with the critics just updated: a~ = clip(mu(s) + sigma * actorNoise, -1, 1),
 *      L_pi = -mean min(Q1, Q2)(s, a~) - beta H; when cfg.warmup, L_pi = -mean log pi(a|s) - beta H
 *   3. target update: theta' <- rho theta + (1 - rho) theta' for Q1' and Q2'
 *
 * @returns each loss as a number, evaluated before its own step
 */
export function cqlUpdate(agent: CqlAgent, optimizers: CqlOptimizers, batch: CqlBatch, cfg: CqlConfig): CqlLosses {
  // YOUR CODE HERE
  throw new NotImplementedError('cqlUpdate', 'Q3.3');
}
