/**
 * Known mistakes of the whole IQL and AWR updates (docs/contract.md §4, §5 step 2): the order of
 * the steps, which variables each step moves, how the targets move, when a loss is read, and every
 * mistake of a function the update calls, seen through it.
 */
import { CRITIC_VARIANTS } from './critic-variants';
import { throughUpdate, variant as v, type Variant } from '../../../grader/diagnostics/define';
import { POLICY_VARIANTS } from './policy-variants';
import { composeAwrUpdate, composeIqlUpdate, type AwrUpdateParts, type IqlUpdateParts } from './updates';

const FUNCTIONS = [...CRITIC_VARIANTS, ...POLICY_VARIANTS];
const AFTER_HINT = 'Return each loss as it was BEFORE its own step (the value optimizer.minimize(f, true) returns), not recomputed after it.';

const IQL_PARTS: Array<[string, string, Partial<IqlUpdateParts>]> = [
  ['online-critics', "q' comes from the TARGET critics Q1', Q2', not the online ones.", { onlineForTarget: true }],
  ['next-v-in-target', "The critic target bootstraps from V(s') (the next observation), not V(s).", { valueOfCurrentInTarget: true }],
  ['stale-v', 'Run the value step first: the actor weights and the critic target both use the V it has just updated.', { staleValueInActor: true, staleValueInTarget: true }],
  ['stale-v-actor', "Take the actor step after the value step: its advantage q' - V(s) uses the V just updated.", { staleValueInActor: true }],
  ['stale-v-critic', "Take the critic step after the value step: its target r + gamma (1 - terminal) V(s') uses the V just updated.", { staleValueInTarget: true }],
  ['gradient-through-q-prime', "q' is a constant for the value step: that step must change only V's variables (not the target critics').", { gradientThroughQPrime: true }],
  ['gradient-through-weights', "The weights are a constant for the actor step: it must change only the policy's variables (not V's).", { gradientThroughWeights: true }],
  ['gradient-through-target', "The target y is a constant for the critic step: it must change only Q1's and Q2's variables (not V's).", { gradientThroughTarget: true }],
  ['no-target-update', 'Finish the update with the soft update of both target critics.', { targets: 'none' }],
  ['targets-updated-first', "Soft-update the target critics LAST: q' uses Q1', Q2' as they were, and they then move toward the critics just stepped.", { targets: 'first' }],
  ['q1-target-only', "Soft-update both target critics: Q2' too, toward Q2.", { targets: 'q1-only' }],
  ['q2-target-toward-q1', "Move each target critic toward its own critic: Q2' toward Q2, not toward Q1.", { targets: 'q2-toward-q1' }],
  ['losses-after-steps', AFTER_HINT, { lossesAfterStep: ['value', 'policy', 'critic'] }],
  ['value-loss-after-step', AFTER_HINT, { lossesAfterStep: ['value'] }],
  ['policy-loss-after-step', AFTER_HINT, { lossesAfterStep: ['policy'] }],
  ['critic-loss-after-step', AFTER_HINT, { lossesAfterStep: ['critic'] }],
];

const AWR_PARTS: Array<[string, string, Partial<AwrUpdateParts>]> = [
  ['stale-v', 'Compute the advantages with the V just updated (value step first).', { staleValue: true }],
  ['advantage-sign', 'The advantage is A = R - V(s), not V(s) - R.', { advantageSign: true }],
  ['no-stop-gradient', "The weights are a constant for the policy step: it must change only the policy's variables (not V's).", { gradientThroughWeights: true }],
  ['losses-after-steps', AFTER_HINT, { lossesAfterStep: ['value', 'policy'] }],
  ['value-loss-after-step', AFTER_HINT, { lossesAfterStep: ['value'] }],
  ['policy-loss-after-step', AFTER_HINT, { lossesAfterStep: ['policy'] }],
];

/** The functions each update calls (its reference looks them up in the modules: updates.ts). */
const IQL_CALLS = ['iql.minTargetQ', 'iql.iqlValueLoss', 'iql.iqlAdvantageWeights', 'iql.criticTarget', 'iql.criticLoss', 'iql.softUpdate', 'awr.weightedBcLoss', 'policy.policyLogProb'];
const AWR_CALLS = ['awr.monteCarloValueLoss', 'awr.advantageWeights', 'awr.weightedBcLoss', 'policy.policyLogProb'];

export const UPDATE_VARIANTS: Variant[] = [
  ...IQL_PARTS.map(([id, hint, parts]) => v('iql.iqlUpdate', id, hint, (ref) => composeIqlUpdate(ref, parts))),
  ...throughUpdate('iql.iqlUpdate', FUNCTIONS, IQL_CALLS, (modules) => composeIqlUpdate(modules, {})),
  ...AWR_PARTS.map(([id, hint, parts]) => v('awr.awrUpdate', id, hint, (ref) => composeAwrUpdate(ref, parts))),
  ...throughUpdate('awr.awrUpdate', FUNCTIONS, AWR_CALLS, (modules) => composeAwrUpdate(modules, {})),
];
