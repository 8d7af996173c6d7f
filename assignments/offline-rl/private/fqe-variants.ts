/**
 * Known mistakes of the offline-evaluation part (fqe.ts, docs/contract.md §7), as variants of the
 * reference: each function's own slips, the FQE update rebuilt with one wrong part (online critic
 * in the target, the dataset's action at s', the target moved first, ...), and the whole FQE run
 * with the mistakes that move its estimate most. Run by the trusted reference process only.
 */
import * as tf from '@tensorflow/tfjs';
import type { GaussianPolicy } from '../../../provided/nets/gaussian';
import { criticValues, type Mlp } from '../../../provided/nets/mlp';
import type { Batch } from '../../../provided/train/batch';
import type { FqeAgent, FqeConfig, Impl } from '../../../provided/train/impl';
import type { Modules } from '../../../grader/child/execute';
import { fqeRunHarness } from '../public/fqe-run';
import type { PlainArg } from '../../../grader/child/protocol';
import { targetVariants } from './critic-variants';
import { patched, refFn, throughUpdate, variant as v, type Variant } from '../../../grader/diagnostics/define';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;

/** Start masks with a wrong episode-end rule: `ends` marks where an episode ends. */
function startsWith(ends: (d: number, c: number) => boolean, opts: { markEnds?: boolean; firstRow?: boolean } = {}) {
  return (terminals: T1, timeouts: T1): T1 => {
    const [d, c] = [terminals.dataSync(), timeouts.dataSync()];
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) {
      if (opts.markEnds) out[i] = ends(d[i], c[i]) || i === d.length - 1 ? 1 : 0;
      else out[i] = i === 0 ? (opts.firstRow === false ? 0 : 1) : ends(d[i - 1], c[i - 1]) ? 1 : 0;
    }
    return tf.tensor1d(out);
  };
}
const anyEnd = (d: number, c: number) => d !== 0 || c !== 0;

/** Q(s, mu(s)) of the reference for critic `c`. */
const policyQ = (ref: Modules, c: Mlp, p: GaussianPolicy, o: T2) => refFn(ref, 'fqe.policyActionValues')(c, p, o) as T1;

