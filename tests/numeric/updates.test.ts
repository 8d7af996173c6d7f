// awrUpdate and iqlUpdate on tiny linear networks (hidden = []) with SGD, so every loss and every new
// parameter can be worked out by hand (docs/contract.md §4, §5). Each hand formula is written out
// below in plain arithmetic; the key intermediate numbers are in the comments.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp } from '../../provided/nets/mlp';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { AwrAgent, awrUpdate } from '../../solutions/awr';
import { IqlAgent, createIqlAgent, iqlUpdate } from '../../solutions/iql';
import { HALF_LOG_2PI as H, expectClose, expectFar, expectileMean, mean, setParams, t1, t2 } from './hand';

beforeAll(async () => {
  await initBackend();
});

const col = (xs: number[]) => t2(xs.map((x) => [x]));
const flat = (ps: Float32Array[]) => ps.flatMap((p) => Array.from(p));
const copy = (ps: Float32Array[]) => ps.map((p) => Float32Array.from(p));

/** Policy with mean tanh(p s + e) and log sigma ls (ds = da = 1): the loss -mean(w log pi) and one SGD step, by hand. */
function policyByHand(p: number, e: number, ls: number, s: number[], a: number[], w: number[], lr: number) {
  const mu = s.map((x) => Math.tanh(p * x + e));
  const z = a.map((ai, i) => (ai - mu[i]) / Math.exp(ls));
  const loss = -mean(z.map((zi, i) => w[i] * (-0.5 * zi * zi - ls - H)));
  // d log pi / d(p s + e) = (a - mu) / sigma^2 * (1 - mu^2);  d log pi / d ls = z^2 - 1
  const dpre = a.map((ai, i) => ((ai - mu[i]) / Math.exp(2 * ls)) * (1 - mu[i] ** 2));
  const gp = -mean(w.map((wi, i) => wi * dpre[i] * s[i]));
  const ge = -mean(w.map((wi, i) => wi * dpre[i]));
  const gls = -mean(w.map((wi, i) => wi * (z[i] ** 2 - 1)));
  return { loss, after: [p - lr * gp, e - lr * ge, ls - lr * gls] };
}

const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);

