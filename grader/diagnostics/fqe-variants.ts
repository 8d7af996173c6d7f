/**
 * Known mistakes of the offline-evaluation part (fqe.ts, ALGORITHMS.md section 7), as variants of
 * the reference: each function's own slips, the FQE update rebuilt with one wrong part (online
 * critic in the target, the dataset's action at s', ...), and the whole FQE run with the mistakes
 * that move its estimate most. Run by the trusted reference process only.
 */
import * as tf from '@tensorflow/tfjs';
import type { GaussianPolicy } from '../../provided/nets/gaussian';
import { criticValues, type Mlp } from '../../provided/nets/mlp';
import type { Batch } from '../../provided/train/batch';
import type { FqeAgent, FqeConfig, Impl } from '../../provided/train/impl';
import type { Modules } from '../child/execute';
import { fqeRunHarness } from '../child/fqe-run';
import type { PlainArg } from '../child/protocol';
import type { Variant } from './variants';

type T1 = tf.Tensor1D;
type T2 = tf.Tensor2D;
type AnyFn = (...args: never[]) => unknown;
type Fn = (...a: unknown[]) => unknown;

const v = (target: string, id: string, hint: string, make: (ref: Modules) => AnyFn): Variant => ({ id, target, hint, make });
const f = (ref: Modules, name: string): Fn => ref.fqe[name] as Fn;

const targetWith = (mask: (d: T1) => tf.Tensor, discount: 'gamma' | 'none' | 'outside' = 'gamma') => (r: T1, d: T1, next: T1, gamma: number): T1 =>
  tf.tidy(() => {
    if (discount === 'outside') return tf.mul(gamma, tf.add(r, tf.mul(mask(d), next))) as T1;
    return tf.add(r, tf.mul(tf.mul(discount === 'none' ? 1 : gamma, mask(d)), next)) as T1;
  });
const keep = (d: T1) => tf.sub(1, d);

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

/** Function-level variants. */
export const FQE_FUNCTION_VARIANTS: Variant[] = [
  v('fqe.policyActionValues', 'pre-tanh', "The policy's action is mu(s) = tanh(MLP(s)): use policy.mean(s), not the network's raw output.", () => (c: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => criticValues(c, o, p.net.apply(o)))),
  v('fqe.fqeTarget', 'no-mask', 'Multiply the bootstrap term by (1 - terminal): nothing follows a terminal.', () => targetWith((d) => tf.onesLike(d))),
  v('fqe.fqeTarget', 'inverted-mask', 'The mask is (1 - terminal): you bootstrapped only at terminals.', () => targetWith((d) => d)),
  v('fqe.fqeTarget', 'no-discount', "Discount the bootstrap term: y = r + gamma (1 - terminal) Q_E'(s', mu(s')).", () => targetWith(keep, 'none')),
  v('fqe.fqeTarget', 'discounted-reward', "Only the bootstrap term is discounted; the reward r is not: y = r + gamma (1 - terminal) Q_E'(s', mu(s')).", () => targetWith(keep, 'outside')),
  v('fqe.fqeTarget', 'broadcast', 'A [B] tensor combined with a [B,1] tensor broadcasts to [B,B]: keep every per-sample tensor of shape [B].', () => (r: T1, d: T1, n: T1, g: number) =>
    tf.add(r, tf.mul(tf.mul(g, tf.sub(1, d)), tf.expandDims(n, 1)))),
  v('fqe.fqeLoss', 'sum', 'Average over the batch (mean), not sum.', () => (q: T1, y: T1) => tf.sum(tf.square(tf.sub(q, y)))),
  v('fqe.fqeLoss', 'absolute', 'The FQE loss is the mean SQUARED error.', () => (q: T1, y: T1) => tf.mean(tf.abs(tf.sub(q, y)))),
  v('fqe.fqeLoss', 'halved', 'The FQE loss is mean (Q_E(s, a) - y)^2, without a factor 1/2.', () => (q: T1, y: T1) => tf.mul(0.5, tf.mean(tf.square(tf.sub(q, y))))),
  v('fqe.fqeLoss', 'wrong-sign', 'Minimise the squared error: the loss is +mean (Q_E(s, a) - y)^2.', () => (q: T1, y: T1) => tf.neg(tf.mean(tf.square(tf.sub(q, y))))),
  v('fqe.episodeStartMask', 'ignores-timeouts', 'An episode also ends at a timeout: the row after a timeout starts a new episode.', () => startsWith((d) => d !== 0)),
  v('fqe.episodeStartMask', 'marks-ends', 'Mark the FIRST row of each episode (row 0 and every row after a terminal or timeout), not the last.', () => startsWith(anyEnd, { markEnds: true })),
  v('fqe.episodeStartMask', 'no-first-row', 'Row 0 starts the first episode: mark it too.', () => startsWith(anyEnd, { firstRow: false })),
  v('fqe.fqeEstimate', 'all-rows', 'Average Q_E(s, mu(s)) over the episode starts only (the rows where the mask is 1), not over every row.', (ref) => (c: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.mean(f(ref, 'policyActionValues')(c, p, o) as T1))),
  v('fqe.fqeEstimate', 'divides-by-rows', 'Divide by the number of episode starts, sum(mask), not by the number of rows.', (ref) => (c: Mlp, p: GaussianPolicy, o: T2, m: T1) =>
    tf.tidy(() => tf.div(tf.sum(tf.mul(m, f(ref, 'policyActionValues')(c, p, o) as T1)), m.shape[0]))),
  v('fqe.meanPolicyQ', 'max', 'Take the MINIMUM of the two critics, not the maximum.', (ref) => (a: Mlp, b: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.mean(tf.maximum(f(ref, 'policyActionValues')(a, p, o) as T1, f(ref, 'policyActionValues')(b, p, o) as T1)))),
  v('fqe.meanPolicyQ', 'mean', 'Take the minimum of the two critics, not their mean.', (ref) => (a: Mlp, b: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.mean(tf.add(f(ref, 'policyActionValues')(a, p, o) as T1, f(ref, 'policyActionValues')(b, p, o) as T1)).div(2))),
  v('fqe.meanPolicyQ', 'q1-only', 'Use both critics (their minimum), not Q1 alone.', (ref) => (a: Mlp, _b: Mlp, p: GaussianPolicy, o: T2) =>
    tf.tidy(() => tf.mean(f(ref, 'policyActionValues')(a, p, o) as T1))),
];

