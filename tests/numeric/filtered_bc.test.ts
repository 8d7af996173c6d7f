// docs/contract.md §2: keep the first n = max(1, ceil(p * M / 100)) episodes of a stable descending sort
// by undiscounted return.
import { initBackend } from '../../provided/runtime/backend';
import { keptEpisodeCount, rowMaskFromEpisodes, topEpisodeMask } from '../../solutions/filtered_bc';
import { episodeReturns } from '../../solutions/returns';
import { expectClose, expectFar, read, t1 } from './hand';

beforeAll(async () => {
  await initBackend();
});

describe('keptEpisodeCount', () => {
  test('contract check: ten episodes at p = 10 keep exactly one', () => {
    expect(keptEpisodeCount(10, 10)).toBe(1);
  });

  test('ceil, not floor or round: 7 episodes at p = 20 keep ceil(1.4) = 2', () => {
    expect(keptEpisodeCount(7, 20)).toBe(2);
    expect(Math.floor(1.4)).not.toBe(2);
    expect(Math.round(1.4)).not.toBe(2);
  });

  test('at least one: 3 episodes at p = 10 keep max(1, ceil(0.3)) = 1; p = 100 keeps all', () => {
    expect(keptEpisodeCount(3, 10)).toBe(1);
    expect(keptEpisodeCount(5, 100)).toBe(5);
  });
});

describe('topEpisodeMask', () => {
  test('ten episodes at p = 10 keep exactly one, the best', () => {
    const mask = read(topEpisodeMask(t1([3, 1, 4, 1, 5, 9, 2, 6, 5, 3]), 10));
    expectClose(mask, [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expectFar([0, 1, 0, 1, 0, 0, 0, 0, 0, 0], mask); // ascending sort keeps a worst episode
  });

  test('ties keep dataset order (stable sort)', () => {
    // [5, 9, 5, 9, 1] at p = 60: n = 3 -> the two 9s, then the FIRST 5 (episode 0)
    const mask = read(topEpisodeMask(t1([5, 9, 5, 9, 1]), 60));
    expectClose(mask, [1, 1, 0, 1, 0]);
    expectFar([0, 1, 1, 1, 0], mask); // ties in reverse order
  });

  test('floor vs ceil with ties: 7 episodes at p = 20 keep the first two of three 8s', () => {
    const mask = read(topEpisodeMask(t1([2, 8, 8, 5, 8, 1, 0]), 20));
    expectClose(mask, [0, 1, 1, 0, 0, 0, 0]);
    expectFar([0, 1, 0, 0, 0, 0, 0], mask); // floor(1.4) = 1
  });
});

describe('rowMaskFromEpisodes and the whole filter', () => {
  // Episodes: rows 0-1 (terminal at 1), rows 2-3 (timeout at 3), rows 4-6 (trailing, no flag).
  const term = () => t1([0, 1, 0, 0, 0, 0, 0]);
  const tout = () => t1([0, 0, 0, 1, 0, 0, 0]);

  test('an episode ends at a terminal or a timeout; the trailing run is an episode', () => {
    expectClose(read(rowMaskFromEpisodes(t1([1, 0, 1]), term(), tout())), [1, 1, 0, 0, 1, 1, 1]);
    expectClose(read(rowMaskFromEpisodes(t1([0, 1, 0]), term(), tout())), [0, 0, 1, 1, 0, 0, 0]);
    expectFar([1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 0, 1, 1, 1]); // timeout not an episode end
  });

  test('scores are undiscounted episode returns, not discounted ones', () => {
    // A = [0, 0, 10] (terminal), B = [3] (timeout), C = [1, 1] (trailing).
    // Undiscounted: [10, 3, 2] -> p = 30 keeps ceil(0.9) = 1 episode: A.
    // Discounted from the first row with gamma = 0.5: [2.5, 3, 1.5] would keep B instead.
    const r = t1([0, 0, 10, 3, 1, 1]);
    const d = t1([0, 0, 1, 0, 0, 0]);
    const t = t1([0, 0, 0, 1, 0, 0]);
    const g = episodeReturns(r, d, t);
    expectClose(read(g), [10, 3, 2]);
    const rows = read(rowMaskFromEpisodes(topEpisodeMask(g, 30), d, t));
    expectClose(rows, [1, 1, 1, 0, 0, 0]);
    expectFar([0, 0, 0, 1, 0, 0], rows); // the discounted score's choice
  });
});