/** Function-level variants. */
export const FQE_FUNCTION_VARIANTS: Variant[] = [
  v('fqe.policyActionValues', 'pre-tanh', "The policy's action is mu(s) = tanh(MLP(s)): use policy.mean(s), not the network's raw output.", () => (c: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => criticValues(c, o, p.net.apply(o)))),
  ...targetVariants('fqe.fqeTarget', (...a) => a as unknown as [T1, T1, T1, number], "Q_E'(s', mu(s'))"),
  v('fqe.fqeLoss', 'sum', 'Average over the batch (mean), not sum.', () => (q: T1, y: T1) => tf.sum(tf.square(tf.sub(q, y)))),
  v('fqe.fqeLoss', 'absolute', 'The FQE loss is the mean SQUARED error.', () => (q: T1, y: T1) => tf.mean(tf.abs(tf.sub(q, y)))),
  v('fqe.fqeLoss', 'halved', 'The FQE loss is mean (Q_E(s, a) - y)^2, without a factor 1/2.', () => (q: T1, y: T1) => tf.mul(0.5, tf.mean(tf.square(tf.sub(q, y))))),
  v('fqe.fqeLoss', 'wrong-sign', 'Minimise the squared error: the loss is +mean (Q_E(s, a) - y)^2.', () => (q: T1, y: T1) => tf.neg(tf.mean(tf.square(tf.sub(q, y))))),
  v('fqe.episodeStartMask', 'ignores-timeouts', 'An episode also ends at a timeout: the row after a timeout starts a new episode.', () => startsWith((d) => d !== 0)),
  v('fqe.episodeStartMask', 'marks-ends', 'Mark the FIRST row of each episode (row 0 and every row after a terminal or timeout), not the last.', () => startsWith(anyEnd, { markEnds: true })),
  v('fqe.episodeStartMask', 'no-first-row', 'Row 0 starts the first episode: mark it too.', () => startsWith(anyEnd, { firstRow: false })),
  v('fqe.fqeEstimate', 'all-rows', 'Average Q_E(s, mu(s)) over the episode starts only (the rows where the mask is 1), not over every row.', (ref) => (c: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.mean(policyQ(ref, c, p, o)))),
  v('fqe.fqeEstimate', 'divides-by-rows', 'Divide by the number of episode starts, sum(mask), not by the number of rows.', (ref) => (c: Mlp, p: GaussianPolicy, o: T2, m: T1) =>
    tf.tidy(() => tf.div(tf.sum(tf.mul(m, policyQ(ref, c, p, o))), m.shape[0]))),
  v('fqe.meanPolicyQ', 'max', 'Take the MINIMUM of the two critics, not the maximum.', (ref) => (a: Mlp, b: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.mean(tf.maximum(policyQ(ref, a, p, o), policyQ(ref, b, p, o))))),
  v('fqe.meanPolicyQ', 'mean', 'Take the minimum of the two critics, not their mean.', (ref) => (a: Mlp, b: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.div(tf.mean(tf.add(policyQ(ref, a, p, o), policyQ(ref, b, p, o))), 2))),
  v('fqe.meanPolicyQ', 'q1-only', 'Use both critics (their minimum), not Q1 alone.', (ref) => (a: Mlp, _b: Mlp, p: GaussianPolicy, o: T2) => tf.tidy(() => tf.mean(policyQ(ref, a, p, o)))),
  v('fqe.meanPolicyQ', 'min-of-means', 'Take the minimum per state, then the mean: mean_i min(Q1, Q2), not min(mean Q1, mean Q2).', (ref) => (a: Mlp, b: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.minimum(tf.mean(policyQ(ref, a, p, o)), tf.mean(policyQ(ref, b, p, o))))),
];

/** Structural mistakes of the FQE update; each off by default. */
export interface FqeUpdateParts {
  onlineInTarget: boolean;
  datasetActionAtNext: boolean;
  currentStateInTarget: boolean;
  policyActionInLoss: boolean;
  /** When the target critic moves: last (right), before y is computed, between y and the critic step, or never. */
  targetUpdate: 'last' | 'first' | 'before-step' | 'none';
  /** The loss read after the critic step. */
  lossAfterStep: boolean;
}

/** The reference FQE update from the (possibly patched) fqe functions, with one structural switch. */
export function composeFqeUpdate(ref: Modules, parts: Partial<FqeUpdateParts>) {
  const when = parts.targetUpdate ?? 'last';
  return (agent: FqeAgent, optimizer: tf.Optimizer, batch: Batch, cfg: FqeConfig) => {
    const soft = () => refFn(ref, 'iql.softUpdate')(agent.criticTarget, agent.critic, cfg.rho); // theta' <- rho theta + (1 - rho) theta'
    if (when === 'first') soft();
    const loss = tf.tidy(() => {
      const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
      const critic = parts.onlineInTarget ? agent.critic : agent.criticTarget;
      const at = parts.currentStateInTarget ? s : s2;
      const nextQ = parts.datasetActionAtNext ? criticValues(critic, at, a) : policyQ(ref, critic, agent.policy, at);
      const y = refFn(ref, 'fqe.fqeTarget')(r, d, nextQ, cfg.gamma) as T1; // y = r + gamma (1 - d) Q_E'(s', mu(s'))
      if (when === 'before-step') soft();
      const q = () => (parts.policyActionInLoss ? policyQ(ref, agent.critic, agent.policy, s) : criticValues(agent.critic, s, a));
      const lossFn = () => refFn(ref, 'fqe.fqeLoss')(q(), y) as tf.Scalar; // mean (Q_E(s, a) - y)^2
      const before = optimizer.minimize(lossFn, true, agent.critic.params)!;
      return (parts.lossAfterStep ? lossFn() : before).dataSync()[0];
    });
    if (when === 'last') soft();
    return { loss };
  };
}

