// docs/contract.md §7: fitted Q evaluation (target, loss, one update, the estimate over episode
// starts) and the critic heuristic, on tiny linear networks whose every number is worked out by hand.
// Each wrong variant named in the test is computed by hand too and shown to be far from the right value.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp } from '../../provided/nets/mlp';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { DatasetBuilder } from '../../provided/data/dataset';
import { batchFromRows } from '../../provided/train/batch';
import { episodeStartMask, fqeEstimate, fqeLoss, fqeTarget, fqeUpdate, meanPolicyQ, policyActionValues } from '../../solutions/fqe';
import { expectClose, expectFar, mean, read, setParams, t1, t2 } from './hand';

beforeAll(async () => {
  await initBackend();
});

const col = (xs: number[]) => t2(xs.map((x) => [x]));
const flat = (net: Mlp) => net.snapshot().flatMap((p) => Array.from(p));

/** A linear critic Q(s, a) = ws s + wa a + b on one-dimensional s and a. */
function linearCritic(ws: number, wa: number, b: number): Mlp {
  const q = Mlp.create(new Rng(1), [2, 1]);
  setParams(q, [[ws, wa], [b]]);
  return q;
}

/** The policy mu(s) = tanh(p s + e) on one-dimensional s and a. */
function tanhPolicy(p: number, e: number): GaussianPolicy {
  const policy = GaussianPolicy.create(new Rng(2), 1, [], 1);
  setParams(policy.net, [[p], [e]]);
  return policy;
}

// Q1(s, a) = 2 s + 3 a + 0.5, mu(s) = tanh(s); at s = [0, 1, -2]: mu = [0, 0.761594, -0.964028].
const s3 = [0, 1, -2];
const mu3 = s3.map(Math.tanh);
const q1At = (s: number, a: number) => 2 * s + 3 * a + 0.5;
const q2At = (s: number, a: number) => s - a;

describe('Q at the policy action and the critic heuristic', () => {
  test("policyActionValues: Q(s, mu(s)) with mu = tanh(MLP(s)), not the network's raw output", () => {
    const q = policyActionValues(linearCritic(2, 3, 0.5), tanhPolicy(1, 0), col(s3));
    expect(q.shape).toEqual([3]);
    const right = s3.map((s, i) => q1At(s, mu3[i])); // [0.5, 4.784782, -6.392083]
    expectClose(read(q), right);
    expectFar(s3.map((s) => q1At(s, s)), right); // pre-tanh action: [0.5, 5.5, -9.5]
  });

  test('meanPolicyQ: mean over states of min(Q1, Q2)(s, mu(s)), not max, mean of the two or Q1 alone', () => {
    const h = meanPolicyQ(linearCritic(2, 3, 0.5), linearCritic(1, -1, 0), tanhPolicy(1, 0), col(s3));
    expect(h.shape).toEqual([]);
    const q1 = s3.map((s, i) => q1At(s, mu3[i]));
    const q2 = s3.map((s, i) => q2At(s, mu3[i])); // [0, 0.238406, -1.035972]
    const right = mean(q1.map((x, i) => Math.min(x, q2[i]))); // -2.051226
    expectClose(read(h), [right]);
    expectFar([mean(q1.map((x, i) => Math.max(x, q2[i])))], [right]); // 1.416270
    expectFar([mean(q1.map((x, i) => (x + q2[i]) / 2))], [right]);
    expectFar([mean(q1)], [right]);
    // The batch mean: the same states twice give the same number.
    expectClose(read(meanPolicyQ(linearCritic(2, 3, 0.5), linearCritic(1, -1, 0), tanhPolicy(1, 0), col([...s3, ...s3]))), [right]);
  });
});

