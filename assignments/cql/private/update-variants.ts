/**
 * Known mistakes of the whole CQL update (docs/contract.md §9 step 6): the reference update
 * rebuilt from the (possibly patched) module functions, with switches for the structural
 * mistakes, and every function mistake seen through the update. With no switch on it equals the
 * reference update (tests/grader/cql.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { criticValues, type Mlp } from '../../../provided/nets/mlp';
import type { CqlAgent, CqlBatch, CqlConfig, CqlOptimizers } from '../../../provided/train/cql';
import type { Modules } from '../../../grader/child/execute';
import { patched, refFn, throughUpdate, variant as v, type Variant } from '../../../grader/diagnostics/define';
import { cqlCriticLoss, FUNCTION_VARIANTS } from './variants';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;
type T3 = tf.Tensor3D;

/** The update's mistakes; each off by default. */
export interface CqlUpdateParts {
  /** The target from the online critics Q1, Q2. */
  onlineForTarget: boolean;
  /** The target at mu(s), not mu(s'). */
  targetAtCurrentState: boolean;
  /** The policy samples of the regulariser at s', not s. */
  samplesAtNext: boolean;
  /** The actor step first (the critic step then sees the updated policy; the actor the old critics). */
  actorFirst: boolean;
  /** The actor at mu(s), no noise. */
  actorAtMean: boolean;
  /** The actor's sample a constant (no gradient through it). */
  actorSampleConstant: boolean;
  /** The actor from the target critics. */
  actorFromTargets: boolean;
  /** The warm-up flag ignored. */
  warmupIgnored: boolean;
  /** How the targets move: last (right), first, not at all. */
  targets: 'last' | 'first' | 'none';
  /** Losses read after their own step. */
  lossesAfterStep: Array<'critic' | 'policy'>;
}

/** One optimizer step on `loss` over `vars`; the loss as it was before the step, or after it. */
function step(opt: tf.Optimizer, loss: () => tf.Scalar, vars: tf.Variable[], after: boolean): number {
  const before = opt.minimize(loss, true, vars)!;
  return (after ? loss() : before).dataSync()[0];
}

export function composeCqlUpdate(ref: Modules, parts: Partial<CqlUpdateParts>) {
  const fn = (name: string) => refFn(ref, `cql.${name}`);
  const after = (loss: 'critic' | 'policy') => parts.lossesAfterStep?.includes(loss) ?? false;
  return (agent: CqlAgent, opt: CqlOptimizers, batch: CqlBatch, cfg: CqlConfig) => {
    const soft = () => (fn('softUpdate')(agent.q1Target, agent.q1, cfg.rho), fn('softUpdate')(agent.q2Target, agent.q2, cfg.rho)); // theta' <- rho theta + (1 - rho) theta'
    if (parts.targets === 'first') soft();
    const losses = tf.tidy(() => {
      const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
      const logStd = () => agent.policy.logStd as tf.Tensor as T1;

      // Critic step on L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2] + alpha (R1 + R2).
      const criticStep = (): number => {
        const at = parts.targetAtCurrentState ? s : s2;
        const next = agent.policy.mean(at);
        const [c1, c2] = parts.onlineForTarget ? [agent.q1, agent.q2] : [agent.q1Target, agent.q2Target];
        const y = fn('cqlTarget')(r, d, criticValues(c1, at, next), criticValues(c2, at, next), cfg.gamma) as T1;
        const policySamples = fn('policySamples')(agent.policy, parts.samplesAtNext ? s2 : s, batch.policyNoise) as T3;
        const sampled = tf.concat([batch.randomActions, policySamples], 0) as T3;
        const sampledQ = (c: Mlp) => fn('sampledActionValues')(c, s, sampled) as T2;
        const loss = () => fn('cqlCriticLoss')(criticValues(agent.q1, s, a), criticValues(agent.q2, s, a), y, sampledQ(agent.q1), sampledQ(agent.q2), cfg.alpha) as tf.Scalar;
        return step(opt.critic, loss, [...agent.q1.params, ...agent.q2.params], after('critic'));
      };

      // Actor step on -mean min(Q1, Q2)(s, a~) - beta H (behaviour cloning when warming up).
      const actorStep = (): number => {
        // A sample computed outside the loss function is a constant of the step: no gradient reaches the policy through it.
        const constant = parts.actorSampleConstant ? (fn('policySamples')(agent.policy, s, batch.actorNoise) as T2) : undefined;
        const loss = () => {
          const h = fn('gaussianEntropy')(logStd()) as tf.Scalar;
          if (cfg.warmup && !parts.warmupIgnored) return fn('warmupActorLoss')(fn('gaussianLogProb')(agent.policy.mean(s), logStd(), a), h, cfg.beta) as tf.Scalar;
          const aPi = constant ?? (parts.actorAtMean ? agent.policy.mean(s) : (fn('policySamples')(agent.policy, s, batch.actorNoise) as T2));
          const [c1, c2] = parts.actorFromTargets ? [agent.q1Target, agent.q2Target] : [agent.q1, agent.q2];
          return fn('cqlActorLoss')(criticValues(c1, s, aPi), criticValues(c2, s, aPi), h, cfg.beta) as tf.Scalar;
        };
        return step(opt.policy, loss, agent.policy.params, after('policy'));
      };

      if (parts.actorFirst) {
        const policyLoss = actorStep();
        return { criticLoss: criticStep(), policyLoss };
      }
      const criticLoss = criticStep();
      return { criticLoss, policyLoss: actorStep() };
    });
    if ((parts.targets ?? 'last') === 'last') soft();
    return losses;
  };
}

