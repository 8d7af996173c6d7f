// docs/contract.md §6: return-conditioned BC on [s, RTG * scale], RTG_{t+1} = RTG_t - r_t, masked means.
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { conditionedInput, maskedMean, nextReturnToGo, rcbcLoss } from '../../solutions/rcbc';
import { HALF_LOG_2PI as H, expectClose, expectFar, mean, read, setParams, t1, t2 } from './hand';

beforeAll(async () => {
  await initBackend();
});

test('conditionedInput: [s, RTG * scale], RTG last and scaled', () => {
  const x = conditionedInput(t2([[5, 1], [7, 2]]), t1([2, -1]), 0.5);
  expect(x.shape).toEqual([2, 3]);
  const right = [5, 1, 1, 7, 2, -0.5];
  expectClose(read(x), right);
  expectFar([5, 1, 2, 7, 2, -1], right); // RTG not scaled
  expectFar([1, 5, 1, -0.5, 7, 2], right); // RTG first
});

describe('rcbcLoss', () => {
  // Policy on [s, RTG * scale] with W = [0.1, 1], b = 0, log sigma = 0:
  // pre-activation = 0.1 s + 0.5 RTG = [0.5 + 1, 0.7 - 0.5] = [1.5, 0.2]; log pi = -0.5 (a - tanh(pre))^2 - H
  const make = () => {
    const policy = GaussianPolicy.create(new Rng(1), 2, [], 1);
    setParams(policy.net, [[0.1, 1], [0]]);
    return policy;
  };
  const loss = (pre: number[], a: number[]) => -mean(pre.map((p, i) => -0.5 * (a[i] - Math.tanh(p)) ** 2 - H));

  test('wrong sign and wrong conditioning: -mean log pi(a | s, RTG * scale)', () => {
    const l = rcbcLoss(make(), t2([[5], [7]]), t1([2, -1]), t2([[0], [0.5]]), 0.5);
    expect(l.shape).toEqual([]);
    const right = loss([1.5, 0.2], [0, 0.5]);
    expect(right).toBeGreaterThan(0);
    expectClose(read(l), [right]);
    expectFar([-right], [right]); // sign
    expectFar([loss([2.5, -0.3], [0, 0.5])], [right]); // RTG not scaled
    expectFar([loss([5.1, 6.95], [0, 0.5])], [right]); // [RTG, s] order
  });

  test('batch mean, not sum: duplicating the batch leaves the loss unchanged', () => {
    const l = rcbcLoss(make(), t2([[5], [7], [5], [7]]), t1([2, -1, 2, -1]), t2([[0], [0.5], [0], [0.5]]), 0.5);
    const right = loss([1.5, 0.2], [0, 0.5]);
    expectClose(read(l), [right]);
    expectFar([2 * right], [right]);
  });
});

test('nextReturnToGo: RTG_{t+1} = RTG_t - r_t, not plus', () => {
  const next = nextReturnToGo(t1([10, 5]), t1([1, 2]));
  expect(next.shape).toEqual([2]);
  expectClose(read(next), [9, 3]);
  expectFar([11, 7], [9, 3]);
});

test('maskedMean: sum(loss * mask) / sum(mask), not the mean over padded steps', () => {
  const m = maskedMean(t1([1, 2, 3, 4]), t1([1, 1, 0, 0]));
  expect(m.shape).toEqual([]);
  expectClose(read(m), [1.5]);
  expectFar([0.75], [1.5]); // mean(loss * mask)
  expectFar([2.5], [1.5]); // mean(loss)
  expectClose(read(maskedMean(t1([1, 2, 3, 4, 1, 2, 3, 4]), t1([1, 1, 0, 0, 1, 1, 0, 0]))), [1.5]); // duplicated batch
});