// ---------------------------------------------------------------------------------------------- AWR
describe('awrUpdate', () => {
  // s = [1, 2, -2], a = [0.5, -0.5, 0.9], R = [2, 0, 1]; V(s) = 0.5 s; policy mean tanh(0.5 s - 0.25), log sigma 0.2.
  const s = [1, 2, -2];
  const a = [0.5, -0.5, 0.9];
  const R = [2, 0, 1];
  const cfg = { alpha: 0.5, wMax: 20 };
  const make = (): AwrAgent => {
    const value = Mlp.create(new Rng(1), [1, 1]);
    const policy = GaussianPolicy.create(new Rng(2), 1, [], 1);
    setParams(value, [[0.5], [0]]);
    setParams(policy.net, [[0.5], [-0.25]]);
    policy.logStd.assign(t1([0.2]));
    return { value, policy };
  };
  const opts = () => ({ value: tf.train.sgd(0.1), policy: tf.train.sgd(0.1) });
  const batch = (k = 1) => ({ observations: col(rep(s, k)), actions: col(rep(a, k)), returns: t1(rep(R, k)) });
  const rep = (xs: number[], k: number) => Array.from({ length: k }, () => xs).flat();

  // Value: R - V = [1.5, -1, 2] -> L_V = (2.25 + 1 + 4) / 3 = 2.416667
  //   dL/dv = -2/3 * sum (R - V) s = -2/3 * (1.5 - 2 - 4) = 3;  dL/dc = -2/3 * 2.5 = -1.666667
  //   v = 0.5 - 0.1 * 3 = 0.2, c = 0 + 0.1 * 1.666667 = 0.166667
  // Policy, with the V just updated: A = R - (0.2 s + 0.166667) = [1.633333, -0.566667, 1.233333]
  //   w = min(exp(A / 0.5), 20) = [min(26.23, 20), 0.321963, 11.7834]
  const valueLoss = 7.25 / 3;
  const vAfter = [0.2, 1 / 6];
  const A = R.map((r, i) => r - (vAfter[0] * s[i] + vAfter[1]));
  const w = A.map((x) => Math.min(Math.exp(x / 0.5), 20));
  const pol = policyByHand(0.5, -0.25, 0.2, s, a, w, 0.1);

  test('losses: squared value loss before its step, policy loss with the V just updated, clipped weights', () => {
    expectClose(w, [20, 0.321963, 11.7834], 1e-4);
    const agent = make();
    const out = awrUpdate(agent, opts(), batch(), cfg);
    expect(finite(out.valueLoss) && finite(out.policyLoss)).toBe(true);
    expectClose(out.valueLoss, valueLoss);
    expectFar(4.5 / 3, valueLoss); // absolute error
    expectFar(-valueLoss, valueLoss); // sign
    expectClose(out.policyLoss, pol.loss);
    expectFar(-pol.loss, pol.loss); // sign
    const wOldV = R.map((r, i) => Math.min(Math.exp((r - 0.5 * s[i]) / 0.5), 20));
    expectFar(policyByHand(0.5, -0.25, 0.2, s, a, wOldV, 0.1).loss, pol.loss); // V before its step
    expectFar(policyByHand(0.5, -0.25, 0.2, s, a, A.map((x) => Math.exp(x / 0.5)), 0.1).loss, pol.loss); // unclipped
    expectFar(policyByHand(0.5, -0.25, 0.2, s, a, A.map((x) => Math.min(Math.exp(0.5 * x), 20)), 0.1).loss, pol.loss); // exp(alpha A)
  });

  test('each step changes only its own network: V and the policy move by exactly their own SGD step', () => {
    const agent = make();
    awrUpdate(agent, opts(), batch(), cfg);
    expectClose(flat(agent.value.snapshot()), vAfter);
    expectClose(flat(agent.policy.snapshot()), pol.after);
    expectFar(pol.after, [0.5, -0.25, 0.2], 1e-4); // the policy did move
  });

  test('batch mean, not sum: a duplicated batch gives the same losses and the same new parameters', () => {
    const one = make();
    const two = make();
    const l1 = awrUpdate(one, opts(), batch(1), cfg);
    const l2 = awrUpdate(two, opts(), batch(2), cfg);
    expectClose([l2.valueLoss, l2.policyLoss], [l1.valueLoss, l1.policyLoss]);
    expectClose(flat(two.value.snapshot()), flat(one.value.snapshot()));
    expectClose(flat(two.policy.snapshot()), flat(one.policy.snapshot()));
  });

  test('no tensor leak over 10 updates (Adam, after a warm-up update)', () => {
    const rng = new Rng(5);
    const agent = { value: Mlp.create(rng.fork('v'), [3, 8, 1]), policy: GaussianPolicy.create(rng.fork('p'), 3, [8], 2) };
    const o = { value: tf.train.adam(1e-3), policy: tf.train.adam(1e-3) };
    const b = { observations: tf.tensor2d(rng.normals(15), [5, 3]), actions: tf.tensor2d(rng.normals(10, 0.3), [5, 2]), returns: t1([1, 0, 2, -1, 3]) };
    awrUpdate(agent, o, b, cfg);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const out = awrUpdate(agent, o, b, cfg);
      expect(finite(out.valueLoss) && finite(out.policyLoss)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});

// ---------------------------------------------------------------------------------------------- IQL
describe('iqlUpdate', () => {
  // B = 3, ds = da = 1.  s = [1, 2, -1], a = [0.5, -0.5, 1], r = [1, 0, 2], s' = [2, 0, 1], terminal = [0, 1, 0].
  const s = [1, 2, -1];
  const a = [0.5, -0.5, 1];
  const r = [1, 0, 2];
  const s2 = [2, 0, 1];
  const d = [0, 1, 0];
  const cfg = { gamma: 0.9, tau: 0.7, alpha: 0.5, wMax: 3, rho: 0.25 };
  const lr = { critic: 0.1, value: 0.6, policy: 0.1 };
  // Critics are Q(s, a) = w_s s + w_a a + b; the online critics deliberately differ from the targets.
  const Q1T = [1, 2, 0]; // Q1'(s, a) = s + 2a        = [2, 1, 1]
  const Q2T = [2, -1, 1]; // Q2'(s, a) = 2s - a + 1   = [2.5, 5.5, -2]
  const Q1 = [0, 0, 3]; // Q1(s, a) = 3              = [3, 3, 3]
  const Q2 = [1, 1, 0]; // Q2(s, a) = s + a          = [1.5, 1.5, 0]
  const V0 = [0.5, 0.25]; // V(s) = 0.5 s + 0.25     = [0.75, 1.25, -0.25]
  const P0 = [0.5, -0.25, -0.5]; // policy mean tanh(0.5 s - 0.25), log sigma -0.5
  const make = (): IqlAgent => {
    const agent = createIqlAgent(new Rng(3), 1, 1, []);
    setParams(agent.q1Target, [Q1T.slice(0, 2), [Q1T[2]]]);
    setParams(agent.q2Target, [Q2T.slice(0, 2), [Q2T[2]]]);
    setParams(agent.q1, [Q1.slice(0, 2), [Q1[2]]]);
    setParams(agent.q2, [Q2.slice(0, 2), [Q2[2]]]);
    setParams(agent.value, [[V0[0]], [V0[1]]]);
    setParams(agent.policy.net, [[P0[0]], [P0[1]]]);
    agent.policy.logStd.assign(t1([P0[2]]));
    return agent;
  };
  const opts = () => ({ critic: tf.train.sgd(lr.critic), value: tf.train.sgd(lr.value), policy: tf.train.sgd(lr.policy) });
  const rep = (xs: number[], k: number) => Array.from({ length: k }, () => xs).flat();
  const batch = (k = 1) => ({
    observations: col(rep(s, k)),
    actions: col(rep(a, k)),
    rewards: t1(rep(r, k)),
    nextObservations: col(rep(s2, k)),
    terminals: t1(rep(d, k)),
  });
  const lin = (p: number[], i: number) => p[0] * s[i] + p[1] * a[i] + p[2];

  // 1. q' = min(Q1', Q2') = [2, 1, -2]; u = q' - V = [1.25, -0.25, -1.75], weights [0.7, 0.3, 0.3]
  //    L_V = (0.7 * 1.5625 + 0.3 * 0.0625 + 0.3 * 3.0625) / 3 = 2.03125 / 3 = 0.677083
  //    dL/dv = -2/3 * sum k u s = -2/3 * 1.25 = -0.833333, dL/dc = -2/3 * 0.275 = -0.183333
  //    v = 0.5 + 0.6 * 0.833333 = 1.0, c = 0.25 + 0.6 * 0.183333 = 0.36
  const qT = s.map((_, i) => Math.min(lin(Q1T, i), lin(Q2T, i)));
  const u = qT.map((q, i) => q - (V0[0] * s[i] + V0[1]));
  const valueLoss = expectileMean(u, 0.7);
  const vAfter = [1.0, 0.36];
  // 2. A = q' - V_new(s) = [2 - 1.36, 1 - 2.36, -2 + 0.64] = [0.64, -1.36, -1.36]; w = min(exp(2 A), 3) = [3, 0.0659, 0.0659]
  const Vnew = (x: number) => vAfter[0] * x + vAfter[1];
  const wOf = (adv: number[]) => adv.map((x) => Math.min(Math.exp(x / cfg.alpha), cfg.wMax));
  const pol = policyByHand(P0[0], P0[1], P0[2], s, a, wOf(qT.map((q, i) => q - Vnew(s[i]))), lr.policy);
  // 3. y = r + 0.9 (1 - d) V_new(s') = [1 + 0.9 * 2.36, 0, 2 + 0.9 * 1.36] = [3.124, 0, 3.224]
  //    L_Q = mean[(Q1 - y)^2 + (Q2 - y)^2] = (2.652752 + 11.25 + 10.444352) / 3 = 8.115701
  const yOf = (next: number[], mask: number[]) => r.map((ri, i) => ri + cfg.gamma * mask[i] * Vnew(next[i]));
  const y = yOf(s2, d.map((x) => 1 - x));
  const qLossOf = (yy: number[]) => mean(s.map((_, i) => (lin(Q1, i) - yy[i]) ** 2 + (lin(Q2, i) - yy[i]) ** 2));
  const criticLoss = qLossOf(y);
  //    one SGD step per critic: grad = 2 mean((Q - y) [s, a, 1])
  const sgd = (p: number[]) => {
    const e = s.map((_, i) => lin(p, i) - y[i]);
    const g = [mean(e.map((x, i) => 2 * x * s[i])), mean(e.map((x, i) => 2 * x * a[i])), mean(e.map((x) => 2 * x))];
    return p.map((x, j) => x - lr.critic * g[j]);
  };
  const q1After = sgd(Q1);
  const q2After = sgd(Q2);
  // 4. theta' <- 0.25 theta + 0.75 theta'
  const q1TAfter = Q1T.map((x, j) => 0.25 * q1After[j] + 0.75 * x);
  const q2TAfter = Q2T.map((x, j) => 0.25 * q2After[j] + 0.75 * x);

  test('hand numbers agree with the comments', () => {
    expectClose(qT, [2, 1, -2]);
    expectClose(valueLoss, 0.677083333);
    expectClose(y, [3.124, 0, 3.224]);
    expectClose(criticLoss, 8.115701333);
  });

  test('value step: expectile loss of q\' from the TARGET critics (min), u = q\' - V, tau not 1 - tau', () => {
    const out = iqlUpdate(make(), opts(), batch(), cfg);
    expectClose(out.valueLoss, valueLoss);
    const onlineQ = s.map((_, i) => Math.min(lin(Q1, i), lin(Q2, i))); // [1.5, 1.5, 0]
    const V = s.map((x) => V0[0] * x + V0[1]);
    expectFar(expectileMean(onlineQ.map((q, i) => q - V[i]), 0.7), valueLoss); // online critics: 0.160417
    expectFar(expectileMean(u, 0.3), valueLoss); // 1 - tau (or u = v - q): 0.885417
    expectFar(mean(u.map((x) => Math.abs(0.7 - (x < 0 ? 1 : 0)) * Math.abs(x))), valueLoss); // pinball: 0.491667
    expectFar(3 * valueLoss, valueLoss); // batch sum
    const maxQ = s.map((_, i) => Math.max(lin(Q1T, i), lin(Q2T, i)));
    expectFar(expectileMean(maxQ.map((q, i) => q - V[i]), 0.7), valueLoss); // max: 5.29375
    expectFar(expectileMean(s.map((_, i) => (lin(Q1T, i) + lin(Q2T, i)) / 2 - V[i]), 0.7), valueLoss); // mean: 1.464583
    expectFar(expectileMean(s.map((_, i) => lin(Q1T, i) - V[i]), 0.7), valueLoss); // Q1' alone: 0.735417
    expectFar(expectileMean(qT.flatMap((q) => V.map((v) => q - v)), 0.7), valueLoss); // [B] - [B,1] -> [B,B]
  });

  test('actor step: w = min(exp((q\' - V_new(s)) / alpha), w_max), L_pi = -mean(w log pi)', () => {
    const out = iqlUpdate(make(), opts(), batch(), cfg);
    expectClose(out.policyLoss, pol.loss);
    expectFar(-pol.loss, pol.loss); // sign
    const p = (w: number[]) => policyByHand(P0[0], P0[1], P0[2], s, a, w, lr.policy).loss;
    expectFar(p(wOf(u)), pol.loss); // V before its step
    expectFar(p(qT.map((q, i) => Math.exp((q - Vnew(s[i])) / cfg.alpha))), pol.loss); // unclipped
    expectFar(p(qT.map((q, i) => Math.min(Math.exp(cfg.alpha * (q - Vnew(s[i]))), cfg.wMax))), pol.loss); // exp(alpha A)
  });

  test('critic step: y uses V_new(s\') with the terminal mask, and sums the two squared errors', () => {
    const out = iqlUpdate(make(), opts(), batch(), cfg);
    expectClose(out.criticLoss, criticLoss);
    expectFar(qLossOf(yOf(s, d.map((x) => 1 - x))), criticLoss); // V(s) instead of V(s')
    expectFar(qLossOf(yOf(s2, [1, 1, 1])), criticLoss); // no mask
    expectFar(qLossOf(yOf(s2, d)), criticLoss); // inverted mask
    expectFar(qLossOf(r.map((ri, i) => ri + cfg.gamma * (1 - d[i]) * (V0[0] * s2[i] + V0[1]))), criticLoss); // V before its step
    expectFar(criticLoss / 2, criticLoss); // the two errors averaged
  });

  test('each step changes only its own network; target critics move by exactly the soft update', () => {
    const agent = make();
    const before = {
      q1: copy(agent.q1.snapshot()),
      q1T: copy(agent.q1Target.snapshot()),
      q2T: copy(agent.q2Target.snapshot()),
    };
    const out = iqlUpdate(agent, opts(), batch(), cfg);
    expect([out.valueLoss, out.policyLoss, out.criticLoss].every(finite)).toBe(true);
    expectClose(flat(agent.value.snapshot()), vAfter);
    expectClose(flat(agent.policy.snapshot()), pol.after);
    expectClose(flat(agent.q1.snapshot()), q1After);
    expectClose(flat(agent.q2.snapshot()), q2After);
    expectFar(flat(agent.q1.snapshot()), flat(before.q1)); // Q1 did move
    expectClose(flat(agent.q1Target.snapshot()), q1TAfter);
    expectClose(flat(agent.q2Target.snapshot()), q2TAfter);
    expectFar(Q1T.map((x, j) => 0.75 * q1After[j] + 0.25 * x), q1TAfter); // reversed soft update
    expectFar(Q1T, q1TAfter); // no target update
    // the same check from snapshots only: theta'_new = rho theta_new + (1 - rho) theta'_old
    const q1Now = flat(agent.q1.snapshot());
    expectClose(flat(agent.q1Target.snapshot()), flat(before.q1T).map((x, j) => 0.25 * q1Now[j] + 0.75 * x));
    const q2Now = flat(agent.q2.snapshot());
    expectClose(flat(agent.q2Target.snapshot()), flat(before.q2T).map((x, j) => 0.25 * q2Now[j] + 0.75 * x));
  });

  test('batch mean, not sum: a duplicated batch gives the same losses and the same new parameters', () => {
    const one = make();
    const two = make();
    const l1 = iqlUpdate(one, opts(), batch(1), cfg);
    const l2 = iqlUpdate(two, opts(), batch(2), cfg);
    expectClose([l2.valueLoss, l2.policyLoss, l2.criticLoss], [l1.valueLoss, l1.policyLoss, l1.criticLoss]);
    for (const k of ['q1', 'q2', 'q1Target', 'q2Target', 'value', 'policy'] as const) {
      expectClose(flat(two[k].snapshot()), flat(one[k].snapshot()));
    }
  });

  test('no tensor leak over 10 updates (Adam, after a warm-up update)', () => {
    const rng = new Rng(9);
    const agent = createIqlAgent(rng.fork('agent'), 3, 2, [8]);
    const o = { critic: tf.train.adam(1e-3), value: tf.train.adam(1e-3), policy: tf.train.adam(1e-3) };
    const b = {
      observations: tf.tensor2d(rng.normals(15), [5, 3]),
      actions: tf.tensor2d(rng.normals(10, 0.3), [5, 2]),
      rewards: t1([1, 0, 2, -1, 3]),
      nextObservations: tf.tensor2d(rng.normals(15), [5, 3]),
      terminals: t1([0, 0, 1, 0, 0]),
    };
    iqlUpdate(agent, o, b, { ...cfg, wMax: 100 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const out = iqlUpdate(agent, o, b, { ...cfg, wMax: 100 });
      expect([out.valueLoss, out.policyLoss, out.criticLoss].every(finite)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
