// docs/contract.md §9: each function of the CQL homework on hand-computed inputs, then one whole
// cqlUpdate on tiny linear networks (hidden = []) with SGD, every number worked out in plain
// arithmetic below. The reference is loaded as the trainer loads it (loadImpl): the solution file
// imports provided/ through the assignments/cql/provided link, which TypeScript treats as other
// files than provided/, so its classes would not type-check against this file's.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp } from '../../provided/nets/mlp';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { loadImpl } from '../../provided/train/impl';
import { CQL_MODULES, CQL_SOLUTIONS, type CqlAgent, type CqlBatch, type CqlConfig } from '../../provided/train/cql';
import { HALF_LOG_2PI, expectClose, expectFar, mean, read, setParams, t1, t2 } from './hand';

const cql = loadImpl(CQL_SOLUTIONS, CQL_MODULES).cql!;
const HALF_LOG_2PI_E = 0.5 * Math.log(2 * Math.PI * Math.E); // 1.4189385
const lse = (xs: number[]) => Math.log(xs.reduce((acc, x) => acc + Math.exp(x), 0));
const t3 = (x: number[][][]) => tf.tensor3d(x);

beforeAll(async () => {
  await initBackend();
});

/** A policy with ds = 1 and hidden = []: mu(s) = tanh(p s + e) per action dimension. */
function linearPolicy(p: number[], e: number[], logStd: number[]): GaussianPolicy {
  const policy = GaussianPolicy.create(new Rng(1), 1, [], p.length);
  setParams(policy.net, [p, e]);
  policy.logStd.assign(t1(logStd));
  return policy;
}

describe('sampled actions', () => {
  // mu(s) = [0.2, 0.9] for every s (p = 0), log sigma = ln 0.5 -> sigma = 0.5
  const policy = () => linearPolicy([0, 0], [Math.atanh(0.2), Math.atanh(0.9)], [Math.log(0.5), Math.log(0.5)]);

  test('policySamples: clip(mu(s) + sigma eps, -1, 1), [N, B, da] and [B, da] (contract check)', () => {
    const samples = cql.policySamples(policy(), t2([[3]]), t3([[[1, 1]], [[-1, 0]]]));
    expect(samples.shape).toEqual([2, 1, 2]);
    expectClose(read(samples), [0.7, 1, -0.3, 0.9]); // 1.4 is clipped to 1
    expectFar([1, 1, -0.8, 0.9], [0.7, 1, -0.3, 0.9]); // no sigma: mu + eps
    expectFar([0.7, 1.4, -0.3, 0.9], [0.7, 1, -0.3, 0.9]); // no clip
    expectFar([1, 1, -1, 0], [0.7, 1, -0.3, 0.9]); // the noise alone
    const one = cql.policySamples(policy(), t2([[3]]), t2([[1, 1]]));
    expect(one.shape).toEqual([1, 2]);
    expectClose(read(one), [0.7, 1]);
  });

  test('policySamples: log sigma clipped to [-5, 2] first', () => {
    const wide = linearPolicy([0], [Math.atanh(0.2)], [3]); // sigma = e^2, not e^3
    expectClose(read(cql.policySamples(wide, t2([[0]]), t2([[0.05]]))), [0.2 + Math.exp(2) * 0.05]);
    expectFar([0.2 + Math.exp(3) * 0.05], [0.2 + Math.exp(2) * 0.05]);
  });

  test('sampledActionValues: Q[j, b] = Q(s_b, a_jb), sample-major', () => {
    // Q(s, a) = 2 s + 3 a + 1; s = [1, -1]; a[j, b] = [[0, 1], [0.5, -1], [1, 0]]
    const critic = Mlp.create(new Rng(2), [2, 1]);
    setParams(critic, [[2, 3], [1]]);
    const q = cql.sampledActionValues(critic, t2([[1], [-1]]), t3([[[0], [1]], [[0.5], [-1]], [[1], [0]]]));
    expect(q.shape).toEqual([3, 2]);
    const right = [3, 2, 4.5, -4, 6, -1];
    expectClose(read(q), right);
    // rows paired as [s0, s0, s0, s1, s1, s1] (each state repeated instead of the batch tiled)
    expectFar([2 + 0 + 1, 2 + 3 + 1, 2 + 1.5 + 1, -2 - 3 + 1, -2 + 3 + 1, -2 + 0 + 1], right);
  });
});

