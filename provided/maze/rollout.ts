// Batched evaluation roll-outs: all episodes advance in lock-step, and the policy is called
// once per time step on the observations of every episode still running (one forward pass of
// the network for the whole batch).

import { Rng } from '../runtime/rng';
import { ACT_DIM, EnvOptions, MazeEnv, OBS_DIM } from './env';
import { MazeLayout, resolveLayout } from './layouts';

/** What a batched policy sees besides the observations (row r of the batch). */
export interface PolicyContext {
  /** Time step, 0 for the first call. */
  step: number;
  /** episodes[r] = index (0..episodes-1) of the episode in row r. */
  episodes: Int32Array;
  /** returns[r] = reward collected so far by that episode (for return-conditioned policies). */
  returns: Float32Array;
}

/** obs holds n rows of (x, y); the result must hold n rows of (ax, ay). */
export type BatchPolicy = (obs: Float32Array, n: number, ctx: PolicyContext) => Float32Array;

export interface RolloutOptions extends EnvOptions {
  /** Keep each episode's positions (default true). */
  trajectories?: boolean;
  /** Episode i starts at starts[i] instead of a draw from the start region (one per episode). */
  starts?: ReadonlyArray<readonly [number, number]>;
}

export interface Trajectory {
  /** Positions from the start to the last one, one per step plus the start. */
  points: Array<[number, number]>;
  success: boolean;
}

export interface RolloutResult {
  /** Fraction of episodes that reached the goal. */
  successRate: number;
  meanReturn: number;
  meanLength: number;
  /** Per-episode details, in episode order. */
  returns: number[];
  lengths: number[];
  successes: boolean[];
  /** Empty when opts.trajectories is false. */
  trajectories: Trajectory[];
}

/**
 * Runs `episodes` episodes of `layout` under `policy`. Episode i draws its start and its
 * action noise from `rng.fork('episode:' + i)`, so results depend only on the seed and the
 * policy, not on how many episodes share a batch.
 */
export function rollout(layout: MazeLayout | string, policy: BatchPolicy, episodes: number, rng: Rng, opts: RolloutOptions = {}): RolloutResult {
  if (!(Number.isInteger(episodes) && episodes > 0)) throw new RangeError(`episodes must be a positive integer, got ${episodes}`);
  if (opts.starts && opts.starts.length !== episodes) throw new RangeError(`starts holds ${opts.starts.length} positions for ${episodes} episodes`);
  const maze = resolveLayout(layout);
  const keep = opts.trajectories ?? true;
  const envs: MazeEnv[] = [];
  const returns = new Array<number>(episodes).fill(0);
  const lengths = new Array<number>(episodes).fill(0);
  const successes = new Array<boolean>(episodes).fill(false);
  const paths: Array<Array<[number, number]>> = [];
  let live: number[] = [];
  const obs = new Float32Array(episodes * OBS_DIM);
  for (let i = 0; i < episodes; i++) {
    const env = new MazeEnv(maze, rng.fork(`episode:${i}`), opts);
    env.reset(opts.starts ? { position: [opts.starts[i][0], opts.starts[i][1]] } : {});
    envs.push(env);
    paths.push(keep ? [env.position] : []);
    live.push(i);
  }

  for (let step = 0; live.length > 0; step++) {
    const n = live.length;
    const ids = Int32Array.from(live);
    const soFar = Float32Array.from(live, (i) => returns[i]);
    for (let r = 0; r < n; r++) {
      const [x, y] = envs[live[r]].position;
      obs[r * OBS_DIM] = x;
      obs[r * OBS_DIM + 1] = y;
    }
    const actions = policy(obs.subarray(0, n * OBS_DIM), n, { step, episodes: ids, returns: soFar });
    if (!(actions.length >= n * ACT_DIM)) throw new RangeError(`policy returned ${actions.length} values for ${n} observations (expected ${n * ACT_DIM})`);
    const still: number[] = [];
    for (let r = 0; r < n; r++) {
      const i = live[r];
      const res = envs[i].step([actions[r * ACT_DIM], actions[r * ACT_DIM + 1]]);
      returns[i] += res.reward;
      lengths[i] += 1;
      if (keep) paths[i].push(envs[i].position);
      if (res.terminal) successes[i] = true;
      if (!res.terminal && !res.timeout) still.push(i);
    }
    live = still;
  }

  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return {
    successRate: successes.filter(Boolean).length / episodes,
    meanReturn: mean(returns),
    meanLength: mean(lengths),
    returns,
    lengths,
    successes,
    trajectories: keep ? paths.map((points, i) => ({ points, success: successes[i] })) : [],
  };
}
