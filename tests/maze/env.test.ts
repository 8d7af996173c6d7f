// The point-mass maze: walls, goal, time limit, noise, determinism.
import { Rng } from '../../provided/runtime/rng';
import { MazeEnv } from '../../provided/maze/env';
import { rect, strictlyInside, sweep, frame } from '../../provided/maze/geometry';
import { LAYOUTS, MazeLayout, getLayout, isFree } from '../../provided/maze/layouts';

const umaze = getLayout('umaze');
const wall = umaze.walls[0]; // [0.4, 0.6] x [0, 0.7]

/** A deterministic environment (no action noise). */
function quietEnv(layout: MazeLayout | string = umaze): MazeEnv {
  return new MazeEnv(layout, new Rng(1), { actionNoise: 0 });
}

describe('walls', () => {
  test('a step into a wall stops at its face', () => {
    const env = quietEnv();
    env.reset({ position: [0.35, 0.3] });
    env.step([1, 0]);
    const [x, y] = env.position;
    expect(x).toBeLessThan(wall.x0);
    expect(x).toBeGreaterThan(wall.x0 - 0.001);
    expect(y).toBeCloseTo(0.3, 12);
  });

  test('a large step never tunnels through a thin wall', () => {
    const thin: MazeLayout = {
      ...umaze,
      name: 'thin',
      walls: [rect(0.5, 0, 0.501, 1)],
      start: rect(0.2, 0.4, 0.3, 0.6),
      stepSize: 0.7,
    };
    const env = quietEnv(thin);
    env.reset({ position: [0.3, 0.5] });
    env.step([1, 0.2]);
    expect(env.position[0]).toBeLessThan(0.5);
    env.step([1, -1]);
    expect(env.position[0]).toBeLessThan(0.5);
  });

  test('a diagonal step that would cut through a wall slides along its face instead', () => {
    const walls = [rect(0.4, 0.4, 0.6, 0.6)];
    const [x, y] = sweep(walls, [0.35, 0.45], [0.3, 0.1]);
    expect(x).toBeLessThan(0.4); // stopped at the left face ...
    expect(y).toBeCloseTo(0.55, 6); // ... and kept the whole vertical motion (slide)
  });

  test('the arena border blocks like a wall', () => {
    const env = quietEnv();
    env.reset({ position: [0.1, 0.85] });
    for (let i = 0; i < 5; i++) env.step([-1, 1]);
    const [x, y] = env.position;
    expect(x).toBeGreaterThan(0);
    expect(y).toBeLessThan(1);
    expect(x).toBeLessThan(0.001);
    expect(y).toBeGreaterThan(0.999);
  });

  test('random large moves never end inside a wall nor cross the central wall below its top', () => {
    const rng = new Rng(7);
    const solids = [...umaze.walls, ...frame(umaze.bounds)];
    let p: [number, number] = [0.2, 0.4];
    const bad: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const d: [number, number] = [rng.range(-0.6, 0.6), rng.range(-0.6, 0.6)];
      const q = sweep(solids, p, d);
      if (!isFree(umaze, q) || strictlyInside(wall, q)) bad.push(`step ${i} ends in a wall at ${q}`);
      // both ends below the wall's top: they must be on the same side of it
      if (p[1] < wall.y1 && q[1] < wall.y1 && p[0] < wall.x0 !== q[0] < wall.x0) bad.push(`step ${i} crossed ${p} -> ${q}`);
      p = q;
    }
    expect(bad).toEqual([]);
  });
});

describe('episodes', () => {
  test('entering the goal gives reward 1 and terminal, not timeout', () => {
    const env = quietEnv();
    env.reset({ position: [0.8, 0.3] });
    const first = env.step([0, -1]);
    expect(first).toMatchObject({ reward: 0, terminal: false, timeout: false });
    const second = env.step([0, -1]);
    expect(second).toMatchObject({ reward: 1, terminal: true, timeout: false });
    expect(env.isDone).toBe(true);
    expect(() => env.step([0, 0])).toThrow(/reset/);
  });

  test('reaching the goal on the last allowed step is terminal, never also timeout', () => {
    const env = quietEnv();
    env.reset({ position: [0.8, 0.2], maxSteps: 1 });
    expect(env.step([0, -1])).toMatchObject({ reward: 1, terminal: true, timeout: false });
  });

  test('the time limit gives timeout, not terminal, and reward 0', () => {
    const env = new MazeEnv('corridor', new Rng(3));
    env.reset();
    const results = Array.from({ length: env.maxSteps }, () => env.step([0, 0]));
    results.slice(0, -1).forEach((r) => expect(r).toMatchObject({ terminal: false, timeout: false }));
    expect(results[results.length - 1]).toMatchObject({ reward: 0, terminal: false, timeout: true });
    expect(env.steps).toBe(LAYOUTS.corridor.maxSteps);
  });

  test('actions are clipped to [-1, 1] and non-finite actions are refused', () => {
    const env = quietEnv();
    env.reset({ position: [0.8, 0.85] });
    env.step([0, -50]);
    expect(env.position[1]).toBeCloseTo(0.85 - umaze.stepSize, 12);
    expect(() => env.step([NaN, 0])).toThrow(RangeError);
  });

  test('starts are drawn from the start region; observations are float32 positions', () => {
    const env = new MazeEnv(umaze, new Rng(11));
    for (let i = 0; i < 50; i++) {
      const obs = env.reset();
      expect(obs).toBeInstanceOf(Float32Array);
      expect(obs.length).toBe(2);
      expect(obs[0]).toBeGreaterThanOrEqual(Math.fround(umaze.start.x0));
      expect(obs[0]).toBeLessThanOrEqual(Math.fround(umaze.start.x1));
      expect(obs[1]).toBeGreaterThanOrEqual(Math.fround(umaze.start.y0));
      expect(obs[1]).toBeLessThanOrEqual(Math.fround(umaze.start.y1));
    }
    expect(() => env.reset({ position: [0.5, 0.3] })).toThrow(/free space/);
  });

  test('the same seed gives the same episode; the action noise is small but present', () => {
    const run = (seed: number) => {
      const env = new MazeEnv(umaze, new Rng(seed));
      const obs = [Array.from(env.reset())];
      for (let i = 0; i < 10; i++) obs.push(Array.from(env.step([1, 0]).observation));
      return obs;
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
    const path = run(4);
    const dy = path[3][1] - path[2][1];
    expect(Math.abs(dy)).toBeGreaterThan(0);
    expect(Math.abs(dy)).toBeLessThan(0.05 * umaze.stepSize);
  });
});

test('every layout is valid and its route reaches the goal with a noiseless follower', () => {
  for (const layout of Object.values(LAYOUTS)) {
    const env = quietEnv(layout);
    let obs = env.reset();
    let done = false;
    let terminal = false;
    for (const wp of layout.route) {
      while (!done && Math.hypot(wp[0] - obs[0], wp[1] - obs[1]) > 1e-3) {
        const a: [number, number] = [(wp[0] - obs[0]) / layout.stepSize, (wp[1] - obs[1]) / layout.stepSize];
        const res = env.step(a);
        obs = res.observation;
        done = res.terminal || res.timeout;
        terminal = res.terminal;
      }
    }
    expect(terminal).toBe(true);
  }
});
