// The offline datasets of the homework, generated deterministically from a seed by scripted
// noisy controllers (controllers.ts). All randomness comes from `Rng` forks, one per episode
// and purpose, so a dataset depends only on its name and the seed.
//
// Design of `stitch` (layout drawn in layouts.ts; PLATFORM.md, "Is the stitching result
// reachable in 30 s?", second prototype). No episode goes from the start region to the goal:
//   100  start -> hand-over point H = (0.85, 0.85), the top-right bend, then hovering at H
//        until a 35-step limit (reward 0, ends with timeout);
//   100  a point near H -> down the right arm into the goal (reward 1 on the last row, terminal);
//   200  start -> down the left arm to the dead end D = (0.15, 0.07), hovering there until a
//        25-step limit (reward 0, timeout).          About 9.3k transitions, 400 episodes.
// Why each method should land where the assignment wants it. Checked at the default seed with
// the reference solutions and training.yaml as of this writing (2x32, batch 128, 2500 steps,
// 50 evaluation episodes): IQL 1.0 / 1.0 (seeds 0, 1), BC 0.04 / 0.00, filtered BC 0.00 /
// 0.00, RCBC 0.00 / 0.00, AWR 0.04; on `expert` all five 1.0 (a separate prototype saw
// BC between 0 and 0.15 over four seeds, and IQL 1.0 on every one). Re-check after any change:
// - IQL stitches: episodes of the first two kinds share the states around H, so the goal's
//   value flows back through H along the top corridor to the start. At the start the choice is
//   "right" (towards higher value) against "down the left arm" (towards the dead end): the two
//   directions differ in both coordinates, and the step of 0.1 makes one step change V by
//   several hundredths, so exp(A / 0.03) outweighs the 2:1 majority of distractor actions.
//   (Earlier versions with the decision running against the value's smooth trend, e.g. up the
//   left arm away from the goal, or with a 0.05 step, gave IQL only 0.5-0.9.)
// - BC copies the majority at the start: two thirds of the start rows head down the left arm.
// - Filtered BC (top 10% by return) keeps only H -> goal episodes, whose actions all point down
//   the right arm. From the start, above the left arm, "down" leads into the dead end; the wall
//   reaches up to 0.7 so that a down-and-right extrapolation enters the left arm instead of
//   landing on the wall's top and sliding over to the right arm (a lower wall let RCBC and
//   filtered BC succeed that way). Rewarded segments starting mid-corridor, or goal-directed
//   ones starting above the wall, let them succeed by accident.
// - Return-conditioned BC sees return-to-go 0 on every row near the start, so conditioning on
//   a return of 1 is outside the data there and it behaves like filtered BC.
// - The goal is a rectangle closing the right arm (a round goal disk was skirted). Hover rows
//   outnumber leaving rows at H; IQL still leaves, because a step down the arm raises the value
//   by more than hovering's (1 - gamma) V (PLATFORM: with gamma 0.99 the policy parked at H).
// `expert` follows the layout's route with mild noise (every method should succeed);
// `mixed` mixes such episodes with very noisy ones and ones that get lost and hover until
// the time limit; `random` takes uniform random actions. `corridor-expert` is a few
// hundred rows for fast tests.

import { Dataset, DatasetBuilder, episodeRanges } from '../data/dataset';
import { Rng } from '../runtime/rng';
import { Controller, randomController, recordEpisode, waypointController } from './controllers';
import { MazeEnv, OBS_DIM, ACT_DIM, ResetOptions } from './env';
import { Vec2, contains } from './geometry';
import { MazeLayout, getLayout } from './layouts';

/** The seed of the published datasets. */
export const DEFAULT_DATASET_SEED = 20240611;

export interface DatasetGenerator {
  /** Name of the layout in LAYOUTS the dataset was collected in. */
  layout: string;
  description: string;
  generate(seed: number): Dataset;
}

/** Hand-over point of `stitch`: the top-right bend of the U. */
export const UMAZE_HANDOVER: Vec2 = [0.85, 0.85];
/** The dead end of `umaze`: the bottom of the left arm, below the start region. */
export const UMAZE_DEAD_END: Vec2 = [0.15, 0.07];
/** Start region -> down the left arm -> dead end. */
const TO_DEAD_END: readonly Vec2[] = [[0.1, 0.5], UMAZE_DEAD_END];
/** From near H down the right arm into the goal region. */
const H_TO_GOAL: readonly Vec2[] = [[0.75, 0.08]];

/** One kind of episode: how many, where it starts, how it acts, its time limit. */
interface EpisodeKind {
  count: number;
  maxSteps: number;
  /** Start position; undefined = a uniform draw from the layout's start region. */
  start?: (rng: Rng) => Vec2;
  controller: (rng: Rng) => Controller;
}

/**
 * Records all episodes of the kinds in a seeded random order. Episode j (in that order) draws
 * its start from rng.fork('start:j'), its dynamics noise from 'env:j' and its controller's
 * noise from 'ctl:j'.
 */
