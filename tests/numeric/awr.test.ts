// docs/contract.md §4: AWR's Monte Carlo value loss, weights w = min(exp(A / alpha), w_max), weighted BC loss.
import { initBackend } from '../../provided/runtime/backend';
import { advantageWeights, monteCarloValueLoss, weightedBcLoss } from '../../solutions/awr';
import { expectClose, expectFar, mean, read, t1 } from './hand';

beforeAll(async () => {
  await initBackend();
});

describe('monteCarloValueLoss', () => {
  // R - V = [2, -1, 0, -0.5] -> squares [4, 1, 0, 0.25] -> mean 1.3125
  const R = [3, 0, 1, 2];
  const V = [1, 1, 1, 2.5];

  test('squared, not absolute: mean (R - V)^2 = 1.3125', () => {
    const loss = monteCarloValueLoss(t1(R), t1(V));
    expect(loss.shape).toEqual([]);
    expectClose(read(loss), [1.3125]);
    expectFar([0.875], [1.3125]); // mean |R - V| = 3.5 / 4
  });

  test('batch mean, not sum: duplicating the batch leaves the loss unchanged', () => {
    expectClose(read(monteCarloValueLoss(t1([...R, ...R]), t1([...V, ...V]))), [1.3125]);
    expectFar([5.25], [1.3125]); // the batch sum
  });
});

describe('advantageWeights', () => {
  test('exp(A / alpha), not exp(alpha * A)', () => {
    // A = [1, -1, 0.5], alpha = 0.5 -> exp([2, -2, 1]); w_max = 100 does not bind
    const w = advantageWeights(t1([1, -1, 0.5]), 0.5, 100);
    expect(w.shape).toEqual([3]);
    const right = [7.389056099, 0.135335283, 2.718281828];
    expectClose(read(w), right);
    expectFar([Math.exp(0.5), Math.exp(-0.5), Math.exp(0.25)], right);
  });

  test('weights are clipped at w_max (an argument, not a default); advantages are not clipped', () => {
    // A / alpha = [6, 1, -2]: exp(6) = 403.43 > 20 -> 20
    const right = [20, Math.E, Math.exp(-2)];
    expectClose(read(advantageWeights(t1([3, 0.5, -1]), 0.5, 20)), right);
    expectFar([Math.exp(6), Math.E, Math.exp(-2)], right); // unclipped weights
    expectFar([3, 0.5, -1].map((a) => Math.exp(Math.min(a, 20) / 0.5)), right); // the advantage clipped at w_max instead
    // w_max is honoured whatever its value
    expectClose(read(advantageWeights(t1([3, 0.5, -1]), 0.5, 2)), [2, 2, Math.exp(-2)]);
    expectClose(read(advantageWeights(t1([3, 0.5, -1]), 0.5, 1000)), [Math.exp(6), Math.E, Math.exp(-2)]);
  });

  test('no normalisation of advantages or weights', () => {
    const A = [1, -1, 0.5];
    const right = A.map((a) => Math.exp(a / 0.5));
    expectClose(read(advantageWeights(t1(A), 0.5, 100)), right);
    const m = mean(A);
    const sd = Math.sqrt(mean(A.map((a) => (a - m) ** 2)));
    expectFar(A.map((a) => Math.exp((a - m) / sd / 0.5)), right); // standardised advantages
    expectFar(A.map((a) => Math.exp((a - m) / 0.5)), right); // centred advantages
    const sum = right.reduce((s, x) => s + x, 0);
    expectFar(right.map((w) => w / sum), right); // weights summing to 1 (softmax)
    expectFar(right.map((w) => (w / sum) * 3), right); // weights with mean 1
  });
});

describe('weightedBcLoss', () => {
  // w = [2, 0.5, 1], log pi = [-1, -4, -0.5] -> -mean([-2, -2, -0.5]) = 1.5
  const w = [2, 0.5, 1];
  const lp = [-1, -4, -0.5];

  test('wrong sign: L = -mean(w * log pi) = 1.5', () => {
    const loss = weightedBcLoss(t1(w), t1(lp));
    expect(loss.shape).toEqual([]);
    expectClose(read(loss), [1.5]);
    expectFar([-1.5], [1.5]);
    expectFar([4.5 / 3.5], [1.5]); // normalised by the weight sum
  });

  test('batch mean, not sum: duplicating the batch leaves the loss unchanged', () => {
    expectClose(read(weightedBcLoss(t1([...w, ...w]), t1([...lp, ...lp]))), [1.5]);
    expectFar([4.5], [1.5]);
  });
});
