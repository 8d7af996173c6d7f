// Batched roll-outs: lock-step batching, determinism, scripted policies.
import { Rng } from '../../provided/runtime/rng';
import { BatchPolicy, PolicyContext, rollout } from '../../provided/maze/rollout';
import { waypointPolicy } from '../../provided/maze/controllers';
import { LAYOUTS, getLayout } from '../../provided/maze/layouts';

const standStill: BatchPolicy = (_obs, n) => new Float32Array(2 * n);

describe.each(Object.keys(LAYOUTS))('layout %s', (name) => {
  const layout = getLayout(name);

  test('a scripted waypoint follower reaches the goal', () => {
    const policy = waypointPolicy(layout.route, layout.stepSize, new Rng(1), { noise: 0.2 });
    const res = rollout(layout, policy, 20, new Rng(2));
    expect(res.successRate).toBeGreaterThanOrEqual(0.95);
    expect(res.meanReturn).toBeCloseTo(res.successRate, 10);
    expect(res.meanLength).toBeLessThan(layout.maxSteps / 2);
    for (const t of res.trajectories) {
      const [x, y] = t.points[t.points.length - 1];
      const inGoal = x >= layout.goal.x0 && x <= layout.goal.x1 && y >= layout.goal.y0 && y <= layout.goal.y1;
      expect(inGoal).toBe(t.success);
    }
  });

  test('standing still never succeeds and every episode times out', () => {
    const res = rollout(layout, standStill, 5, new Rng(2));
    expect(res.successRate).toBe(0);
    expect(res.meanReturn).toBe(0);
    expect(res.lengths).toEqual(new Array(5).fill(layout.maxSteps));
    expect(res.trajectories.every((t) => !t.success && t.points.length === layout.maxSteps + 1)).toBe(true);
  });
});

test('roll-outs are deterministic for a seed and differ between seeds', () => {
  const layout = getLayout('umaze');
  const run = (seed: number) => rollout(layout, waypointPolicy(layout.route, layout.stepSize, new Rng(9), { noise: 0.5 }), 6, new Rng(seed));
  expect(run(3)).toEqual(run(3));
  expect(run(3).trajectories).not.toEqual(run(4).trajectories);
});

test('the policy is called once per time step with every live episode, in lock-step', () => {
  const layout = getLayout('corridor');
  const calls: Array<{ n: number; step: number; episodes: number[] }> = [];
  // Episode i moves right at speed 1 only if i is even; odd ones stand still until the limit.
  const policy: BatchPolicy = (obs, n, ctx: PolicyContext) => {
    calls.push({ n, step: ctx.step, episodes: Array.from(ctx.episodes) });
    expect(obs.length).toBe(2 * n);
    const out = new Float32Array(2 * n);
    for (let r = 0; r < n; r++) out[2 * r] = ctx.episodes[r] % 2 === 0 ? 1 : 0;
    return out;
  };
  const res = rollout(layout, policy, 4, new Rng(5));
  expect(res.successes).toEqual([true, false, true, false]);
  expect(calls.length).toBe(layout.maxSteps);
  expect(calls.map((c) => c.step)).toEqual(calls.map((_, i) => i));
  expect(calls[0]).toMatchObject({ n: 4, episodes: [0, 1, 2, 3] });
  expect(calls[calls.length - 1]).toMatchObject({ n: 2, episodes: [1, 3] });
  // batch sizes never grow
  for (let i = 1; i < calls.length; i++) expect(calls[i].n).toBeLessThanOrEqual(calls[i - 1].n);
  expect(res.successRate).toBe(0.5);
  expect(res.meanLength).toBeCloseTo((res.lengths[0] + res.lengths[2] + 2 * layout.maxSteps) / 4, 10);
});

test('a policy that returns too few actions is reported', () => {
  expect(() => rollout('corridor', () => new Float32Array(1), 2, new Rng(1))).toThrow(/policy returned/);
});

test('episode i does not depend on how many episodes share the batch', () => {
  const layout = getLayout('umaze');
  const policy = () => waypointPolicy(layout.route, layout.stepSize, new Rng(9), { noise: 0.5 });
  const small = rollout(layout, policy(), 2, new Rng(8));
  const large = rollout(layout, policy(), 5, new Rng(8));
  expect(large.trajectories.slice(0, 2)).toEqual(small.trajectories);
});
