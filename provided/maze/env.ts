// The point-mass maze environment.
//
//   observation  (x, y) position, float32
//   action       a in [-1, 1]^2 (clipped on entry)
//   dynamics     displacement = stepSize * (a + actionNoise * eps), eps ~ N(0, I) from the Rng;
//                walls stop the segment at their face and the rest slides along it
//   reward       1 on the step that enters the goal region, else 0
//   terminal     true on that same step (the goal ends the episode)
//   timeout      true when the time limit is reached without the goal (never both)
//
// The position is kept in float64 and handed out rounded to float32.

import { Rng } from '../runtime/rng';
import { Rect, Vec2, contains, frame, sweep } from './geometry';
import { MazeLayout, isFree, resolveLayout, validateLayout } from './layouts';

/** Observation and action sizes of every maze. */
export const OBS_DIM = 2;
export const ACT_DIM = 2;

/** Default standard deviation of the action noise, in action units (0.05 * stepSize in distance). */
export const DEFAULT_ACTION_NOISE = 0.05;

export interface EnvOptions {
  /** Std of the Gaussian noise added to the clipped action; 0 makes the dynamics deterministic. */
  actionNoise?: number;
  /** Time limit; default the layout's maxSteps. */
  maxSteps?: number;
}

export interface ResetOptions {
  /** Start here instead of a uniform draw from the start region (must be free space). */
  position?: Vec2;
  /** Time limit of this episode only (dataset generators cut episodes short with it). */
  maxSteps?: number;
}

export interface StepResult {
  observation: Float32Array;
  reward: number;
  terminal: boolean;
  timeout: boolean;
}

/** Clips a number to [-1, 1]; NaN and infinities are refused. */
export function clipAction(v: number): number {
  if (!Number.isFinite(v)) throw new RangeError(`action component must be finite, got ${v}`);
  return v < -1 ? -1 : v > 1 ? 1 : v;
}

/** A uniform draw from the layout's start region. */
export function sampleStart(layout: MazeLayout, rng: Rng): [number, number] {
  const s = layout.start;
  return [rng.range(s.x0, s.x1), rng.range(s.y0, s.y1)];
}

export class MazeEnv {
  readonly layout: MazeLayout;
  readonly actionNoise: number;
  readonly maxSteps: number;
  /** The walls plus the arena's border. */
  private readonly solids: readonly Rect[];
  private x = 0;
  private y = 0;
  private t = 0;
  private limit = 0;
  private done = true;

  /** All noise (start positions, action noise) comes from `rng`. */
  constructor(layout: MazeLayout | string, private readonly rng: Rng, opts: EnvOptions = {}) {
    this.layout = resolveLayout(layout);
    validateLayout(this.layout);
    this.actionNoise = opts.actionNoise ?? DEFAULT_ACTION_NOISE;
    this.maxSteps = opts.maxSteps ?? this.layout.maxSteps;
    if (!(this.actionNoise >= 0)) throw new RangeError(`actionNoise must be >= 0, got ${this.actionNoise}`);
    if (!(Number.isInteger(this.maxSteps) && this.maxSteps > 0)) throw new RangeError(`maxSteps must be a positive integer`);
    this.solids = [...this.layout.walls, ...frame(this.layout.bounds)];
  }

  /** Starts an episode and returns the first observation. */
  reset(opts: ResetOptions = {}): Float32Array {
    const p = opts.position ?? sampleStart(this.layout, this.rng);
    if (!isFree(this.layout, p)) throw new RangeError(`start position (${p[0]}, ${p[1]}) is not in free space`);
    this.limit = opts.maxSteps ?? this.maxSteps;
    if (!(Number.isInteger(this.limit) && this.limit > 0)) throw new RangeError(`maxSteps must be a positive integer`);
    [this.x, this.y] = p;
    this.t = 0;
    this.done = false;
    return this.observation();
  }

  /** Applies one action; throws once the episode is over (call reset). */
  step(action: ArrayLike<number>): StepResult {
    if (this.done) throw new Error('MazeEnv.step called on a finished episode; call reset() first');
    if (action.length !== ACT_DIM) throw new RangeError(`action must have ${ACT_DIM} components, got ${action.length}`);
    const h = this.layout.stepSize;
    const ax = clipAction(action[0]);
    const ay = clipAction(action[1]);
    const nx = this.actionNoise > 0 ? this.actionNoise * this.rng.normal() : 0;
    const ny = this.actionNoise > 0 ? this.actionNoise * this.rng.normal() : 0;
    [this.x, this.y] = sweep(this.solids, [this.x, this.y], [h * (ax + nx), h * (ay + ny)]);
    this.t += 1;
    const terminal = contains(this.layout.goal, [this.x, this.y]);
    const timeout = !terminal && this.t >= this.limit;
    this.done = terminal || timeout;
    return { observation: this.observation(), reward: terminal ? 1 : 0, terminal, timeout };
  }

  /** Current position (float64). */
  get position(): [number, number] {
    return [this.x, this.y];
  }

  /** Steps taken in this episode. */
  get steps(): number {
    return this.t;
  }

  /** True before the first reset and after the episode ended. */
  get isDone(): boolean {
    return this.done;
  }

  private observation(): Float32Array {
    return Float32Array.of(this.x, this.y);
  }
}