describe('regulariser, target and critic loss', () => {
  const sampled1 = [[0, 1], [1, 1], [2, 1]];
  const data1 = [0.5, 2];

  test('cqlRegulariser: mean_b[logsumexp_j Q - Q(s, a)] (contract check 1.003109)', () => {
    const r = cql.cqlRegulariser(t2(sampled1), t1(data1));
    expect(r.shape).toEqual([]);
    expectClose(read(r), [1.0031091]);
    expectClose([lse([0, 1, 2]), lse([1, 1, 1])], [2.407606, 2.098612]);
    expectFar([0.25], [1.0031091]); // max over the samples
    expectFar([-0.25], [1.0031091]); // mean over the samples
    expectFar([1.0031091 - Math.log(3)], [1.0031091]); // log of the mean (log N subtracted)
    expectFar([2.2531091], [1.0031091]); // no dataset term
    expectFar([-1.0031091], [1.0031091]); // wrong sign
    // a batch given twice leaves it unchanged (a mean, not a sum)
    const twice = sampled1.map((row) => [...row, ...row]);
    expectClose(read(cql.cqlRegulariser(t2(twice), t1([...data1, ...data1]))), [1.0031091]);
  });

  test('cqlTarget: r + gamma (1 - terminal) min(Q1\', Q2\'), mask neither missing nor inverted', () => {
    // min([10, 20, 30], [12, 5, 25]) = [10, 5, 25] -> [1 + 9, 2, 3 + 22.5]
    const y = cql.cqlTarget(t1([1, 2, 3]), t1([0, 1, 0]), t1([10, 20, 30]), t1([12, 5, 25]), 0.9);
    expect(y.shape).toEqual([3]);
    const right = [10, 2, 25.5];
    expectClose(read(y), right);
    expectFar([11.8, 2, 30], right); // max
    expectFar([10.9, 2, 27.75], right); // mean
    expectFar([10, 2, 30], right); // Q1' alone
    expectFar([10, 6.5, 25.5], right); // no mask
    expectFar([1, 6.5, 3], right); // inverted mask
  });

  test('cqlCriticLoss: twin squared errors + alpha (R1 + R2) (contract check 3.578443)', () => {
    // R1 = 1.003109; R2 over [[1, 0], [1, 0], [1, 0]] with Q2(s, a) = [1, 1]: (1 + ln 3 - 1 + ln 3 - 1) / 2 = 0.598612
    // squared errors: Q1 - y = [-0.5, 0.5], Q2 - y = [0, -0.5] -> (0.25 + 0.5) / 2 = 0.375
    const args = [t1(data1), t1([1, 1]), t1([1, 1.5]), t2(sampled1), t2([[1, 0], [1, 0], [1, 0]])] as const;
    const loss = cql.cqlCriticLoss(...args, 2);
    expect(loss.shape).toEqual([]);
    const right = 0.375 + 2 * (1.0031091 + 0.5986123);
    expectClose(read(loss), [right]);
    expectClose(right, 3.578443);
    expectFar([2 * (0.375 + 1.6017214)], [right]); // alpha on the squared errors too
    expectFar([2 * 0.375 + 1.6017214], [right]); // alpha on the squared errors instead
    expectFar([0.375 + 2 * 1.0031091], [right]); // Q1's regulariser only
    expectFar([0.375 + 1.6017214], [right]); // the mean of the two regularisers
    expectFar([0.1875 + 2 * 1.6017214], [right]); // squared errors averaged over 2B
    // the batch given twice
    const dup = (rows: number[][]) => rows.map((row) => [...row, ...row]);
    const twice = cql.cqlCriticLoss(t1([...data1, ...data1]), t1([1, 1, 1, 1]), t1([1, 1.5, 1, 1.5]), t2(dup(sampled1)), t2(dup([[1, 0], [1, 0], [1, 0]])), 2);
    expectClose(read(twice), [right]);
  });
});

