// docs/contract.md §7: SARSA and AWAC targets and the AWAC advantage.
import { initBackend } from '../../provided/runtime/backend';
import { awacAdvantage, awacTarget, sarsaTarget } from '../../solutions/extra';
import { expectClose, expectFar, read, t1 } from './hand';

beforeAll(async () => {
  await initBackend();
});

const r = () => t1([1, 2, 3]);
const d = () => t1([0, 1, 0]);

test('sarsaTarget: y = r + gamma (1 - terminal) Q(s\', a\'), mask neither missing nor inverted', () => {
  // [1 + 0.9 * 10, 2, 3 + 0.9 * 30]
  const y = sarsaTarget(r(), d(), t1([10, 20, 30]), 0.9);
  expect(y.shape).toEqual([3]);
  expectClose(read(y), [10, 2, 30]);
  expectFar([10, 20, 30], [10, 2, 30]); // no mask
  expectFar([1, 20, 3], [10, 2, 30]); // inverted mask
});

test('awacTarget: min of the two target critics at s\', masked by the terminal', () => {
  // min([10, 20, 5], [4, 25, 30]) = [4, 20, 5] -> [1 + 3.6, 2, 3 + 4.5]
  const y = awacTarget(r(), d(), t1([10, 20, 5]), t1([4, 25, 30]), 0.9);
  expect(y.shape).toEqual([3]);
  expectClose(read(y), [4.6, 2, 7.5]);
  expectFar([10, 2, 30], [4.6, 2, 7.5]); // max
  expectFar([7.3, 2, 18.75], [4.6, 2, 7.5]); // mean
  expectFar([10, 2, 7.5], [4.6, 2, 7.5]); // Q1 alone
  expectFar([4.6, 20, 7.5], [4.6, 2, 7.5]); // no mask
});

test('awacAdvantage: min Q(s, a) - min Q(s, a_pi), not max, Q1 alone or reversed', () => {
  // min([1, 5, 2], [3, 4, 2.5]) - min([0, 1, 6], [2, 0.5, 1]) = [1, 4, 2] - [0, 0.5, 1] = [1, 3.5, 1]
  const A = awacAdvantage(t1([1, 5, 2]), t1([3, 4, 2.5]), t1([0, 1, 6]), t1([2, 0.5, 1]));
  expect(A.shape).toEqual([3]);
  expectClose(read(A), [1, 3.5, 1]);
  expectFar([1, 4, -3.5], [1, 3.5, 1]); // max
  expectFar([1, 4, -4], [1, 3.5, 1]); // Q1 alone
  expectFar([1, 3.75, -1.25], [1, 3.5, 1]); // mean
  expectFar([-1, -3.5, -1], [1, 3.5, 1]); // reversed sign
});
