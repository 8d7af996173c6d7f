// The maze layouts: an arena, its walls, a start region, a goal region and an expert route.
//
// Coordinates: x to the right, y up, the arena's lower-left corner at (0, 0). Observations are
// raw positions, so arenas stay inside the unit square and need no input scaling.

import { Rect, Vec2, center, contains, rect, strictlyInside } from './geometry';

export interface MazeLayout {
  readonly name: string;
  readonly description: string;
  /** The arena; its border blocks like a wall. */
  readonly bounds: Rect;
  /** Solid axis-aligned walls inside the arena. */
  readonly walls: readonly Rect[];
  /** Episodes start uniformly inside this rectangle. */
  readonly start: Rect;
  /** Entering this rectangle ends the episode with reward 1 (terminal). */
  readonly goal: Rect;
  /** Displacement per step at |action| = 1 on an axis. */
  readonly stepSize: number;
  /** Time limit of an evaluation episode. */
  readonly maxSteps: number;
  /** Waypoints an expert follows from the start region; the last lies in the goal. */
  readonly route: readonly Vec2[];
}

/**
 * A straight corridor, 1 x 0.25: start at the left end, goal at the right end. About 15 steps
 * for an expert; for fast tests and the first exercises.
 */
const corridor: MazeLayout = {
  name: 'corridor',
  description: 'Straight corridor: start at the left end, goal region at the right end (~15 expert steps).',
  bounds: rect(0, 0, 1, 0.25),
  walls: [],
  start: rect(0.05, 0.075, 0.15, 0.175),
  goal: rect(0.85, 0, 1, 0.25),
  stepSize: 0.05,
  maxSteps: 40,
  route: [[0.95, 0.125]],
};

/**
 * A U-maze in the unit square. A central wall [0.4, 0.6] x [0, 0.7] splits it into a left arm
 * (x < 0.4), a right arm (x > 0.6) and a top corridor (y > 0.7) joining them. The start region
 * is the top-left bend, above the left arm; the goal region closes the bottom of the right arm;
 * the bottom of the left arm is a dead end. Expert path: right along the top corridor, then down
 * the right arm (~15 steps of 0.1).
 *
 *   y=1 +------------------------+
 *       |  S                  H  |    S start region, H the top-right bend
 *   0.7 |        +------+        |
 *       |        |      |        |
 *       |        | wall |        |
 *  0.15 |        |      |  GGGG  |    G goal region [0.6, 1] x [0, 0.15]
 *     0 +--------+------+--------+
 *       0  dead  0.4    0.6      1
 *          end
 *
 * The large step (0.1) keeps episodes short, so values gamma^k stay well above zero at the
 * start and one step changes them noticeably (see generators.ts for why that matters).
 */
const umaze: MazeLayout = {
  name: 'umaze',
  description: 'U-maze: start at the top-left bend, goal region closing the right arm, dead end at the bottom of the left arm (~15 expert steps).',
  bounds: rect(0, 0, 1, 1),
  walls: [rect(0.4, 0, 0.6, 0.7)],
  start: rect(0.05, 0.8, 0.15, 0.9),
  goal: rect(0.6, 0, 1, 0.15),
  stepSize: 0.1,
  maxSteps: 50,
  route: [
    [0.8, 0.85],
    [0.8, 0.05],
  ],
};

/** Every layout, keyed by name. */
export const LAYOUTS: Readonly<Record<string, MazeLayout>> = { corridor, umaze };

/** The layout called `name`, or an error that lists the known names. */
export function getLayout(name: string): MazeLayout {
  const layout = Object.prototype.hasOwnProperty.call(LAYOUTS, name) ? LAYOUTS[name] : undefined;
  if (!layout) throw new RangeError(`unknown maze layout '${name}' (known: ${Object.keys(LAYOUTS).join(', ')})`);
  return layout;
}

/** Accepts a layout or its name. */
export function resolveLayout(layout: MazeLayout | string): MazeLayout {
  return typeof layout === 'string' ? getLayout(layout) : layout;
}

/** True when p is inside the arena and not inside any wall. */
export function isFree(layout: MazeLayout, p: ArrayLike<number>): boolean {
  return contains(layout.bounds, p) && !layout.walls.some((w) => strictlyInside(w, p));
}

/** Sanity checks on a layout (regions inside free space, route ends in the goal). */
export function validateLayout(layout: MazeLayout): void {
  const fail = (what: string) => {
    throw new RangeError(`maze layout '${layout.name}': ${what}`);
  };
  if (!(layout.stepSize > 0)) fail(`stepSize must be > 0, got ${layout.stepSize}`);
  if (!(Number.isInteger(layout.maxSteps) && layout.maxSteps > 0)) fail(`maxSteps must be a positive integer`);
  if (!isFree(layout, center(layout.start))) fail('the start region is not in free space');
  if (!isFree(layout, center(layout.goal))) fail('the goal region is not in free space');
  if (layout.route.length === 0 || !contains(layout.goal, layout.route[layout.route.length - 1])) fail('the route must end in the goal');
}
