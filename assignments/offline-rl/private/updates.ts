/**
 * The reference IQL and AWR updates rebuilt from the (possibly patched) module functions, with
 * switches for the structural mistakes: which critics give q', which V a step sees, which variables
 * a step moves (a missing stop-gradient), the order of the target updates, and when a loss is
 * read. With no switch on, each equals the reference update (tests/grader/diagnostics.test.ts).
 * Only diagnostic variants use these.
 */
import * as tf from '@tensorflow/tfjs';
import { criticValues, stateValues, type Mlp } from '../../../provided/nets/mlp';
import type { Batch } from '../../../provided/train/batch';
import type { AwrAgent, AwrBatch, AwrConfig, AwrOptimizers, IqlAgent, IqlConfig, IqlOptimizers } from '../../../provided/train/impl';
import type { Modules } from '../../../grader/child/execute';
import { refFn } from '../../../grader/diagnostics/define';

type T1 = tf.Tensor1D;

/** One optimizer step on `loss` over `vars`; the loss as it was before the step, or after it (`after`). */
function step(opt: tf.Optimizer, loss: () => tf.Scalar, vars: tf.Variable[], after = false): number {
  const before = opt.minimize(loss, true, vars)!;
  return (after ? loss() : before).dataSync()[0];
}

/** The IQL update's mistakes (docs/contract.md §5 step 2); each off by default. */
export interface IqlUpdateParts {
  /** q' from the online critics Q1, Q2. */
  onlineForTarget: boolean;
  /** y bootstraps from V(s), not V(s'). */
  valueOfCurrentInTarget: boolean;
  /** A = q' - V(s) with V from before the value step (the actor step run first). */
  staleValueInActor: boolean;
  /** y with V(s') from before the value step (the critic step run first). */
  staleValueInTarget: boolean;
  /** q' computed inside the V step, whose variables include Q1', Q2' (no var list): the targets move. */
  gradientThroughQPrime: boolean;
  /** w computed inside the actor step, whose variables include V: V moves with the policy loss. */
  gradientThroughWeights: boolean;
  /** y computed inside the critic step, whose variables include V: V moves with the critic loss. */
  gradientThroughTarget: boolean;
  /** How the targets move: each toward its own critic (last); first, before q'; Q2' toward Q1; only Q1'; not at all. */
  targets: 'own' | 'first' | 'q2-toward-q1' | 'q1-only' | 'none';
  /** Losses read after their own step. */
  lossesAfterStep: Array<'value' | 'policy' | 'critic'>;
}

