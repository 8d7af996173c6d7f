// The benchmark's verdicts on the IQL target: the ratio to PyTorch comes from the rounds in which
// both took turns when there are some, and the floor an IQL step cannot go below is computed from
// the profile's wasm share, the update's kernels and one kernel's fixed cost.
import type { Sections } from '../../bench/context';
import type { ProfileSection } from '../../bench/sections/profile';
import { viewModel } from '../../bench/render';
import { checkTargets, torchRatios } from '../../bench/targets';

const stat = (median: number) => ({ median, min: median, max: median, n: 5, unit: 'steps/s' });
const sectionBase = { measuredAt: '2026-12-06T20:00:00.000Z', quick: false, runs: 5 };

/** Sections 1 and 2 minutes apart: ours 200 steps/s, PyTorch 250 (a slow spell) for the maze. */
function sections(paired?: Array<{ problem: string; ours: number[]; torch: number[] }>): Sections {
  const problems = [
    { problem: 'maze', obs: 2, act: 2 },
    { problem: '17 obs / 6 act', obs: 17, act: 6 },
  ];
  return {
    train: { ...sectionBase, rows: problems.map((p) => ({ ...p, hidden: '64x64', batch: 256, backend: 'wasm', stepsPerSecond: stat(200) })) },
    torch: {
      ...sectionBase,
      torch: '1.13',
      rows: problems.map((p) => ({ ...p, hidden: '64x64', batch: 256, blas: 'openblas' as const, libraries: [], stepsPerSecond: stat(250) })),
      paired: paired?.map((p) => ({ ...p, ratios: p.ours.map((o, i) => o / p.torch[i]) })),
    },
  } as unknown as Sections;
}

describe('torchRatios', () => {
  it('divides the two sections’ medians when no rounds took turns', () => {
    expect(torchRatios(sections()).map((r) => [r.problem, r.ratio, r.paired])).toEqual([
      ['maze', 0.8, false],
      ['17 obs / 6 act', 0.8, false],
    ]);
  });

  it('takes the median of the round-by-round ratios when both took turns', () => {
    // Maze round by round: 1/3, 0.8, 6/7, median 0.8; the ratio of the medians would be 200/300.
    const paired = [
      { problem: 'maze', ours: [100, 200, 300], torch: [300, 250, 350] },
      { problem: '17 obs / 6 act', ours: [100, 100, 100], torch: [400, 400, 100] },
    ];
    const r = torchRatios(sections(paired));
    expect(r.map((x) => x.paired)).toEqual([true, true]);
    expect(r[0].ratio).toBeCloseTo(0.8, 12);
    expect(r[1].ratio).toBeCloseTo(0.25, 12);
    const target = checkTargets(sections(paired)).find((t) => t.name.startsWith('IQL steps/s'))!;
    expect(target.met).toBe(false);
    expect(target.source).toMatch(/taking turns/);
  });
});

describe('the floor of an IQL step', () => {
  it('adds the wasm time and the update’s kernels at the cheapest cost, and compares with PyTorch through the rounds taking turns', () => {
    const sec = sections([{ problem: 'maze', ours: [200], torch: [400] }]);
    const summary = { totalMs: 1, byPlace: [{ place: 'wasm kernels', ms: 1, share: 0.4 }], byFunction: [], wasmByKernel: [] };
    sec.profile = {
      ...sectionBase,
      step: { problem: 'maze', hidden: '64x64', stepsPerSecond: 180, kernelsPerStep: 300, kernels: {}, summary },
      startup: { seconds: 0.3, summary },
      // 250 steps/s: 4 ms a step, of which wasm 1.6 ms; 200 update kernels at 5 us: 1 ms.
      floor: { stepsPerSecond: 250, kitKernels: 100, updateKernels: 200, microsecondsPerKernel: 5 },
    } as ProfileSection;
    const floor = viewModel({ machine: { loadAverage: 0 } as never, backend: 'wasm', sections: sec }).profile!.floor!;
    expect(floor.floorMs).toBe('2.60');
    expect(floor.ceiling).toBe('385'); // 1000 / 2.6
    expect(floor.headroom).toBe('1.54'); // 385 / 250, both from one process
    expect(floor.oursRatio).toBe('0.50'); // the rounds taking turns (200 / 400), not section 2's tables (200 / 250)
    expect(floor.ratio).toBe('0.77'); // 1.54 x 0.5
    expect(floor.kitMs).toBe('1.40');
  });
});

describe('placeOf (where a profiled frame lives)', () => {
  const { placeOf } = require('../../bench/profile') as typeof import('../../bench/profile');
  const { KIT_ROOT } = require('../../bench/stats') as typeof import('../../bench/stats');
  test.each([
    [`file://${KIT_ROOT}/provided/nets/mlp-op.ts`, 'provided'],
    [`${KIT_ROOT}/assignments/offline-rl/solutions/iql.ts`, 'solutions'],
    [`${KIT_ROOT}/bench/workers/iql-steps.ts`, 'bench'],
    [`${KIT_ROOT}/node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js`, '@tensorflow/tfjs-core'],
    ['node:internal/modules/cjs/loader', 'node internals'],
  ])('%s is in %s', (url, place) => {
    expect(placeOf(url, 'f')).toBe(place);
  });

  test('files are classified by their path under the kit (a kit in /tmp/bench/ is not all "bench")', () => {
    expect(placeOf(`${KIT_ROOT}/provided/bench/x.ts`, 'f')).toBe('provided');
    expect(placeOf('/tmp/bench/elsewhere/provided/x.ts', 'f')).toBe('/tmp/bench/elsewhere/provided/x.ts');
  });
});