const UPDATE_PARTS: [string, string, Partial<FqeUpdateParts>][] = [
  ['online-critic', "The FQE target uses the TARGET critic Q_E', not the online Q_E.", { onlineInTarget: true }],
  ['dataset-action-at-next', "Evaluate the target critic at the POLICY's action at s': Q_E'(s', mu(s')), not at the dataset's action.", { datasetActionAtNext: true }],
  ['current-state-in-target', "The target bootstraps from the NEXT observation: Q_E'(s', mu(s')), not Q_E'(s, mu(s)).", { currentStateInTarget: true }],
  ['policy-action-in-loss', "The loss fits Q_E at the dataset's own pairs: (Q_E(s, a) - y)^2 with a the dataset action, not mu(s).", { policyActionInLoss: true }],
  ['no-target-update', "Finish the update with the soft update of the target critic Q_E'.", { targetUpdate: 'none' }],
  ['target-updated-first', "Soft-update the target critic LAST, after the critic step: y uses Q_E' as it was, and Q_E' then moves toward the Q_E just stepped.", { targetUpdate: 'first' }],
  ['target-updated-before-step', "Soft-update the target critic LAST, after the critic step: y uses Q_E' as it was, and Q_E' then moves toward the Q_E just stepped.", { targetUpdate: 'before-step' }],
  ['loss-after-step', 'Return the loss as it was BEFORE the critic step (the value optimizer.minimize(f, true) returns), not recomputed after it.', { lossAfterStep: true }],
];

function updateVariants(): Variant[] {
  const compose = (modules: Modules) => composeFqeUpdate(modules, {});
  return [
    ...UPDATE_PARTS.map(([id, hint, parts]) => v('fqe.fqeUpdate', id, hint, (ref) => composeFqeUpdate(ref, parts))),
    ...throughUpdate('fqe.fqeUpdate', FQE_FUNCTION_VARIANTS, ['fqe.fqeTarget', 'fqe.fqeLoss', 'fqe.policyActionValues'], compose),
  ];
}

/** The whole FQE run with the mistakes that move the estimate most (each costs one more run, once, in the reference). */
function runVariants(): Variant[] {
  const run = (modules: Modules) => (...args: unknown[]) => fqeRunHarness(modules, args as PlainArg[]);
  // The reference fqeUpdate calls its own fqeTarget and fqeLoss, so a patched one reaches the run through a recomposed update.
  const fn = (name: string, id: string): Variant => {
    const x = FQE_FUNCTION_VARIANTS.find((y) => y.target === `fqe.${name}` && y.id === id)!;
    return v('fqe.evaluation', `${name}:${id}`, `In ${name}: ${x.hint}`, (ref) => {
      const modules = patched(ref, x.target, x.make(ref));
      return run(['fqeTarget', 'fqeLoss'].includes(name) ? patched(modules, 'fqe.fqeUpdate', composeFqeUpdate(modules, {})) : modules);
    });
  };
  const part = (id: string): Variant => {
    const [, hint, parts] = UPDATE_PARTS.find((p) => p[0] === id)!;
    return v('fqe.evaluation', `fqeUpdate:${id}`, `In fqeUpdate: ${hint}`, (ref) => run(patched(ref, 'fqe.fqeUpdate', composeFqeUpdate(ref, parts))));
  };
  return [fn('fqeTarget', 'no-mask'), fn('fqeTarget', 'no-discount'), part('dataset-action-at-next'), fn('episodeStartMask', 'ignores-timeouts'), fn('fqeEstimate', 'all-rows')];
}

export const FQE_VARIANTS: Variant[] = [...FQE_FUNCTION_VARIANTS, ...updateVariants(), ...runVariants()];
