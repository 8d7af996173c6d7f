// docs/contract.md §5: IQL's building blocks (the update itself is in updates.test.ts).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp } from '../../provided/nets/mlp';
import { DatasetBuilder } from '../../provided/data/dataset';
import { batchFromRows } from '../../provided/train/batch';
import { createIqlAgent, criticLoss, criticTarget, expectileLoss, iqlAdvantageWeights, iqlValueLoss, minTargetQ, softUpdate } from '../../solutions/iql';
import { expectClose, expectFar, read, setParams, t1 } from './hand';

beforeAll(async () => {
  await initBackend();
});

describe('expectile loss', () => {
  // u = [1, -2, 0.5, 0], tau = 0.7: weights [0.7, 0.3, 0.7, -] -> [0.7, 1.2, 0.175, 0], mean 2.075 / 4 = 0.51875
  const u = [1, -2, 0.5, 0];

  test('contract check: tau, not 1 - tau, weights positive residuals (mean 0.51875, swapped 0.79375)', () => {
    const l = expectileLoss(t1(u), 0.7);
    expect(l.shape).toEqual([4]);
    expectClose(read(l), [0.7, 1.2, 0.175, 0]);
    expectClose(read(tf.mean(l)), [0.51875]);
    expectFar([0.79375], [0.51875]); // 1 - tau: [0.3, 2.8, 0.075, 0] / 4
  });

  test('iqlValueLoss: u = q - v, not v - q', () => {
    // q' = [2, -1, 1.5, 3], V = [1, 1, 1, 3] -> u = q' - V = [1, -2, 0.5, 0]
    const loss = iqlValueLoss(t1([2, -1, 1.5, 3]), t1([1, 1, 1, 3]), 0.7);
    expect(loss.shape).toEqual([]);
    expectClose(read(loss), [0.51875]);
    expectFar([0.79375], [0.51875]); // u = v - q flips which side gets tau
  });

  test('squared, not absolute or pinball, and not unweighted', () => {
    expectClose(read(iqlValueLoss(t1([2, -1, 1.5, 3]), t1([1, 1, 1, 3]), 0.7)), [0.51875]);
    expectFar([(0.7 * 1 + 0.3 * 2 + 0.7 * 0.5) / 4], [0.51875]); // |tau - 1(u<0)| |u| (pinball): 0.4125
    expectFar([(1 + 4 + 0.25) / 4], [0.51875]); // plain squared error: 1.3125
  });

  test('batch mean, not sum: duplicating the batch leaves the value loss unchanged', () => {
    expectClose(read(iqlValueLoss(t1([2, -1, 1.5, 3, 2, -1, 1.5, 3]), t1([1, 1, 1, 3, 1, 1, 1, 3]), 0.7)), [0.51875]);
    expectFar([2.075], [0.51875]);
  });
});

describe('target value and critic target', () => {
  test('minTargetQ: min, not max, mean or Q1 alone', () => {
    const q = minTargetQ(t1([1, 5, 3]), t1([4, 2, 3.5]));
    expect(q.shape).toEqual([3]);
    expectClose(read(q), [1, 2, 3]);
    expectFar([4, 5, 3.5], [1, 2, 3]); // max
    expectFar([2.5, 3.5, 3.25], [1, 2, 3]); // mean
    expectFar([1, 5, 3], [1, 2, 3]); // Q1 alone
    expectFar([4, 2, 3.5], [1, 2, 3]); // Q2 alone
  });

  test('criticTarget: y = r + gamma (1 - terminal) V(s\'), mask neither missing nor inverted', () => {
    // r = [1, 2, 3], terminal = [0, 1, 0], V(s') = [10, 20, 30], gamma = 0.9 -> [1 + 9, 2, 3 + 27]
    const y = criticTarget(t1([1, 2, 3]), t1([0, 1, 0]), t1([10, 20, 30]), 0.9);
    expect(y.shape).toEqual([3]);
    expectClose(read(y), [10, 2, 30]);
    expectFar([10, 20, 30], [10, 2, 30]); // no mask
    expectFar([1, 20, 3], [10, 2, 30]); // inverted mask
    expectFar([11, 2, 33], [10, 2, 30]); // no discount
  });

  test('a timeout is not a terminal: a batch row cut by a timeout still bootstraps', () => {
    const b = new DatasetBuilder(1, 1);
    b.add([0], [0], 1, [1], false, true); // timeout
    b.add([1], [0], 2, [2], true, false); // terminal
    b.add([2], [0], 3, [3], false, false);
    const batch = batchFromRows(b.build(), Int32Array.from([0, 1, 2]));
    expectClose(read(batch.terminals), [0, 1, 0]);
    const y = read(criticTarget(batch.rewards, batch.terminals, t1([10, 20, 30]), 0.9));
    expectClose(y, [10, 2, 30]);
    expectFar([1, 2, 30], y); // the timeout treated as a terminal
  });

  test('criticLoss: the two squared errors summed, then the batch mean', () => {
    // Q1 - y = [0, 1, -1], Q2 - y = [-1, 2, 0] -> (0 + 1) + (1 + 4) + (1 + 0) = 7 -> 7 / 3
    const q1 = [1, 2, 0];
    const q2 = [0, 3, 1];
    const y = [1, 1, 1];
    const loss = criticLoss(t1(q1), t1(q2), t1(y));
    expect(loss.shape).toEqual([]);
    expectClose(read(loss), [7 / 3]);
    expectFar([7 / 6], [7 / 3]); // mean over both critics' 2B errors
    expectFar([5 / 3], [7 / 3]); // absolute errors
    expectFar([2 / 3], [7 / 3]); // Q1 alone
    expectFar([7], [7 / 3]); // batch sum
    expectClose(read(criticLoss(t1([...q1, ...q1]), t1([...q2, ...q2]), t1([...y, ...y]))), [7 / 3]); // duplicated batch
  });

  test('iqlAdvantageWeights: A = q\' - V, w = min(exp(A / alpha), w_max)', () => {
    // A = [2, 1, 0] - [1, 1.5, -2] = [1, -0.5, 2]; A / 0.5 = [2, -1, 4] -> [7.389, 0.368, 54.6 -> 10]
    const w = iqlAdvantageWeights(t1([2, 1, 0]), t1([1, 1.5, -2]), 0.5, 10);
    expect(w.shape).toEqual([3]);
    const right = [Math.exp(2), Math.exp(-1), 10];
    expectClose(read(w), right);
    expectFar([Math.exp(-2), Math.exp(1), Math.exp(-4)], right); // A = V - q'
    expectFar([Math.exp(2), Math.exp(-1), Math.exp(4)], right); // unclipped
    expectFar([Math.exp(0.5), Math.exp(-0.25), Math.exp(1)], right); // exp(alpha * A)
  });
});

