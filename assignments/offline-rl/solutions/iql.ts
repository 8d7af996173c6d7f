// Implicit Q-learning (docs/contract.md §5; Kostrikov, Nair & Levine, ICLR 2022).
import * as tf from '@tensorflow/tfjs';
import { Mlp, criticValues, stateValues } from '../provided/nets/mlp';
import { GaussianPolicy } from '../provided/nets/gaussian';
import { Rng } from '../provided/runtime/rng';
import { Batch } from '../provided/train/batch';
import type { IqlAgent, IqlConfig, IqlLosses, IqlOptimizers } from '../provided/train/impl';
import { advantageWeights, weightedBcLoss } from './awr';
import { policyLogProb } from './policy';

/**
 * Expectile loss, paper convention, elementwise:
 *   L_tau(u) = |tau - 1(u < 0)| * u^2,   u = q - v
 * (The lecture writes the same loss as l_{1-tau}(V - Q) with a small tau.)
 * Hint: comparisons have no gradient in TensorFlow.js; 1(u < 0) = tf.step(-u).
 *
 * @param u   [B] q - v
 * @param tau expectile in (0, 1); tau > 0.5 pushes V toward an upper expectile of Q
 * @returns   [B] L_tau(u)
 */
export function expectileLoss(u: tf.Tensor1D, tau: number): tf.Tensor1D {
  // BEGIN SOLUTION
  return tf.tidy(() => {
    const negative = tf.step(tf.neg(u)); // 1(u < 0), 0 at u = 0
    return tf.mul(tf.abs(tf.sub(tau, negative)), tf.square(u));
  });
  // END SOLUTION
}

/**
 * IQL value loss:  L_V = mean L_tau(q' - V(s))
 *
 * @param targetQ [B] q' = min(Q1'(s,a), Q2'(s,a)), a constant
 * @param values  [B] V(s)
 */
export function iqlValueLoss(targetQ: tf.Tensor1D, values: tf.Tensor1D, tau: number): tf.Scalar {
  return tf.mean(expectileLoss(tf.sub(targetQ, values), tau)); // SOLUTION
}

/**
 * Clipped double-Q target value:  q' = min(Q1'(s,a), Q2'(s,a))
 *
 * @param q1 [B] Q1'(s,a) from the first target critic
 * @param q2 [B] Q2'(s,a) from the second target critic
 */
export function minTargetQ(q1: tf.Tensor1D, q2: tf.Tensor1D): tf.Tensor1D {
  return tf.minimum(q1, q2); // SOLUTION
}

/**
 * Critic target:  y = r + gamma * (1 - terminal) * V(s')
 * A timeout is not a terminal: it never zeroes the mask.
 *
 * @param rewards    [B] r
 * @param terminals  [B] 1 where the environment really ended
 * @param nextValues [B] V(s')
 */
export function criticTarget(rewards: tf.Tensor1D, terminals: tf.Tensor1D, nextValues: tf.Tensor1D, gamma: number): tf.Tensor1D {
  return tf.add(rewards, tf.mul(tf.mul(gamma, tf.sub(1, terminals)), nextValues)); // SOLUTION
}

/**
 * Twin critic loss, the two squared errors summed, then the batch mean:
 *   L_Q = mean[(Q1(s,a) - y)^2 + (Q2(s,a) - y)^2]
 *
 * @param q1 [B] Q1(s,a)
 * @param q2 [B] Q2(s,a)
 * @param y  [B] critic target, a constant
 */
export function criticLoss(q1: tf.Tensor1D, q2: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
  return tf.mean(tf.add(tf.square(tf.sub(q1, y)), tf.square(tf.sub(q2, y)))); // SOLUTION
}

/**
 * IQL advantage weights for policy extraction:
 *   A = q' - V(s),  w = min(exp(A / alpha), wMax)
 *
 * @param targetQ [B] q'
 * @param values  [B] V(s), with the V just updated
 * @returns       [B] w
 */
