// Offline evaluation: fitted Q evaluation (FQE) of a fixed policy and one cheap heuristic
// (docs/contract.md §7; Le, Voloshin & Yue, ICML 2019; Paine et al. 2020 for FQE as a tuning tool).
import * as tf from '@tensorflow/tfjs';
import { Mlp, criticValues } from '../provided/nets/mlp';
import { GaussianPolicy } from '../provided/nets/gaussian';
import { Batch } from '../provided/train/batch';
import type { FqeAgent, FqeConfig, FqeLosses } from '../provided/train/impl';
import { softUpdate } from './iql';

/**
 * A critic at the policy's deterministic action:  Q(s, mu(s)),  mu(s) = policy.mean(s) = tanh(MLP(s)).
 * Used for Q_E'(s', mu(s')) in the FQE target, Q_E(s0, mu(s0)) in the estimate and the heuristic.
 *
 * @param critic       a critic on [s, a]
 * @param policy       the fixed policy (never changed here)
 * @param observations [B, ds]
 * @returns            [B]
 */
export function policyActionValues(critic: Mlp, policy: GaussianPolicy, observations: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => criticValues(critic, observations, policy.mean(observations))); // SOLUTION
}

/**
 * FQE target:  y = r + gamma * (1 - terminal) * Q_E'(s', mu(s'))
 * A timeout is not a terminal: it never zeroes the mask.
 *
 * @param rewards   [B] r
 * @param terminals [B] 1 where the environment really ended
 * @param nextQ     [B] Q_E'(s', mu(s')) from the TARGET critic at the policy's action
 */
export function fqeTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextQ: tf.Tensor1D, gamma: number): tf.Tensor1D {
  return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), nextQ)); // SOLUTION
}

/**
 * FQE loss on dataset transitions:  L = mean (Q_E(s, a) - y)^2
 *
 * @param q [B] Q_E(s, a), a the dataset action
 * @param y [B] FQE target, a constant
 */
export function fqeLoss(q: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.square(tf.sub(q, y))); // SOLUTION
}

export type { FqeAgent, FqeConfig, FqeLosses };

/**
 * One FQE update of the critic Q_E (the policy stays fixed):
 *   1. y = r + gamma (1 - terminal) Q_E'(s', mu(s')), a constant, from the TARGET critic;
 *   2. critic step on L = mean (Q_E(s, a) - y)^2, a the dataset action (changes only Q_E);
 *   3. target update: theta' <- rho theta + (1 - rho) theta' (docs/contract.md §5 step 4).
 *
 * @returns the loss as a number, evaluated before the step
 */
export function fqeUpdate(agent: FqeAgent, optimizer: tf.Optimizer, batch: Batch, cfg: FqeConfig): FqeLosses {
  // BEGIN SOLUTION
  const loss = tf.tidy(() => {
    const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
    const y = fqeTarget(r, d, policyActionValues(agent.criticTarget, agent.policy, s2), cfg.gamma);
    return optimizer.minimize(() => fqeLoss(criticValues(agent.critic, s, a), y), true, agent.critic.params)!.dataSync()[0];
  });
  softUpdate(agent.criticTarget, agent.critic, cfg.rho);
  return { loss };
  // END SOLUTION
}

/**
 * Episode starts: 1 on the first row of every episode, else 0. Row 0 starts an episode, and so
 * does every row that follows a row with terminal OR timeout (docs/contract.md §0).
 *
 * @param terminals [N]
 * @param timeouts  [N]
 * @returns         [N] 0/1
 */
export function episodeStartMask(terminals: tf.Tensor1D, timeouts: tf.Tensor1D): tf.Tensor1D {
  // BEGIN SOLUTION
  return tf.tidy(() => {
    const n = terminals.shape[0];
    const ends = tf.cast(tf.logicalOr(tf.notEqual(terminals, 0), tf.notEqual(timeouts, 0)), 'float32');
    return tf.concat([tf.ones([Math.min(1, n)]), tf.slice(ends, 0, Math.max(0, n - 1))]) as tf.Tensor1D;
  });
  // END SOLUTION
}

/**
 * FQE value estimate: the mean of Q_E(s0, mu(s0)) over the first observation of every episode,
 *   J = sum_i m_i Q_E(s_i, mu(s_i)) / sum_i m_i,   m = the episode-start mask.
 *
 * @param critic       the trained (online) critic Q_E
 * @param observations [N, ds] every observation of the dataset
 * @param startMask    [N] 1 on episode starts
 */
export function fqeEstimate(critic: Mlp, policy: GaussianPolicy, observations: tf.Tensor2D, startMask: tf.Tensor1D): tf.Scalar {
  // BEGIN SOLUTION
  return tf.tidy(() => tf.div(tf.sum(tf.mul(startMask, policyActionValues(critic, policy, observations))), tf.sum(startMask)) as tf.Scalar);
  // END SOLUTION
}

/**
 * The cheap heuristic: the learned critic's own value of the policy, averaged over the dataset's
 * states (no extra training):  H = mean_i min(Q1(s_i, mu(s_i)), Q2(s_i, mu(s_i))).
 *
 * @param q1           the agent's first critic
 * @param q2           the agent's second critic
 * @param observations [N, ds] the dataset's observations
 */
export function meanPolicyQ(q1: Mlp, q2: Mlp, policy: GaussianPolicy, observations: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean<tf.Scalar>(tf.minimum(policyActionValues(q1, policy, observations), policyActionValues(q2, policy, observations)))); // SOLUTION
}
