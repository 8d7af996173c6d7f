// The provided FQE run (provided/train/fqe.ts) with the reference fqe.ts: on a chain whose values
// are known in closed form it lands near them, counts the episode starts and leaves the policy alone.
import * as tf from '@tensorflow/tfjs';
import { DatasetBuilder } from '../../provided/data/dataset';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { createFqeAgent, fitRegressionPolicy, fqeSettings, runFqe } from '../../provided/train/fqe';
import { loadImpl } from '../../provided/train/impl';

const ROOT = `${__dirname}/../..`;

beforeAll(async () => {
  await initBackend();
});

/**
 * Chain A (20 episodes): s = 0, 0.25, 0.5, 0.75, action 0, reward 1 on the last step, a terminal.
 * Chain B (20 episodes): s = 0.25, 0.5, cut by a TIMEOUT after 0.5 (next observation 0.75, no reward).
 * With mu(s) = 0 (the dataset's action): Q(0.75) = 1, Q(0.5) = g, Q(0.25) = g^2, Q(0) = g^3,
 * so the mean over the 40 starts is (g^3 + g^2) / 2. Treating the timeout as a terminal would pull
 * B's values toward 0.
 */
function chain(): ReturnType<DatasetBuilder['build']> {
  const b = new DatasetBuilder(1, 1);
  for (let e = 0; e < 20; e++) {
    for (let t = 0; t < 4; t++) b.add([t / 4], [0], t === 3 ? 1 : 0, [(t + 1) / 4], t === 3, false);
    b.add([0.25], [0], 0, [0.5], false, false);
    b.add([0.5], [0], 0, [0.75], false, true);
  }
  return b.build();
}

test('runFqe: the estimate over the episode starts is near (g^3 + g^2) / 2, the starts are counted, the policy is unchanged', () => {
  const impl = loadImpl(`${ROOT}/solutions`);
  const policy = GaussianPolicy.create(new Rng(1), 1, [], 1);
  tf.tidy(() => policy.net.params.forEach((p) => p.assign(tf.zerosLike(p)))); // mu(s) = tanh(0) = 0
  const g = 0.95;
  const settings = fqeSettings({ steps: 400, rho: 0.05, lr: 3e-3, hidden: [16, 16], batchSize: 64, gamma: g });
  const before = tf.memory().numTensors;
  const r = runFqe(impl, chain(), policy, settings, new Rng(7));
  expect(tf.memory().numTensors).toBe(before); // networks, optimizer and batches disposed
  expect(r.starts).toBe(40);
  expect(Math.abs(r.estimate - (g ** 3 + g ** 2) / 2)).toBeLessThan(0.02);
  expect(r.finalLoss).toBeLessThan(0.01);
  expect(policy.net.params.every((p) => p.dataSync().every((x) => x === 0))).toBe(true);
  // The same data with B's timeout marked as a terminal: its starts lose most of their value.
  const cut = chain();
  cut.terminals.forEach((_, i) => (cut.terminals[i] = cut.terminals[i] || cut.timeouts[i]));
  expect(r.estimate - runFqe(impl, cut, policy, settings, new Rng(7)).estimate).toBeGreaterThan(0.2);
});

test('createFqeAgent: the target critic starts as an exact, separate copy', () => {
  const policy = GaussianPolicy.create(new Rng(1), 2, [4], 2);
  const agent = createFqeAgent(new Rng(3), 2, 2, [4], policy);
  expect(agent.criticTarget).not.toBe(agent.critic);
  agent.critic.params.forEach((p, i) => expect(Array.from(agent.criticTarget.params[i].dataSync())).toEqual(Array.from(p.dataSync())));
  expect(agent.critic.sizes).toEqual([4, 4, 1]);
});

test('fqeSettings: steps and rho from training.yaml evaluation, the rest from its defaults; overrides win', () => {
  expect(fqeSettings()).toEqual({ steps: 2000, rho: 0.05, batchSize: 128, lr: 0.001, gamma: 0.95, hidden: [32, 32] });
  expect(fqeSettings({ steps: 7 }).steps).toBe(7);
});

test('fitRegressionPolicy: mu(s) moves toward the dataset actions (least squares)', () => {
  const b = new DatasetBuilder(1, 1);
  for (let i = 0; i < 64; i++) b.add([i / 64], [0.5], 0, [i / 64], false, false);
  const policy = fitRegressionPolicy(b.build(), [8], 300, 1e-2, 32, new Rng(5));
  const mu = tf.tidy(() => Array.from(policy.mean(tf.tensor2d([[0.1], [0.9]])).dataSync()));
  mu.forEach((m) => expect(Math.abs(m - 0.5)).toBeLessThan(0.05));
});