export function iqlAdvantageWeights(targetQ: tf.Tensor1D, values: tf.Tensor1D, alpha: number, wMax: number): tf.Tensor1D {
  return advantageWeights(tf.sub(targetQ, values), alpha, wMax); // SOLUTION
}

/**
 * Soft (Polyak) target update, in place:  theta' <- rho * theta + (1 - rho) * theta'
 *
 * @param target the target network theta' (changed)
 * @param online the online network theta (unchanged)
 * @param rho    the target rate in (0, 1]
 */
export function softUpdate(target: Mlp, online: Mlp, rho: number): void {
  // BEGIN SOLUTION
  tf.tidy(() => {
    target.params.forEach((t, i) => t.assign(tf.add(tf.mul(rho, online.params[i]), tf.mul(1 - rho, t))));
  });
  // END SOLUTION
}

export type { IqlAgent, IqlConfig, IqlLosses, IqlOptimizers };

/**
 * The IQL networks: Q1, Q2 on [s, a], V on s, the Gaussian policy, and target critics
 * Q1', Q2' that start as EXACT copies of Q1 and Q2.
 */
export function createIqlAgent(rng: Rng, obsDim: number, actDim: number, hidden: readonly number[]): IqlAgent {
  const q1 = Mlp.create(rng.fork('q1'), [obsDim + actDim, ...hidden, 1]);
  const q2 = Mlp.create(rng.fork('q2'), [obsDim + actDim, ...hidden, 1]);
  const value = Mlp.create(rng.fork('value'), [obsDim, ...hidden, 1]);
  const policy = GaussianPolicy.create(rng.fork('policy'), obsDim, hidden, actDim);
  // BEGIN SOLUTION
  const q1Target = q1.clone();
  const q2Target = q2.clone();
  return { q1, q2, q1Target, q2Target, value, policy };
  // END SOLUTION
}

/**
 * One IQL update, in this order (each step changes only its own network's variables):
 *   1. q' = min(Q1'(s,a), Q2'(s,a));  V step on L_V = mean L_tau(q' - V(s))
 *   2. actor step with the V just updated: w = min(exp((q' - V(s)) / alpha), wMax),
 *      L_pi = -mean(w * log pi(a|s))
 *   3. Q step with the V just updated: y = r + gamma (1 - terminal) V(s'),
 *      L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2]
 *   4. target update: theta' <- rho theta + (1 - rho) theta' for Q1' and Q2'
 *
 * @returns each loss as a number, evaluated before its own step
 */
export function iqlUpdate(agent: IqlAgent, optimizers: IqlOptimizers, batch: Batch, cfg: IqlConfig): IqlLosses {
  // BEGIN SOLUTION
  const losses = tf.tidy(() => {
    const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
    const qPrime = minTargetQ(criticValues(agent.q1Target, s, a), criticValues(agent.q2Target, s, a));

    const valueLoss = optimizers.value.minimize(() => iqlValueLoss(qPrime, stateValues(agent.value, s), cfg.tau), true, agent.value.params)!;

    const weights = iqlAdvantageWeights(qPrime, stateValues(agent.value, s), cfg.alpha, cfg.wMax);
    const policyLoss = optimizers.policy.minimize(() => weightedBcLoss(weights, policyLogProb(agent.policy, s, a)), true, agent.policy.params)!;

    const y = criticTarget(r, d, stateValues(agent.value, s2), cfg.gamma);
    const qLoss = optimizers.critic.minimize(
      () => criticLoss(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), y),
      true,
      [...agent.q1.params, ...agent.q2.params],
    )!;
    return { valueLoss: valueLoss.dataSync()[0], policyLoss: policyLoss.dataSync()[0], criticLoss: qLoss.dataSync()[0] };
  });
  softUpdate(agent.q1Target, agent.q1, cfg.rho);
  softUpdate(agent.q2Target, agent.q2, cfg.rho);
  return losses;
  // END SOLUTION
}