describe('target networks', () => {
  test('softUpdate: theta\' <- rho theta + (1 - rho) theta\', not reversed (literal tiny nets)', () => {
    const target = Mlp.create(new Rng(1), [2, 1]);
    const online = Mlp.create(new Rng(2), [2, 1]);
    setParams(target, [[1, 2], [3]]);
    setParams(online, [[5, 6], [7]]);
    softUpdate(target, online, 0.25);
    // 0.25 * [5, 6, 7] + 0.75 * [1, 2, 3] = [2, 3, 4]
    const after = target.snapshot();
    expectClose(after[0], [2, 3]);
    expectClose(after[1], [4]);
    expectFar([4, 5], after[0]); // reversed: 0.75 * online + 0.25 * target
    const on = online.snapshot();
    expectClose(on[0], [5, 6]); // the online network is unchanged
    expectClose(on[1], [7]);
  });

  test('softUpdate: every parameter of a two-layer net moves by the formula (values read before via snapshot)', () => {
    const target = Mlp.create(new Rng(3), [3, 4, 2]);
    const online = Mlp.create(new Rng(4), [3, 4, 2]);
    setParams(target, target.snapshot().map((p) => Array.from(p, (x) => x + 0.5))); // non-zero biases too
    const tb = target.snapshot().map((p) => Float32Array.from(p));
    const ob = online.snapshot().map((p) => Float32Array.from(p));
    softUpdate(target, online, 0.1);
    target.snapshot().forEach((p, i) => {
      expectClose(p, Array.from(tb[i], (x, j) => 0.1 * ob[i][j] + 0.9 * x));
      expectFar(Array.from(tb[i], (x, j) => 0.9 * ob[i][j] + 0.1 * x), Array.from(tb[i], (x, j) => 0.1 * ob[i][j] + 0.9 * x), 1e-3);
    });
    online.snapshot().forEach((p, i) => expectClose(p, ob[i]));
  });

  test('createIqlAgent: target critics are exact copies of Q1, Q2 in their own variables', () => {
    const agent = createIqlAgent(new Rng(7), 3, 2, [4, 4]);
    const pairs = [
      [agent.q1, agent.q1Target],
      [agent.q2, agent.q2Target],
    ] as const;
    for (const [online, target] of pairs) {
      expect(target).not.toBe(online);
      expect(target.params.length).toBe(online.params.length);
      target.params.forEach((p, i) => {
        expect(p).not.toBe(online.params[i]);
        expect(p.shape).toEqual(online.params[i].shape);
        expect(Array.from(p.dataSync())).toEqual(Array.from(online.params[i].dataSync())); // exactly equal
      });
    }
    // Q1 and Q2 are different networks, so a target copied from the wrong critic would be caught above.
    expectFar(Array.from(agent.q2.params[0].dataSync()), Array.from(agent.q1.params[0].dataSync()), 1e-3);
    // Changing Q1 leaves Q1' alone (separate variables, not a shared reference).
    const before = Array.from(agent.q1Target.params[0].dataSync());
    agent.q1.params[0].assign(tf.add(agent.q1.params[0], 1));
    expect(Array.from(agent.q1Target.params[0].dataSync())).toEqual(before);
  });
});