describe('actor', () => {
  test('gaussianLogProb: summed over dimensions, log sigma clipped', () => {
    // mu = [0, 0.5], log sigma = [0, ln 2], a = [1, 1.5]: z = [1, 0.5]
    const lp = cql.gaussianLogProb(t2([[0, 0.5]]), t1([0, Math.log(2)]), t2([[1, 1.5]]));
    expect(lp.shape).toEqual([1]);
    const right = -0.5 * 1 - 0 - HALF_LOG_2PI + (-0.5 * 0.25 - Math.log(2) - HALF_LOG_2PI);
    expectClose(read(lp), [right]);
    expectFar([right / 2], [right]); // averaged over dimensions
    const clipped = cql.gaussianLogProb(t2([[0]]), t1([-7]), t2([[0.01]])); // log sigma -7 -> -5
    expectClose(read(clipped), [-0.5 * (0.01 / Math.exp(-5)) ** 2 + 5 - HALF_LOG_2PI]);
  });

  test('gaussianEntropy: sum_j [log sigma_j + 0.5 log(2 pi e)], log sigma clipped', () => {
    expectClose(read(cql.gaussianEntropy(t1([0, -1]))), [1.837877]);
    expectClose(read(cql.gaussianEntropy(t1([-6, 3]))), [-5 + 2 + 2 * HALF_LOG_2PI_E]);
    expectFar([1.837877 / 2], [1.837877]); // averaged
    expectFar([-1], [1.837877]); // without the constant
  });

  test('cqlActorLoss: -mean min(Q1, Q2) - beta H (contract check -0.683788)', () => {
    const h = 1.837877;
    const loss = cql.cqlActorLoss(t1([1, 3]), t1([2, 0]), tf.scalar(h), 0.1);
    expect(loss.shape).toEqual([]);
    expectClose(read(loss), [-0.683788]);
    expectFar([-2.683788], [-0.683788]); // max of the critics
    expectFar([-2.183788], [-0.683788]); // Q1 alone
    expectFar([-0.316212], [-0.683788]); // entropy with the wrong sign
    expectFar([0.683788], [-0.683788]); // the whole loss with the wrong sign
  });

  test('warmupActorLoss: -mean log pi(a|s) - beta H', () => {
    expectClose(read(cql.warmupActorLoss(t1([-1, -3]), tf.scalar(1.837877), 0.1)), [2 - 0.1837877]);
    expectFar([-2 - 0.1837877], [2 - 0.1837877]);
  });
});

describe('target networks', () => {
  test('softUpdate: theta\' <- rho theta + (1 - rho) theta\', not reversed', () => {
    const target = Mlp.create(new Rng(1), [2, 1]);
    const online = Mlp.create(new Rng(2), [2, 1]);
    setParams(target, [[1, 2], [3]]);
    setParams(online, [[5, 6], [7]]);
    cql.softUpdate(target, online, 0.25);
    expectClose(target.snapshot().flatMap((p) => Array.from(p)), [2, 3, 4]);
    expectClose(online.snapshot().flatMap((p) => Array.from(p)), [5, 6, 7]);
  });

  test('createCqlAgent: target critics are exact copies in their own variables', () => {
    const agent = cql.createCqlAgent(new Rng(7), 3, 2, [4, 4]);
    for (const [online, target] of [[agent.q1, agent.q1Target], [agent.q2, agent.q2Target]] as const) {
      expect(target).not.toBe(online);
      target.params.forEach((p, i) => {
        expect(p).not.toBe(online.params[i]);
        expect(Array.from(p.dataSync())).toEqual(Array.from(online.params[i].dataSync()));
      });
    }
    expect(agent.q1.sizes).toEqual([5, 4, 4, 1]);
    expect(Array.from(agent.q1.params[0].dataSync())).not.toEqual(Array.from(agent.q2.params[0].dataSync()));
    expect(agent.policy.params.length).toBe(7); // 3 layers and log sigma
  });
});

