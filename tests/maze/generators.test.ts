// The dataset generators: determinism, D4RL conventions, and the design of each dataset.
import { Dataset, episodeRanges } from '../../provided/data/dataset';
import { DEFAULT_DATASET_SEED, GENERATORS, datasetStats } from '../../provided/maze/generators';
import { getLayout, isFree } from '../../provided/maze/layouts';

/** Every dataset, generated once (timed) and a second time for the determinism check. */
const generated = new Map<string, { ds: Dataset; ms: number }>();
for (const [name, g] of Object.entries(GENERATORS)) {
  const t0 = performance.now();
  const ds = g.generate(DEFAULT_DATASET_SEED);
  generated.set(name, { ds, ms: performance.now() - t0 });
}

describe.each(Object.keys(GENERATORS))('%s', (name) => {
  const g = GENERATORS[name];
  const { ds, ms } = generated.get(name)!;
  const layout = getLayout(g.layout);
  const n = ds.rewards.length;
  const ranges = episodeRanges(ds.terminals, ds.timeouts);

  test('is deterministic for a seed and changes with the seed', () => {
    expect(g.generate(DEFAULT_DATASET_SEED)).toEqual(ds);
    expect(g.generate(DEFAULT_DATASET_SEED + 1).observations.data).not.toEqual(ds.observations.data);
  });

  test('has consistent shapes, a sane size, and is generated quickly', () => {
    expect(ds.observations).toMatchObject({ rows: n, cols: 2 });
    expect(ds.next_observations).toMatchObject({ rows: n, cols: 2 });
    expect(ds.actions).toMatchObject({ rows: n, cols: 2 });
    expect(ds.terminals.length).toBe(n);
    expect(ds.timeouts.length).toBe(n);
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThanOrEqual(15000);
    expect(ms).toBeLessThan(2000);
    expect(g.description.length).toBeGreaterThan(10);
  });

  test('actions lie in [-1, 1]; flags are 0/1; terminal rows have reward 1, others 0; never terminal and timeout', () => {
    const a = ds.actions.data;
    expect(a.every((v) => v >= -1 && v <= 1)).toBe(true);
    for (let i = 0; i < n; i++) {
      const t = ds.terminals[i];
      const o = ds.timeouts[i];
      if (!((t === 0 || t === 1) && (o === 0 || o === 1))) throw new Error(`row ${i}: flags ${t}, ${o}`);
      if (t === 1 && o === 1) throw new Error(`row ${i} is both terminal and timeout`);
      if (ds.rewards[i] !== t) throw new Error(`row ${i}: reward ${ds.rewards[i]} with terminal ${t}`);
    }
  });

  test('every episode ends with a terminal or a timeout and rows chain within an episode', () => {
    const last = n - 1;
    expect(ds.terminals[last] + ds.timeouts[last]).toBe(1);
    const obs = ds.observations.data;
    const next = ds.next_observations.data;
    for (const [s, e] of ranges) {
      for (let i = s; i + 1 < e; i++) {
        if (next[2 * i] !== obs[2 * i + 2] || next[2 * i + 1] !== obs[2 * i + 3]) throw new Error(`row ${i}: next observation is not row ${i + 1}'s`);
      }
    }
  });

  test('observations lie in free space and moves are at most one step (plus noise)', () => {
    const obs = ds.observations.data;
    const next = ds.next_observations.data;
    const maxMove = layout.stepSize * Math.SQRT2 * 1.3;
    for (let i = 0; i < n; i++) {
      if (!isFree(layout, [obs[2 * i], obs[2 * i + 1]])) throw new Error(`row ${i}: observation in a wall`);
      if (Math.hypot(next[2 * i] - obs[2 * i], next[2 * i + 1] - obs[2 * i + 1]) > maxMove) throw new Error(`row ${i}: move too long`);
    }
  });
});

test('stitch: no episode goes from the start region to the goal, but both halves are there', () => {
  const ds = generated.get('stitch')!.ds;
  const layout = getLayout('umaze');
  const stats = datasetStats(ds, layout);
  expect(stats.startToGoal).toBe(0);
  expect(stats.episodes).toBe(400);
  expect(stats.successes).toBe(100);
  const obs = ds.observations.data;
  const ranges = episodeRanges(ds.terminals, ds.timeouts);
  const fromStart = ranges.filter(([s]) => {
    const [x, y] = [obs[2 * s], obs[2 * s + 1]];
    return x >= layout.start.x0 && x <= layout.start.x1 && y >= layout.start.y0 && y <= layout.start.y1;
  });
  expect(fromStart).toHaveLength(300); // 100 to the hand-over point, 200 distractors
  // the distractors end in the left arm's dead end, below and left of the central wall
  const wall = layout.walls[0];
  const inLeftArm = fromStart.filter(([, e]) => obs[2 * (e - 1)] < wall.x0 && obs[2 * (e - 1) + 1] < 0.3);
  expect(inLeftArm.length).toBeGreaterThanOrEqual(190);
  expect(ds.rewards.reduce((s, r) => s + r, 0)).toBe(100);
});

test('expert: episodes reach the goal from the start region', () => {
  const stats = datasetStats(generated.get('expert')!.ds, 'umaze');
  expect(stats.startToGoal / stats.episodes).toBeGreaterThanOrEqual(0.9);
});

test('mixed has good and poor episodes; random almost never succeeds', () => {
  const mixed = datasetStats(generated.get('mixed')!.ds, 'umaze');
  expect(mixed.successes / mixed.episodes).toBeGreaterThan(0.3);
  expect(mixed.successes / mixed.episodes).toBeLessThan(0.9);
  const random = datasetStats(generated.get('random')!.ds, 'umaze');
  expect(random.successes / random.episodes).toBeLessThan(0.1);
});

test('corridor-expert is tiny and all its episodes succeed', () => {
  const stats = datasetStats(generated.get('corridor-expert')!.ds, 'corridor');
  expect(stats.transitions).toBeLessThan(1000);
  expect(stats.startToGoal).toBe(stats.episodes);
});
