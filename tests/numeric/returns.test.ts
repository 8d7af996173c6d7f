// docs/contract.md §0, §1: returns never cross an episode end, include r_t, never bootstrap.
import { initBackend } from '../../provided/runtime/backend';
import { discountedReturnToGo, episodeReturns, undiscountedReturnToGo } from '../../solutions/returns';
import { expectClose, expectFar, read, t1 } from './hand';

beforeAll(async () => {
  await initBackend();
});

const none4 = () => t1([0, 0, 0, 0]);

// Three episodes: rows 0-1 end at a terminal, rows 2-3 end at a timeout, rows 4-6 a trailing run with neither flag.
const r7 = () => t1([1, 2, 3, 4, 5, 6, 7]);
const term7 = () => t1([0, 1, 0, 0, 0, 0, 0]);
const tout7 = () => t1([0, 0, 0, 1, 0, 0, 0]);

describe('return-to-go', () => {
  test('contract check: r = [1, 0, 2, 1] gives RTG [4, 3, 3, 1] (includes r_t, not off by one)', () => {
    const rtg = undiscountedReturnToGo(t1([1, 0, 2, 1]), none4(), none4());
    expect(rtg.shape).toEqual([4]);
    expectClose(read(rtg), [4, 3, 3, 1]);
    expectFar([3, 3, 1, 0], [4, 3, 3, 1]); // off by one: sum of the rewards after t
  });

  test('contract check: gamma = 0.9 gives [3.349, 2.61, 2.9, 1]', () => {
    // R3 = 1; R2 = 2 + 0.9 * 1 = 2.9; R1 = 0 + 0.9 * 2.9 = 2.61; R0 = 1 + 0.9 * 2.61 = 3.349
    const r = discountedReturnToGo(t1([1, 0, 2, 1]), none4(), none4(), 0.9);
    expect(r.shape).toEqual([4]);
    expectClose(read(r), [3.349, 2.61, 2.9, 1]);
    expectFar([2.61, 2.9, 1, 0], [3.349, 2.61, 2.9, 1]); // off by one
    expectFar([4, 3, 3, 1], [3.349, 2.61, 2.9, 1]); // gamma ignored
  });

  test('undiscounted RTG does not leak across a terminal, a timeout, or into the trailing episode', () => {
    // episodes [1, 2] | [3, 4] | [5, 6, 7]  ->  [3, 2, 7, 4, 18, 13, 7]
    const rtg = undiscountedReturnToGo(r7(), term7(), tout7());
    expect(rtg.shape).toEqual([7]);
    expectClose(read(rtg), [3, 2, 7, 4, 18, 13, 7]);
    expectFar([28, 27, 25, 22, 18, 13, 7], [3, 2, 7, 4, 18, 13, 7]); // leaks across every end
    expectFar([3, 2, 25, 22, 18, 13, 7], [3, 2, 7, 4, 18, 13, 7]); // the timeout not treated as an episode end
    expectFar([2, 0, 4, 0, 13, 7, 0], [3, 2, 7, 4, 18, 13, 7]); // off by one
  });

  test('discounted RTG restarts at a terminal and at a timeout and never bootstraps (gamma = 0.5)', () => {
    // [1, 2]: R1 = 2, R0 = 1 + 0.5 * 2 = 2
    // [3, 4]: R3 = 4, R2 = 3 + 0.5 * 4 = 5
    // [5, 6, 7]: R6 = 7, R5 = 6 + 3.5 = 9.5, R4 = 5 + 4.75 = 9.75
    const r = discountedReturnToGo(r7(), term7(), tout7(), 0.5);
    expectClose(read(r), [2, 2, 5, 4, 9.75, 9.5, 7]);
    // timeout ignored: R3 = 4 + 0.5 * 9.75 = 8.875, R2 = 3 + 0.5 * 8.875 = 7.4375
    expectFar([2, 2, 7.4375, 8.875, 9.75, 9.5, 7], [2, 2, 5, 4, 9.75, 9.5, 7]);
  });
});

describe('episode returns', () => {
  test('one undiscounted sum per episode, the trailing run without flags counts as an episode', () => {
    const g = episodeReturns(r7(), term7(), tout7());
    expect(g.shape).toEqual([3]);
    expectClose(read(g), [3, 7, 18]);
  });

  test('a row with both flags ends one episode; a final terminal adds no empty episode', () => {
    // [1] ends at terminal+timeout, [2, 3] ends at the last row's timeout
    const g = episodeReturns(t1([1, 2, 3]), t1([1, 0, 0]), t1([1, 0, 1]));
    expect(g.shape).toEqual([2]);
    expectClose(read(g), [1, 5]);
  });
});
