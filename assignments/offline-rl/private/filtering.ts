/**
 * Inputs of the top-p% questions (keptEpisodeCount, topEpisodeMask; docs/contract.md §2): episode
 * counts and percents where the float order of the ceiling matters, and episode returns whose
 * top-p% cut runs through a group of equal returns.
 */
import type { Rng } from '../../../provided/runtime/rng';

/** The contract's count: n = max(1, ceil(p * M / 100)), left to right in float64 (p * M first). */
export const keptCount = (episodes: number, percent: number): number => Math.max(1, Math.ceil((percent * episodes) / 100));

/**
 * Other float orders of the same count. When p * M / 100 is a whole number each of them lands just
 * above it for some (p, M) and rounds up one too many: Math.ceil(14 / 100 * 50) is 8, not 7.
 */
export const WRONG_ORDERS: Record<string, (episodes: number, percent: number) => number> = {
  'percent-first': (m, p) => Math.ceil((p / 100) * m), // (p / 100) * M, also M * (p / 100)
  'episodes-first': (m, p) => Math.ceil((m / 100) * p), // (M / 100) * p
  hundredth: (m, p) => Math.ceil(p * 0.01 * m), // p * 0.01 * M
};

/** Episode counts M in [min, max] and the largest percent p to draw (below 100 when some episode must be dropped). */
export interface PairRange {
  minEpisodes: number;
  maxEpisodes: number;
  maxPercent: number;
}

/** Every (M, p) in `range`, p * M / 100 whole, where the float order `order` overshoots. */
export function overshootingPairs(order: string, range: PairRange): Array<{ episodes: number; percent: number }> {
  const wrong = WRONG_ORDERS[order];
  if (!wrong) throw new Error(`unknown float order '${order}' (${Object.keys(WRONG_ORDERS).join(', ')})`);
  const pairs: Array<{ episodes: number; percent: number }> = [];
  for (let episodes = range.minEpisodes; episodes <= range.maxEpisodes; episodes++) {
    for (let percent = 1; percent <= range.maxPercent; percent++) {
      if ((percent * episodes) % 100 === 0 && wrong(episodes, percent) !== keptCount(episodes, percent)) pairs.push({ episodes, percent });
    }
  }
  return pairs;
}

/** One (M, p) drawn from the pairs where `order` overshoots. */
export function overshootingPair(order: string, rng: Rng, range: PairRange): { episodes: number; percent: number } {
  const pairs = overshootingPairs(order, range);
  if (pairs.length === 0) throw new Error(`no (episodes, percent) in ${JSON.stringify(range)} makes the '${order}' order overshoot`);
  return pairs[rng.int(pairs.length)];
}

/** Episode returns, highest first: exact in float32, and their decimal strings sort in another order (so a string sort fails). */
const LADDER = [250.5, 100, 17.5, 10, 9, 2.25, 0, -0.75, -3, -12.5, -40];

/** `count` returns drawn from `levels`, two of them equal when count >= 2 (a tie away from the cut). */
function withTie(levels: number[], count: number, rng: Rng): number[] {
  const out = Array.from({ length: count }, () => levels[rng.int(levels.length)]);
  if (count >= 2) out[1] = out[0];
  return out;
}

/**
 * M episode returns whose top-n cut runs through a tie group T: 1-3 members of T are kept and 1-3
 * dropped, at least one episode lies above T (when n > 1), those above and below hold ties of their own, and the first two episodes of
 * the dataset belong to T (so a later, larger return must overtake them, and an unstable
 * selection moves them). A stable sort keeps T's first members in dataset order; reversing ties,
 * keeping or dropping the whole group, or a wrong count each give another mask.
 */
export function scoresAroundCut(episodes: number, n: number, rng: Rng): number[] {
  if (n >= episodes) return withTie(LADDER, episodes, rng);
  const kept = n === 1 ? 1 : 1 + rng.int(Math.min(n - 1, 3)); // and at least one episode above T when n > 1
  const dropped = 1 + rng.int(Math.min(episodes - n, 3));
  const t = 3 + rng.int(LADDER.length - 6); // at least three levels above T and three below
  const above = withTie(LADDER.slice(0, t), n - kept, rng);
  const below = withTie(LADDER.slice(t + 1), episodes - n - dropped, rng);
  const tie = new Array<number>(kept + dropped).fill(LADDER[t]);
  return [...tie.slice(0, 2), ...rng.shuffle([...tie.slice(2), ...above, ...below])];
}