const AFTER_HINT = 'Return each loss as it was BEFORE its own step (the value optimizer.minimize(f, true) returns), not recomputed after it.';

const PARTS: Array<[string, string, Partial<CqlUpdateParts>]> = [
  ['online-critics-in-target', "The target comes from the TARGET critics Q1', Q2', not the online ones.", { onlineForTarget: true }],
  ['target-at-s', "The target evaluates the target critics at the NEXT state s' and mu(s'), not at s.", { targetAtCurrentState: true }],
  ['samples-at-next-state', "The regulariser's policy samples are drawn at the batch's state s, not at s'.", { samplesAtNext: true }],
  ['actor-first', 'Take the critic step first; the actor step then uses the critics it has just updated.', { actorFirst: true }],
  ['actor-at-mean', 'The actor loss uses the noisy sample a~ = clip(mu(s) + sigma * actorNoise, -1, 1), not mu(s).', { actorAtMean: true }],
  ['actor-sample-constant', 'The actor loss must reach the policy through its sample a~: do not compute a~ outside the loss or stop its gradient.', { actorSampleConstant: true }],
  ['actor-target-critics', 'The actor loss uses the online critics Q1, Q2 (just updated), not the target critics.', { actorFromTargets: true }],
  ['warmup-ignored', 'When cfg.warmup is set, the actor step is behaviour cloning: warmupActorLoss on log pi(a|s) of the dataset actions.', { warmupIgnored: true }],
  ['no-target-update', 'Finish the update with the soft update of both target critics.', { targets: 'none' }],
  ['targets-updated-first', 'Soft-update the target critics LAST: the target uses them as they were before this update.', { targets: 'first' }],
  ['losses-after-steps', AFTER_HINT, { lossesAfterStep: ['critic', 'policy'] }],
  ['critic-loss-after-step', AFTER_HINT, { lossesAfterStep: ['critic'] }],
  ['policy-loss-after-step', AFTER_HINT, { lossesAfterStep: ['policy'] }],
];

/** The functions the update calls (composeCqlUpdate looks them up in the modules). */
const CALLS = ['policySamples', 'sampledActionValues', 'cqlRegulariser', 'cqlTarget', 'cqlCriticLoss', 'gaussianLogProb', 'gaussianEntropy', 'cqlActorLoss', 'warmupActorLoss', 'softUpdate'].map((f) => `cql.${f}`);

/**
 * The reference cqlCriticLoss calls its own module's cqlRegulariser directly, so a regulariser
 * mistake reaches the update through a critic loss rebuilt from the patched modules.
 */
const withCriticLossOf = (modules: Modules): Modules => patched(modules, 'cql.cqlCriticLoss', cqlCriticLoss(modules, {}));
const isRegulariser = (x: Variant) => x.target === 'cql.cqlRegulariser';

export const UPDATE_VARIANTS: Variant[] = [
  ...PARTS.map(([id, hint, parts]) => v('cql.cqlUpdate', id, hint, (ref) => composeCqlUpdate(ref, parts))),
  ...throughUpdate('cql.cqlUpdate', FUNCTION_VARIANTS.filter((x) => !isRegulariser(x)), CALLS, (modules) => composeCqlUpdate(modules, {})),
  ...throughUpdate('cql.cqlUpdate', FUNCTION_VARIANTS.filter(isRegulariser), CALLS, (modules) => composeCqlUpdate(withCriticLossOf(modules), {})),
];