describe('FQE target and loss', () => {
  test("fqeTarget: y = r + gamma (1 - terminal) Q_E'(s', mu(s')), mask neither missing nor inverted, gamma on the bootstrap only", () => {
    // r = [1, 2, 3], terminal = [0, 1, 0], Q' = [10, 20, 30], gamma = 0.9 -> [1 + 9, 2, 3 + 27]
    const y = fqeTarget(t1([1, 2, 3]), t1([0, 1, 0]), t1([10, 20, 30]), 0.9);
    expect(y.shape).toEqual([3]);
    expectClose(read(y), [10, 2, 30]);
    expectFar([10, 20, 30], [10, 2, 30]); // no mask
    expectFar([1, 20, 3], [10, 2, 30]); // inverted mask
    expectFar([11, 2, 33], [10, 2, 30]); // no discount (gamma = 1)
    expectFar([9.9, 1.8, 29.7], [10, 2, 30]); // gamma (r + (1 - terminal) Q'): the reward discounted too
  });

  test('a timeout is not a terminal: the FQE target still bootstraps after it', () => {
    const b = new DatasetBuilder(1, 1);
    b.add([0], [0], 1, [1], false, true); // timeout
    b.add([1], [0], 2, [2], true, false); // terminal
    const batch = batchFromRows(b.build(), Int32Array.from([0, 1]));
    const y = read(fqeTarget(batch.rewards, batch.terminals, t1([10, 20]), 0.9));
    expectClose(y, [10, 2]);
    expectFar([1, 2], y);
  });

  test('fqeLoss: mean squared error, not sum, absolute, halved or negated', () => {
    // Q - y = [1, -2, -1] -> squares [1, 4, 1] -> mean 2
    const loss = fqeLoss(t1([1, 2, 0]), t1([0, 4, 1]));
    expect(loss.shape).toEqual([]);
    expectClose(read(loss), [2]);
    expectFar([6], [2]); // sum
    expectFar([4 / 3], [2]); // absolute
    expectFar([1], [2]); // 0.5 * mean
    expectFar([-2], [2]); // wrong sign
    expectClose(read(fqeLoss(t1([1, 2, 0, 1, 2, 0]), t1([0, 4, 1, 0, 4, 1]))), [2]); // duplicated batch
  });
});

describe('fqeUpdate (SGD, lr 0.1, gamma 0.9, rho 0.5)', () => {
  // Q_E(s, a) = 1 s + 2 a + 0, Q_E'(s, a) = 0.5 s + 0.5 a + 1, mu(s) = tanh(s).
  // Batch: s = [1, 0], a = [0.5, -1], r = [1, 0], s' = [0, 2], terminal = [0, 1].
  const s = [1, 0];
  const a = [0.5, -1];
  const r = [1, 0];
  const s2 = [0, 2];
  const d = [0, 1];
  const [gamma, rho, lr] = [0.9, 0.5, 0.1];
  const target = (x: number, u: number) => 0.5 * x + 0.5 * u + 1;

  /** The loss and the critic after one SGD step for given targets y, by hand: grad = (2 / B) sum e_i [s_i, a_i, 1]. */
  function step(y: number[]) {
    const e = s.map((x, i) => x + 2 * a[i] - y[i]);
    const g = [0, 1, 2].map((k) => (2 / 2) * e.reduce((acc, ei, i) => acc + ei * [s[i], a[i], 1][k], 0));
    return { loss: mean(e.map((x) => x * x)), critic: [1 - lr * g[0], 2 - lr * g[1], 0 - lr * g[2]] };
  }
  const soft = (online: number[]) => online.map((x, k) => rho * x + (1 - rho) * [0.5, 0.5, 1][k]);

  // Right: y = r + gamma (1 - d) Q_E'(s', mu(s')) = [1 + 0.9 * 1, 0] = [1.9, 0]; e = [0.1, -2]; loss 2.005;
  // critic [0.99, 1.795, 0.19]; target [0.745, 1.1475, 0.595].
  const y = s2.map((x, i) => r[i] + gamma * (1 - d[i]) * target(x, Math.tanh(x)));
  const right = step(y);

  test('the loss before the step, the critic after one step, the soft-updated target, the policy untouched', () => {
    const agent = { critic: linearCritic(1, 2, 0), criticTarget: linearCritic(0.5, 0.5, 1), policy: tanhPolicy(1, 0) };
    const policyBefore = agent.policy.snapshot().flatMap((p) => Array.from(p));
    const batch = { observations: col(s), actions: col(a), rewards: t1(r), nextObservations: col(s2), terminals: t1(d) };
    const out = fqeUpdate(agent, tf.train.sgd(lr), batch, { gamma, rho });
    expect(Object.keys(out)).toEqual(['loss']);
    expectClose([out.loss], [2.005]);
    expectClose([right.loss], [2.005]);
    expectClose(flat(agent.critic), right.critic);
    expectClose(flat(agent.critic), [0.99, 1.795, 0.19]);
    expectClose(flat(agent.criticTarget), soft(right.critic));
    expectClose(flat(agent.criticTarget), [0.745, 1.1475, 0.595]);
    expect(agent.policy.snapshot().flatMap((p) => Array.from(p))).toEqual(policyBefore);
  });

  test('the mistakes give other critics: online critic, dataset action at s\', s instead of s\', no mask, mu(s) in the loss, no soft update', () => {
    const online = (x: number, u: number) => x + 2 * u;
    expectFar(step(s2.map((x, i) => r[i] + gamma * (1 - d[i]) * online(x, Math.tanh(x)))).critic, right.critic); // Q_E, not Q_E'
    expectFar(step(s2.map((x, i) => r[i] + gamma * (1 - d[i]) * target(x, a[i]))).critic, right.critic); // Q_E'(s', a)
    expectFar(step(s.map((x, i) => r[i] + gamma * (1 - d[i]) * target(x, Math.tanh(x)))).critic, right.critic); // Q_E'(s, mu(s))
    expectFar(step(s2.map((x, i) => r[i] + gamma * target(x, Math.tanh(x)))).critic, right.critic); // no mask
    // Q_E(s, mu(s)) in the loss: e = [1 + 2 tanh(1) - 1.9, 0 + 0 - 0]
    const e = [1 + 2 * Math.tanh(1) - y[0], 0 - y[1]];
    expectFar([mean(e.map((x) => x * x))], [right.loss]);
    expectFar([0.5, 0.5, 1], soft(right.critic)); // the target left where it was
  });
});

