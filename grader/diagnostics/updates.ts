/**
 * The reference IQL and AWR updates rebuilt from the (possibly patched) module functions, with
 * switches for the structural mistakes of section 8 (online critics in q', V(s) in the target,
 * no mask, no target update, V used before its step). Only diagnostic variants use these.
 */
import * as tf from '@tensorflow/tfjs';
import { criticValues, stateValues } from '../../provided/nets/mlp';
import type { Batch } from '../../provided/train/batch';
import type { AwrAgent, AwrBatch, AwrConfig, AwrOptimizers, IqlAgent, IqlConfig, IqlOptimizers } from '../../provided/train/impl';
import type { Modules } from '../child/execute';

export interface UpdateParts {
  onlineForTarget: boolean;
  valueOfCurrentInTarget: boolean;
  noMask: boolean;
  skipSoftUpdate: boolean;
  staleValue: boolean;
}

type T1 = tf.Tensor1D;
type Fn = (...a: unknown[]) => unknown;
const f = (ref: Modules, m: string, name: string): Fn => ref[m][name] as Fn;


export function composeIqlUpdate(ref: Modules, parts: Partial<UpdateParts>) {
  return (agent: IqlAgent, opt: IqlOptimizers, batch: Batch, cfg: IqlConfig) => {
    const losses = tf.tidy(() => {
      const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
      const [c1, c2] = parts.onlineForTarget ? [agent.q1, agent.q2] : [agent.q1Target, agent.q2Target];
      const qPrime = f(ref, 'iql', 'minTargetQ')(criticValues(c1, s, a), criticValues(c2, s, a)) as T1;
      const vBefore = stateValues(agent.value, s);
      const vNextBefore = stateValues(agent.value, parts.valueOfCurrentInTarget ? s : s2);
      const valueLoss = opt.value.minimize(() => f(ref, 'iql', 'iqlValueLoss')(qPrime, stateValues(agent.value, s), cfg.tau) as tf.Scalar, true, agent.value.params)!;
      const v = parts.staleValue ? vBefore : stateValues(agent.value, s);
      const w = f(ref, 'iql', 'iqlAdvantageWeights')(qPrime, v, cfg.alpha, cfg.wMax) as T1;
      const logProb = () => f(ref, 'policy', 'policyLogProb')(agent.policy, s, a) as T1;
      const policyLoss = opt.policy.minimize(() => f(ref, 'awr', 'weightedBcLoss')(w, logProb()) as tf.Scalar, true, agent.policy.params)!;
      const vNext = parts.staleValue ? vNextBefore : stateValues(agent.value, parts.valueOfCurrentInTarget ? s : s2);
      const y = f(ref, 'iql', 'criticTarget')(r, parts.noMask ? tf.zerosLike(d) : d, vNext, cfg.gamma) as T1;
      const q = () => f(ref, 'iql', 'criticLoss')(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), y) as tf.Scalar;
      const criticLoss = opt.critic.minimize(q, true, [...agent.q1.params, ...agent.q2.params])!;
      return { valueLoss: valueLoss.dataSync()[0], policyLoss: policyLoss.dataSync()[0], criticLoss: criticLoss.dataSync()[0] };
    });
    if (!parts.skipSoftUpdate) {
      f(ref, 'iql', 'softUpdate')(agent.q1Target, agent.q1, cfg.rho);
      f(ref, 'iql', 'softUpdate')(agent.q2Target, agent.q2, cfg.rho);
    }
    return losses;
  };
}

export function composeAwrUpdate(ref: Modules, parts: Partial<UpdateParts>) {
  return (agent: AwrAgent, opt: AwrOptimizers, batch: AwrBatch, cfg: AwrConfig) =>
    tf.tidy(() => {
      const { observations: s, actions: a, returns: R } = batch;
      const vBefore = stateValues(agent.value, s);
      const valueLoss = opt.value.minimize(() => f(ref, 'awr', 'monteCarloValueLoss')(R, stateValues(agent.value, s)) as tf.Scalar, true, agent.value.params)!;
      const v = parts.staleValue ? vBefore : stateValues(agent.value, s);
      const w = f(ref, 'awr', 'advantageWeights')(tf.sub(R, v), cfg.alpha, cfg.wMax) as T1;
      const policyLoss = opt.policy.minimize(() => f(ref, 'awr', 'weightedBcLoss')(w, f(ref, 'policy', 'policyLogProb')(agent.policy, s, a)) as tf.Scalar, true, agent.policy.params)!;
      return { valueLoss: valueLoss.dataSync()[0], policyLoss: policyLoss.dataSync()[0] };
    });
}