export function composeIqlUpdate(ref: Modules, parts: Partial<IqlUpdateParts>) {
  const fn = (target: string) => refFn(ref, target);
  const after = (loss: 'value' | 'policy' | 'critic') => parts.lossesAfterStep?.includes(loss) ?? false;
  return (agent: IqlAgent, opt: IqlOptimizers, batch: Batch, cfg: IqlConfig) => {
    const soft = (t: Mlp, o: Mlp) => fn('iql.softUpdate')(t, o, cfg.rho); // theta' <- rho theta + (1 - rho) theta'
    const targets = parts.targets ?? 'own';
    if (targets === 'first') (soft(agent.q1Target, agent.q1), soft(agent.q2Target, agent.q2));
    const losses = tf.tidy(() => {
      const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
      const [c1, c2] = parts.onlineForTarget ? [agent.q1, agent.q2] : [agent.q1Target, agent.q2Target];
      const qPrime = () => fn('iql.minTargetQ')(criticValues(c1, s, a), criticValues(c2, s, a)) as T1; // q' = min(Q1'(s,a), Q2'(s,a))
      const nextState = parts.valueOfCurrentInTarget ? s : s2;
      const staleV = stateValues(agent.value, s);
      const staleNextV = stateValues(agent.value, nextState);
      const q0 = qPrime();

      // 1. V step on mean L_tau(q' - V(s)).
      const valueVars = parts.gradientThroughQPrime ? [...agent.value.params, ...c1.params, ...c2.params] : agent.value.params;
      const valueLoss = step(opt.value, () => fn('iql.iqlValueLoss')(parts.gradientThroughQPrime ? qPrime() : q0, stateValues(agent.value, s), cfg.tau) as tf.Scalar, valueVars, after('value'));

      // 2. Actor step with w = min(exp((q' - V(s)) / alpha), wMax), w a constant.
      const weights = (v: T1) => fn('iql.iqlAdvantageWeights')(q0, v, cfg.alpha, cfg.wMax) as T1;
      const w0 = weights(parts.staleValueInActor ? staleV : stateValues(agent.value, s));
      const policyVars = parts.gradientThroughWeights ? [...agent.policy.params, ...agent.value.params] : agent.policy.params;
      const policyLoss = step(
        opt.policy,
        () => fn('awr.weightedBcLoss')(parts.gradientThroughWeights ? weights(stateValues(agent.value, s)) : w0, fn('policy.policyLogProb')(agent.policy, s, a)) as tf.Scalar,
        policyVars,
        after('policy'),
      );

      // 3. Critic step on mean[(Q1 - y)^2 + (Q2 - y)^2], y = r + gamma (1 - d) V(s') a constant.
      const target = (v: T1) => fn('iql.criticTarget')(r, d, v, cfg.gamma) as T1;
      const y0 = target(parts.staleValueInTarget ? staleNextV : stateValues(agent.value, nextState));
      const criticVars = [...agent.q1.params, ...agent.q2.params, ...(parts.gradientThroughTarget ? agent.value.params : [])];
      const criticLoss = step(
        opt.critic,
        () => fn('iql.criticLoss')(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), parts.gradientThroughTarget ? target(stateValues(agent.value, nextState)) : y0) as tf.Scalar,
        criticVars,
        after('critic'),
      );
      return { valueLoss, policyLoss, criticLoss };
    });

    // 4. Target update, last.
    if (targets !== 'none' && targets !== 'first') soft(agent.q1Target, agent.q1);
    if (targets === 'own') soft(agent.q2Target, agent.q2);
    if (targets === 'q2-toward-q1') soft(agent.q2Target, agent.q1);
    return losses;
  };
}

/** The AWR update's mistakes (docs/contract.md §4); each off by default. */
export interface AwrUpdateParts {
  /** A = R - V(s) with V from before the value step (the policy step run first). */
  staleValue: boolean;
  /** A = V(s) - R. */
  advantageSign: boolean;
  /** w computed inside the policy step, whose variables include V (no stop-gradient): V moves with the policy loss. */
  gradientThroughWeights: boolean;
  /** Losses read after their own step. */
  lossesAfterStep: Array<'value' | 'policy'>;
}

export function composeAwrUpdate(ref: Modules, parts: Partial<AwrUpdateParts>) {
  const fn = (target: string) => refFn(ref, target);
  const after = (loss: 'value' | 'policy') => parts.lossesAfterStep?.includes(loss) ?? false;
  return (agent: AwrAgent, opt: AwrOptimizers, batch: AwrBatch, cfg: AwrConfig) =>
    tf.tidy(() => {
      const { observations: s, actions: a, returns: R } = batch;
      const staleV = stateValues(agent.value, s);
      // 1. Value step on mean (R - V(s))^2.
      const valueLoss = step(opt.value, () => fn('awr.monteCarloValueLoss')(R, stateValues(agent.value, s)) as tf.Scalar, agent.value.params, after('value'));
      // 2-3. w = min(exp((R - V(s)) / alpha), wMax) with the V just updated, a constant.
      const weights = (v: T1) => fn('awr.advantageWeights')(parts.advantageSign ? tf.sub(v, R) : tf.sub(R, v), cfg.alpha, cfg.wMax) as T1;
      const w0 = weights(parts.staleValue ? staleV : stateValues(agent.value, s));
      // 4. Policy step on -mean(w log pi(a|s)).
      const policyVars = parts.gradientThroughWeights ? [...agent.policy.params, ...agent.value.params] : agent.policy.params;
      const policyLoss = step(
        opt.policy,
        () => fn('awr.weightedBcLoss')(parts.gradientThroughWeights ? weights(stateValues(agent.value, s)) : w0, fn('policy.policyLogProb')(agent.policy, s, a)) as tf.Scalar,
        policyVars,
        after('policy'),
      );
      return { valueLoss, policyLoss };
    });
}