// ---------------------------------------------------------------------------------------- cqlUpdate
describe('cqlUpdate on linear networks, by hand', () => {
  // B = 3, ds = da = 1, N = 1 (two sampled actions per state). Critics Q(s, a) = w_s s + w_a a + b.
  const s = [0.5, -1, 2];
  const a = [0.3, -0.6, 0.9];
  const r = [1, 0, 0.5];
  const s2 = [1, 0.2, -0.5];
  const d = [0, 1, 0];
  const U = [0.9, -0.2, -0.7]; // randomActions[0, b]
  const PN = [0.5, -1.5, 0.2]; // policyNoise[0, b]: row 1's sample leaves the box
  const AN = [0.4, 2, 3]; // actorNoise[b]: row 2's sample leaves the box
  const Q1 = [1, 2, 0];
  const Q2 = [2, 1, 0.5];
  const Q1T = [0.5, 1, 0];
  const Q2T = [1, -0.5, 0.2];
  const P = [0.5, 0.1, -0.5]; // policy: mu = tanh(0.5 s + 0.1), log sigma -0.5
  const cfg: CqlConfig = { gamma: 0.9, alpha: 0.5, beta: 0.1, rho: 0.25, warmup: false };
  const lr = { critic: 0.1, policy: 0.1 };

  const make = (): CqlAgent => {
    const agent = cql.createCqlAgent(new Rng(3), 1, 1, []);
    const lin = (net: Mlp, p: number[]) => setParams(net, [p.slice(0, 2), [p[2]]]);
    lin(agent.q1, Q1);
    lin(agent.q2, Q2);
    lin(agent.q1Target, Q1T);
    lin(agent.q2Target, Q2T);
    setParams(agent.policy.net, [[P[0]], [P[1]]]);
    agent.policy.logStd.assign(t1([P[2]]));
    return agent;
  };
  const opts = () => ({ critic: tf.train.sgd(lr.critic), policy: tf.train.sgd(lr.policy) });
  const rep = (xs: number[], k: number) => Array.from({ length: k }, () => xs).flat();
  const col = (xs: number[]) => t2(xs.map((x) => [x]));
  const batch = (k = 1): CqlBatch => ({
    observations: col(rep(s, k)),
    actions: col(rep(a, k)),
    rewards: t1(rep(r, k)),
    nextObservations: col(rep(s2, k)),
    terminals: t1(rep(d, k)),
    randomActions: tf.tensor3d(rep(U, k), [1, 3 * k, 1]),
    policyNoise: tf.tensor3d(rep(PN, k), [1, 3 * k, 1]),
    actorNoise: col(rep(AN, k)),
  });
  const snap = (net: Mlp) => net.snapshot().flatMap((p) => Array.from(p));

  // ---- by hand, in plain arithmetic ----
  const q = (p: number[], x: number, u: number) => p[0] * x + p[1] * u + p[2];
  const clip = (x: number) => Math.max(-1, Math.min(1, x));
  const mu = (x: number) => Math.tanh(P[0] * x + P[1]);
  const sigma = Math.exp(P[2]);
  // 1. target at a' = mu(s') from the target critics: y = [1 + 0.9 min(1.0370, 0.9315), 0, 0.5 + 0.9 min(-0.3989, -0.2256)]
  const y = s2.map((x, i) => r[i] + cfg.gamma * (1 - d[i]) * Math.min(q(Q1T, x, mu(x)), q(Q2T, x, mu(x))));
  const pi = s.map((x, i) => clip(mu(x) + sigma * PN[i])); // [0.6396, -1 (-1.2897 clipped), 0.9218]
  /** A critic's loss terms and its SGD gradient: 2 (Q - y) x / B from its squared error, alpha (softmax-weighted x - x_data) / B. */
  const critic = (p: number[]) => {
    let td = 0;
    let reg = 0;
    const g = [0, 0, 0];
    s.forEach((x, i) => {
      const qd = q(p, x, a[i]);
      const qs = [q(p, x, U[i]), q(p, x, pi[i])];
      const l = lse(qs);
      td += (qd - y[i]) ** 2 / s.length;
      reg += (l - qd) / s.length;
      const feats = [[x, U[i], 1], [x, pi[i], 1]];
      const data = [x, a[i], 1];
      for (let k = 0; k < 3; k++) {
        const soft = qs.reduce((acc, v, j) => acc + Math.exp(v - l) * feats[j][k], 0);
        g[k] += (2 * (qd - y[i]) * data[k] + cfg.alpha * (soft - data[k])) / s.length;
      }
    });
    return { td, reg, after: p.map((v, k) => v - lr.critic * g[k]) };
  };
  const c1 = critic(Q1);
  const c2 = critic(Q2);
  const criticLoss = c1.td + c2.td + cfg.alpha * (c1.reg + c2.reg);
  // 2. actor with the critics just updated: a~ = clip(mu + sigma xi); the min critic's slope w_a flows through a~ where it is inside
  const actor = (q1: number[], q2: number[]) => {
    const h = P[2] + HALF_LOG_2PI_E;
    const g = [0, 0, 0];
    let loss = -cfg.beta * h;
    s.forEach((x, i) => {
      const m = mu(x);
      const raw = m + sigma * AN[i];
      const at = clip(raw);
      const [v1, v2] = [q(q1, x, at), q(q2, x, at)];
      loss -= Math.min(v1, v2) / s.length;
      if (raw > -1 && raw < 1) {
        const slope = (v1 <= v2 ? q1 : q2)[1]; // dQ/da of the smaller critic
        g[0] -= (slope * (1 - m * m) * x) / s.length; // d a~ / dp = (1 - mu^2) s
        g[1] -= (slope * (1 - m * m)) / s.length; // d a~ / de = 1 - mu^2
        g[2] -= (slope * sigma * AN[i]) / s.length; // d a~ / d log sigma = sigma xi
      }
    });
    g[2] -= cfg.beta; // dH / d log sigma = 1
    return { loss, after: P.map((v, k) => v - lr.policy * g[k]) };
  };
  const act = actor(c1.after, c2.after);
  const soft = (t: number[], o: number[]) => t.map((v, k) => cfg.rho * o[k] + (1 - cfg.rho) * v);

  test('hand numbers agree with the comments', () => {
    expectClose(y, [1.8383277, 0, 0.1410035], 1e-5);
    expectClose(pi, [0.6396409, -1, 0.9218052], 1e-5);
    expect(s.map((x, i) => mu(x) + sigma * AN[i]).map((v) => v > -1 && v < 1)).toEqual([true, true, false]);
  });

  test('losses: critic loss with the regulariser, actor loss with the critics just updated', () => {
    const out = cql.cqlUpdate(make(), opts(), batch(), cfg);
    expect(Number.isFinite(out.criticLoss) && Number.isFinite(out.policyLoss)).toBe(true);
    expectClose(out.criticLoss, criticLoss);
    expectClose(out.policyLoss, act.loss);
    expectFar(actor(Q1, Q2).loss, act.loss); // actor step before the critic step
    expectFar(c1.td + c2.td, criticLoss); // no regulariser
    expectFar(c1.td + c2.td - cfg.alpha * (c1.reg + c2.reg), criticLoss); // regulariser with the wrong sign
    expectFar(c1.td + c2.td + cfg.alpha * (c1.reg + c2.reg - 2 * Math.log(2)), criticLoss); // log of the mean
  });

  test('parameters: each step changes only its own networks, then the targets move by rho', () => {
    const agent = make();
    cql.cqlUpdate(agent, opts(), batch(), cfg);
    expectClose(snap(agent.q1), c1.after);
    expectClose(snap(agent.q2), c2.after);
    expectClose([...snap(agent.policy.net), ...Array.from(agent.policy.logStd.dataSync())], act.after);
    expectClose(snap(agent.q1Target), soft(Q1T, c1.after));
    expectClose(snap(agent.q2Target), soft(Q2T, c2.after));
    expectFar(act.after, P, 1e-4); // the policy did move
    expectFar(soft(c1.after, Q1T), soft(Q1T, c1.after), 1e-3); // a reversed soft update would differ
  });

  test('warm-up: the actor step is behaviour cloning of the dataset action, the critic step unchanged', () => {
    const agent = make();
    const out = cql.cqlUpdate(agent, opts(), batch(), { ...cfg, warmup: true });
    expectClose(out.criticLoss, criticLoss);
    // L = -mean log pi(a|s) - beta H; d log pi / d(p s + e) = (a - mu) / sigma^2 (1 - mu^2), d log pi / d log sigma = z^2 - 1
    const z = s.map((x, i) => (a[i] - mu(x)) / sigma);
    const loss = -mean(z.map((zi) => -0.5 * zi * zi - P[2] - HALF_LOG_2PI)) - cfg.beta * (P[2] + HALF_LOG_2PI_E);
    const dpre = s.map((x, i) => ((a[i] - mu(x)) / sigma ** 2) * (1 - mu(x) ** 2));
    const g = [-mean(dpre.map((v, i) => v * s[i])), -mean(dpre), -mean(z.map((zi) => zi * zi - 1)) - cfg.beta];
    expectClose(out.policyLoss, loss);
    expectFar(act.loss, loss);
    expectClose([...snap(agent.policy.net), ...Array.from(agent.policy.logStd.dataSync())], P.map((v, k) => v - lr.policy * g[k]));
    expectClose(snap(agent.q1), c1.after);
  });

  test('batch mean, not sum: the batch and every noise array given twice change nothing', () => {
    const one = make();
    const two = make();
    const l1 = cql.cqlUpdate(one, opts(), batch(1), cfg);
    const l2 = cql.cqlUpdate(two, opts(), batch(2), cfg);
    expectClose([l2.criticLoss, l2.policyLoss], [l1.criticLoss, l1.policyLoss]);
    for (const k of ['q1', 'q2', 'q1Target', 'q2Target'] as const) expectClose(snap(two[k]), snap(one[k]));
    expectClose(snap(two.policy.net), snap(one.policy.net));
  });

  test('no tensor leak over 10 updates (Adam, after a warm-up update)', () => {
    const rng = new Rng(5);
    const agent = cql.createCqlAgent(rng.fork('agent'), 2, 2, [8]);
    const o = { critic: tf.train.adam(1e-3), policy: tf.train.adam(1e-3) };
    const b: CqlBatch = {
      observations: tf.tensor2d(rng.normals(10), [5, 2]),
      actions: tf.tensor2d(rng.normals(10, 0.3), [5, 2]),
      rewards: t1([1, 0, 0, 0, 1]),
      nextObservations: tf.tensor2d(rng.normals(10), [5, 2]),
      terminals: t1([1, 0, 0, 0, 0]),
      randomActions: tf.tensor3d(rng.normals(30, 0.5), [3, 5, 2]),
      policyNoise: tf.tensor3d(rng.normals(30), [3, 5, 2]),
      actorNoise: tf.tensor2d(rng.normals(10), [5, 2]),
    };
    cql.cqlUpdate(agent, o, b, cfg);
    cql.cqlUpdate(agent, o, b, { ...cfg, warmup: true });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      const out = cql.cqlUpdate(agent, o, b, { ...cfg, warmup: i % 2 === 0 });
      expect(Number.isFinite(out.criticLoss) && Number.isFinite(out.policyLoss)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