describe('episode starts and the FQE estimate', () => {
  test('episodeStartMask: row 0 and every row after a terminal OR a timeout; a trailing run is an episode', () => {
    // Episodes: rows 0-2 (terminal), 3-4 (timeout), 5-7 (trailing, no flag).
    const m = episodeStartMask(t1([0, 0, 1, 0, 0, 0, 0, 0]), t1([0, 0, 0, 0, 1, 0, 0, 0]));
    expect(m.shape).toEqual([8]);
    const right = [1, 0, 0, 1, 0, 1, 0, 0];
    expect(read(m)).toEqual(right);
    expectFar([1, 0, 0, 1, 0, 0, 0, 0], right); // timeouts ignored
    expectFar([0, 0, 1, 0, 1, 0, 0, 1], right); // the ends marked instead of the starts
    expectFar([0, 0, 0, 1, 0, 1, 0, 0], right); // row 0 forgotten
    expect(read(episodeStartMask(t1([0, 0, 1]), t1([0, 0, 0])))).toEqual([1, 0, 0]); // a final terminal starts nothing
    expect(read(episodeStartMask(t1([1]), t1([0])))).toEqual([1]);
  });

  test('fqeEstimate: the mean of Q_E(s, mu(s)) over the episode starts only', () => {
    // s = [0, 1, -2, 0.5], starts at rows 0 and 2: (Q(0, 0) + Q(-2, tanh(-2))) / 2 = (0.5 - 6.392083) / 2
    const s = [0, 1, -2, 0.5];
    const mask = [1, 0, 1, 0];
    const j = fqeEstimate(linearCritic(2, 3, 0.5), tanhPolicy(1, 0), col(s), t1(mask));
    expect(j.shape).toEqual([]);
    const q = s.map((x) => q1At(x, Math.tanh(x)));
    const right = (q[0] + q[2]) / 2; // -2.946042
    expectClose(read(j), [right]);
    expectFar([mean(q)], [right]); // every row
    expectFar([(q[0] + q[2]) / 4], [right]); // divided by the number of rows
  });
});
