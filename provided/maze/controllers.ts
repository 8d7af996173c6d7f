// Scripted controllers (the behaviour policies of the generated datasets and of the tests) and
// the recorder that turns one controlled episode into dataset rows.

import { DatasetBuilder } from '../data/dataset';
import { Rng } from '../runtime/rng';
import { MazeEnv, ResetOptions, clipAction } from './env';
import { Vec2 } from './geometry';
import { BatchPolicy } from './rollout';

/** Maps the current observation to an action in [-1, 1]^2. */
export type Controller = (obs: Float32Array) => [number, number];

export interface WaypointOptions {
  /** Std of the Gaussian noise added to every action component before clipping. */
  noise: number;
  /** Switch to the next waypoint within this distance (default 0.08); the last one is kept. */
  reach?: number;
}

/**
 * A noisy waypoint follower. It heads for the current waypoint at full speed, scaling the
 * direction so the larger component is 1 (or less when the waypoint is within one step), adds
 * N(0, noise^2) to each component and clips. After the last waypoint it keeps aiming at it, so
 * it hovers there until the episode ends.
 */
export function waypointController(route: readonly Vec2[], stepSize: number, rng: Rng, opts: WaypointOptions): Controller {
  if (route.length === 0) throw new RangeError('a waypoint route needs at least one point');
  const reach = opts.reach ?? 0.08;
  let next = 0;
  return (obs) => {
    while (next + 1 < route.length && Math.hypot(route[next][0] - obs[0], route[next][1] - obs[1]) < reach) next++;
    const vx = (route[next][0] - obs[0]) / stepSize;
    const vy = (route[next][1] - obs[1]) / stepSize;
    const scale = Math.max(1, Math.abs(vx), Math.abs(vy));
    return [
      clipAction(vx / scale + opts.noise * rng.normal()),
      clipAction(vy / scale + opts.noise * rng.normal()),
    ];
  };
}

/** Uniform random actions in [-1, 1]^2. */
export function randomController(rng: Rng): Controller {
  return () => [rng.range(-1, 1), rng.range(-1, 1)];
}

/**
 * A batched policy that gives every episode of a roll-out its own waypoint follower
 * (created on the episode's first step, with noise from `rng.fork('follower:' + episode)`).
 */
export function waypointPolicy(route: readonly Vec2[], stepSize: number, rng: Rng, opts: WaypointOptions): BatchPolicy {
  const followers = new Map<number, Controller>();
  return (obs, n, ctx) => {
    const out = new Float32Array(n * 2);
    for (let r = 0; r < n; r++) {
      const id = ctx.episodes[r];
      let c = followers.get(id);
      if (!c) {
        c = waypointController(route, stepSize, rng.fork(`follower:${id}`), opts);
        followers.set(id, c);
      }
      out.set(c(obs.subarray(2 * r, 2 * r + 2)), 2 * r);
    }
    return out;
  };
}

export interface EpisodeSummary {
  /** Position where the episode started. */
  start: [number, number];
  length: number;
  success: boolean;
}

/**
 * Runs one episode of `env` under `controller` and appends every transition to `builder`
 * (observation, the clipped action, reward, the real next observation, terminal, timeout).
 */
export function recordEpisode(env: MazeEnv, controller: Controller, builder: DatasetBuilder, reset: ResetOptions = {}): EpisodeSummary {
  let obs = env.reset(reset);
  const start = env.position;
  for (;;) {
    const action = controller(obs);
    const res = env.step(action);
    builder.add(obs, action, res.reward, res.observation, res.terminal, res.timeout);
    obs = res.observation;
    if (res.terminal || res.timeout) return { start, length: env.steps, success: res.terminal };
  }
}