function collect(layout: MazeLayout, seed: number, name: string, kinds: EpisodeKind[]): Dataset {
  const rng = new Rng(seed).fork(name);
  const order = rng.fork('order').shuffle(kinds.flatMap((k) => new Array<EpisodeKind>(k.count).fill(k)));
  const builder = new DatasetBuilder(OBS_DIM, ACT_DIM);
  order.forEach((kind, j) => {
    const env = new MazeEnv(layout, rng.fork(`env:${j}`));
    const reset: ResetOptions = { maxSteps: kind.maxSteps, position: kind.start?.(rng.fork(`start:${j}`)) };
    recordEpisode(env, kind.controller(rng.fork(`ctl:${j}`)), builder, reset);
  });
  return builder.build();
}

/** A point uniformly within +-half of `p` on each axis. */
function near(p: Vec2, half: number): (rng: Rng) => Vec2 {
  return (rng) => [p[0] + rng.range(-half, half), p[1] + rng.range(-half, half)];
}

/** A waypoint follower with the given action noise (a fresh one per episode). */
function follow(layout: MazeLayout, route: readonly Vec2[], noise: number): (rng: Rng) => Controller {
  return (rng) => waypointController(route, layout.stepSize, rng, { noise });
}

function stitch(seed: number): Dataset {
  const L = getLayout('umaze');
  return collect(L, seed, 'umaze-stitch', [
    { count: 100, maxSteps: 35, controller: follow(L, [UMAZE_HANDOVER], 0.3) },
    { count: 100, maxSteps: L.maxSteps, start: near(UMAZE_HANDOVER, 0.04), controller: follow(L, H_TO_GOAL, 0.3) },
    { count: 200, maxSteps: 25, controller: follow(L, TO_DEAD_END, 0.3) },
  ]);
}

function expert(seed: number): Dataset {
  const L = getLayout('umaze');
  return collect(L, seed, 'umaze-expert', [{ count: 200, maxSteps: L.maxSteps, controller: follow(L, L.route, 0.2) }]);
}

function mixed(seed: number): Dataset {
  const L = getLayout('umaze');
  return collect(L, seed, 'umaze-mixed', [
    { count: 60, maxSteps: L.maxSteps, controller: follow(L, L.route, 0.3) },
    { count: 45, maxSteps: L.maxSteps, controller: follow(L, L.route, 1.5) },
    { count: 25, maxSteps: L.maxSteps, controller: follow(L, TO_DEAD_END, 0.3) },
    { count: 20, maxSteps: L.maxSteps, controller: follow(L, [[0.5, 0.85]], 0.3) },
  ]);
}

function random(seed: number): Dataset {
  const L = getLayout('umaze');
  return collect(L, seed, 'umaze-random', [{ count: 100, maxSteps: L.maxSteps, controller: randomController }]);
}

function corridorExpert(seed: number): Dataset {
  const L = getLayout('corridor');
  return collect(L, seed, 'corridor-expert', [{ count: 30, maxSteps: L.maxSteps, controller: follow(L, L.route, 0.2) }]);
}

/** Every dataset, keyed by name. */
export const GENERATORS: Readonly<Record<string, DatasetGenerator>> = {
  'corridor-expert': { layout: 'corridor', description: '30 noisy expert episodes in the corridor (a few hundred rows, for fast tests).', generate: corridorExpert },
  expert: { layout: 'umaze', description: '200 noisy expert episodes from the start to the goal (action noise 0.2).', generate: expert },
  mixed: {
    layout: 'umaze',
    description: '150 episodes: 60 noisy experts (noise 0.3), 45 very noisy ones (noise 1.5), 45 that get lost and hover (dead end or above the wall) until the time limit.',
    generate: mixed,
  },
  random: { layout: 'umaze', description: '100 episodes of uniform random actions from the start (50-step time limit).', generate: random },
  stitch: {
    layout: 'umaze',
    description:
      'Stitching: 100 start -> top-right bend (hover, timeout), 100 bend -> goal (reward, terminal), 200 start -> dead end distractors (hover, timeout); no episode goes from start to goal.',
    generate: stitch,
  },
};

export interface DatasetStats {
  transitions: number;
  episodes: number;
  /** Episodes whose last row is a terminal (reached the goal). */
  successes: number;
  /** Episodes that start in the layout's start region and reach the goal. */
  startToGoal: number;
  meanLength: number;
}

/** Episode counts of a dataset collected in `layout` (for reports and tests). */
export function datasetStats(ds: Dataset, layout: MazeLayout | string): DatasetStats {
  const L = typeof layout === 'string' ? getLayout(layout) : layout;
  const ranges = episodeRanges(ds.terminals, ds.timeouts);
  const obs = ds.observations.data;
  let successes = 0;
  let startToGoal = 0;
  for (const [s, e] of ranges) {
    const ok = ds.terminals[e - 1] !== 0;
    if (ok) successes++;
    if (ok && contains(L.start, obs.subarray(s * OBS_DIM, s * OBS_DIM + 2))) startToGoal++;
  }
  const n = ds.rewards.length;
  return { transitions: n, episodes: ranges.length, successes, startToGoal, meanLength: ranges.length ? n / ranges.length : 0 };
}
