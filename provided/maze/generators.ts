// The offline datasets of the homework, generated deterministically from a seed by scripted
// noisy controllers (controllers.ts). All randomness comes from `Rng` forks, one per episode
// and purpose, so a dataset depends only on its name and the seed.
//
// Design of `umaze-stitch` (PLATFORM.md, "Is the stitching result reachable in 30 s?", second
// prototype; the layout is drawn in layouts.ts):
// - Three kinds of episodes, none of which goes from the start region to the goal:
//     100  start -> hand-over point H = (0.2, 0.8), the top-left bend of the U, then hovering
//          at H until a 25-step time limit (reward 0, ends with timeout);
//     100  a point near H -> along the top corridor -> down the right arm into the goal
//          (reward 1 on the last row, terminal);
//     200  start -> dead end D = (0.2, 0.07) at the bottom of the left arm, hovering until a
//          30-step limit (reward 0, timeout). About 11.6k transitions.
// - Stitching: the first and second kinds share the states around H, so a value-based method
//   (IQL) propagates the goal's value from the second kind back through H into the left arm and
//   prefers "up" over "down" at the start (advantage of up ~ +0.03 vs ~ -0.14 for down at
//   gamma 0.95, expectile 0.9; exp(A / 0.03) turns this into a ~250:1 weight ratio).
// - Plain BC from the start copies the majority: two thirds of the start-region actions go
//   down to D (PLATFORM: BC reached 0.3 at 150:100 distractors, at most 0.15 at 200:100).
// - Filtered BC (top 10% by return) keeps only rewarded episodes, which start at H, a corner:
//   their actions point right or down, never up the left arm, so from the start the policy
//   runs into the central wall (hand-over mid-corridor let filtered BC succeed by accident).
// - Return-conditioned BC sees return-to-go 0 on every start-region row, so conditioning on 1
//   is outside the data where it matters.
// - The goal is a rectangle closing the right arm (a round goal disk was skirted), and hovering
//   is short so that the hover rows do not swamp the hand-over states.
// `umaze-expert` follows the layout's route with mild noise (every method should succeed);
// `umaze-mixed` mixes such episodes with very noisy ones and ones that get lost and hover at
// the dead end or the corner; `umaze-random` takes uniform random actions. `corridor-expert`
// is a few hundred rows for fast tests.

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

/** Hand-over point of `umaze-stitch`: the top-left bend of the U. */
export const UMAZE_HANDOVER: Vec2 = [0.85, 0.85];
/** Bottom of the left arm of `umaze`, below the start region. */
export const UMAZE_DEAD_END: Vec2 = [0.12, 0.9];

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

function follow(layout: MazeLayout, route: readonly Vec2[], noise: number): (rng: Rng) => Controller {
  return (rng) => waypointController(route, layout.stepSize, rng, { noise });
}

function stitch(seed: number): Dataset {
  const L = getLayout('umaze');
  const toHandover: Vec2[] = [[0.2, 0.72], UMAZE_HANDOVER];
  const toGoal: Vec2[] = [[0.75, 0.08]];
  return collect(L, seed, 'umaze-stitch', [
    { count: 100, maxSteps: 35, controller: follow(L, toHandover, 0.3) },
    { count: 100, maxSteps: L.maxSteps, start: near(UMAZE_HANDOVER, 0.04), controller: follow(L, toGoal, 0.3) },
    { count: 200, maxSteps: 30, controller: follow(L, [UMAZE_DEAD_END], 0.3) },
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
    { count: 45, maxSteps: L.maxSteps, controller: follow(L, L.route, 1.0) },
    { count: 25, maxSteps: L.maxSteps, controller: follow(L, [UMAZE_DEAD_END], 0.3) },
    { count: 20, maxSteps: L.maxSteps, controller: follow(L, [UMAZE_HANDOVER], 0.3) },
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
  'umaze-expert': { layout: 'umaze', description: '200 noisy expert episodes from the start to the goal (action noise 0.2).', generate: expert },
  'umaze-mixed': {
    layout: 'umaze',
    description: '150 episodes: 60 noisy experts, 45 very noisy ones, 45 that get lost and hover (dead end or corner) until the time limit.',
    generate: mixed,
  },
  'umaze-random': { layout: 'umaze', description: '100 episodes of uniform random actions from the start (100-step time limit).', generate: random },
  'umaze-stitch': {
    layout: 'umaze',
    description: 'Stitching: start->corner (hover, timeout), corner->goal (reward), start->dead end distractors (200:100); no episode goes from start to goal.',
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