/** Structural mistakes of the FQE update. */
export interface FqeUpdateParts {
  onlineInTarget: boolean;
  datasetActionAtNext: boolean;
  currentStateInTarget: boolean;
  policyActionInLoss: boolean;
  skipSoftUpdate: boolean;
}

/** The reference FQE update from the (possibly patched) fqe functions, with one structural switch. */
export function composeFqeUpdate(ref: Modules, parts: Partial<FqeUpdateParts>) {
  return (agent: FqeAgent, optimizer: tf.Optimizer, batch: Batch, cfg: FqeConfig) => {
    const loss = tf.tidy(() => {
      const { observations: s, actions: a, rewards: r, nextObservations: s2, terminals: d } = batch;
      const critic = parts.onlineInTarget ? agent.critic : agent.criticTarget;
      const at = parts.currentStateInTarget ? s : s2;
      const nextQ = parts.datasetActionAtNext ? criticValues(critic, at, a) : (f(ref, 'policyActionValues')(critic, agent.policy, at) as T1);
      const y = f(ref, 'fqeTarget')(r, d, nextQ, cfg.gamma) as T1;
      const q = () => (parts.policyActionInLoss ? (f(ref, 'policyActionValues')(agent.critic, agent.policy, s) as T1) : criticValues(agent.critic, s, a));
      return optimizer.minimize(() => f(ref, 'fqeLoss')(q(), y) as tf.Scalar, true, agent.critic.params)!.dataSync()[0];
    });
    if (!parts.skipSoftUpdate) (ref.iql.softUpdate as Fn)(agent.criticTarget, agent.critic, cfg.rho);
    return { loss };
  };
}

const UPDATE_PARTS: [string, string, Partial<FqeUpdateParts>][] = [
  ['online-critic', "The FQE target uses the TARGET critic Q_E', not the online Q_E.", { onlineInTarget: true }],
  ['dataset-action-at-next', "Evaluate the target critic at the POLICY's action at s': Q_E'(s', mu(s')), not at the dataset's action.", { datasetActionAtNext: true }],
  ['current-state-in-target', "The target bootstraps from the NEXT observation: Q_E'(s', mu(s')), not Q_E'(s, mu(s)).", { currentStateInTarget: true }],
  ['policy-action-in-loss', "The loss fits Q_E at the dataset's own pairs: (Q_E(s, a) - y)^2 with a the dataset action, not mu(s).", { policyActionInLoss: true }],
  ['no-target-update', "Finish the update with the soft update of the target critic Q_E'.", { skipSoftUpdate: true }],
];

/** The reference modules with one fqe function replaced. */
const patched = (ref: Modules, name: string, fn: unknown): Modules => ({ ...ref, fqe: { ...ref.fqe, [name]: fn } });

function updateVariants(): Variant[] {
  const out = UPDATE_PARTS.map(([id, hint, parts]) => v('fqe.fqeUpdate', id, hint, (ref) => composeFqeUpdate(ref, parts)));
  for (const x of FQE_FUNCTION_VARIANTS.filter((y) => ['fqe.fqeTarget', 'fqe.fqeLoss', 'fqe.policyActionValues'].includes(y.target))) {
    const name = x.target.split('.')[1];
    out.push(v('fqe.fqeUpdate', `${name}:${x.id}`, `In ${name}: ${x.hint}`, (ref) => composeFqeUpdate(patched(ref, name, x.make(ref)), {})));
  }
  return out;
}

/** The whole FQE run with the mistakes that move the estimate most (each costs one more run, once, in the reference). */
function runVariants(): Variant[] {
  const run = (modules: Modules) => (...args: unknown[]) => fqeRunHarness(modules as unknown as Impl, args as PlainArg[]);
  // The reference fqeUpdate calls its own fqeTarget and fqeLoss, so a patched one reaches the run through a recomposed update.
  const fn = (name: string, id: string): Variant => {
    const x = FQE_FUNCTION_VARIANTS.find((y) => y.target === `fqe.${name}` && y.id === id)!;
    return v('fqe.evaluation', `${name}:${id}`, `In ${name}: ${x.hint}`, (ref) => {
      const modules = patched(ref, name, x.make(ref));
      return run(['fqeTarget', 'fqeLoss'].includes(name) ? patched(modules, 'fqeUpdate', composeFqeUpdate(modules, {})) : modules);
    });
  };
  const part = (id: string): Variant => {
    const [, hint, parts] = UPDATE_PARTS.find((p) => p[0] === id)!;
    return v('fqe.evaluation', `fqeUpdate:${id}`, `In fqeUpdate: ${hint}`, (ref) => run(patched(ref, 'fqeUpdate', composeFqeUpdate(ref, parts))));
  };
  return [fn('fqeTarget', 'no-mask'), fn('fqeTarget', 'no-discount'), part('dataset-action-at-next'), fn('episodeStartMask', 'ignores-timeouts'), fn('fqeEstimate', 'all-rows')];
}

export const FQE_VARIANTS: Variant[] = [...FQE_FUNCTION_VARIANTS, ...updateVariants(), ...runVariants()];
