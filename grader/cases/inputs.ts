/**
 * Building blocks for an assignment's case generators (assignments/<name>/private/): plain
 * tensors and network specs drawn from a case's Rng, and the checks of a generator's parameters,
 * each failing with a one-line reason that buildCall prefixes with the case id. They name no
 * homework: what makes a case tell mistakes apart stays in the assignment's own generators.
 */
import { LOG_STD_MAX, LOG_STD_MIN } from '../../provided/nets/log-std-range';
import type { Rng } from '../../provided/runtime/rng';
import type { NetSpec, PlainTensor } from '../child/protocol';

/** A generator's parameters: a case's `inputs` without `generator` and `seed`. */
export type Params = Record<string, unknown>;

/** A tensor of float32 values (what the runner child builds from it holds exactly these). */
export const tensor = (shape: number[], data: ArrayLike<number>): PlainTensor => ({ shape, data: Array.from(Float32Array.from(data)) });

/** Rounded to two decimals: inputs a student can read in the public cases. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;

/** The positive integer parameter `key`. */
export function positiveInt(p: Params, key: string): number {
  const v = p[key];
  if (!Number.isInteger(v) || (v as number) <= 0) throw new Error(`generator parameter '${key}' must be a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

/** The parameter `key`, a list of positive integers (layer sizes). */
export function positiveInts(p: Params, key: string): number[] {
  const v = p[key];
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && x > 0)) throw new Error(`generator parameter '${key}' must be a list of positive integers`);
  return v as number[];
}

/** The number parameter `key` (a finite number). */
export function finite(p: Params, key: string): number {
  const v = p[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`generator parameter '${key}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** The parameter `key`, a list of finite numbers. */
export function numbers(p: Params, key: string): number[] {
  const v = p[key];
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new Error(`generator parameter '${key}' must be a non-empty list of numbers`);
  return v as number[];
}

/** The parameter `key`, one of `names` (such as a bundled dataset). */
export function oneOf(p: Params, key: string, names: readonly string[], fallback?: string): string {
  const v = p[key] ?? fallback;
  if (typeof v !== 'string' || !names.includes(v)) throw new Error(`generator parameter '${key}' must be one of ${names.join(', ')}, got ${JSON.stringify(v)}`);
  return v;
}

/** Values drawn by `draw`, in a tensor of `shape`. */
export const drawn = (shape: number[], draw: () => number): PlainTensor => tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, draw));
/** N(0, 1) values, two decimals. */
export const normals = (rng: Rng, shape: number[], scale = 1): PlainTensor => drawn(shape, () => round2(scale * rng.normal()));
/** Uniform values in (-bound, bound), two decimals. */
export const uniforms = (rng: Rng, shape: number[], bound = 0.95): PlainTensor => drawn(shape, () => round2(rng.range(-bound, bound)));

/** 0/1 values with at least one of each (the first 1, the last 0). */
export function flags(n: number, rng: Rng): number[] {
  const f = Array.from({ length: n }, () => rng.int(2));
  f[0] = 1;
  if (n > 1) f[n - 1] = 0;
  return f;
}

/** The kit's Mlp of these layer sizes, initialised from a drawn seed. */
export const mlpSpec = (rng: Rng, sizes: number[]): NetSpec => ({ net: 'mlp', seed: rng.nextUint32(), sizes });

/**
 * The kit's GaussianPolicy [ds, ...hidden, da], initialised from a drawn seed; its log sigma as
 * given, drawn in [-0.5, 0.5] after the seed ('drawn'), else the kit's initial one.
 */
export function policySpec(rng: Rng, ds: number, hidden: number[], da: number, logStd?: number[] | 'drawn'): NetSpec {
  const seed = rng.nextUint32();
  const log = logStd === 'drawn' ? Array.from({ length: da }, () => round2(rng.range(-0.5, 0.5))) : logStd;
  return { net: 'policy', seed, sizes: [ds, ...hidden, da], ...(log ? { logStd: log } : {}) };
}

/**
 * A score z with |z| in [0, 0.5] or [1.6, 2.5]: away from |z| = 1, where an epsilon added to sigma
 * changes -log sigma and -0.5 z^2 by amounts that cancel (eps / sigma * (z^2 - 1)), and below 2.5,
 * where an epsilon of 1e-8 (harmless) stays under the tolerance.
 */
const offUnitScore = (rng: Rng): number => (rng.int(2) === 0 ? -1 : 1) * (rng.int(2) === 0 ? rng.range(0, 0.5) : rng.range(1.6, 2.5));

/**
 * Inputs of a Gaussian log-probability (the kit's policy, docs/contract.md §3): mean [B, da] inside
 * (-1, 1), logStd [da] as given (beyond the clip on purpose), actions [B, da]. Where the clipped
 * sigma is small, a = mu + sigma z with z a moderate score (offUnitScore), so that dimension's
 * -0.5 z^2 stays as small as the others' and a 1e-4 error in its part is not swallowed by the
 * tolerance on a total in the thousands; elsewhere a is uniform in (-0.95, 0.95).
 */
export function gaussianInputs(rng: Rng, size: number, logStd: number[]): { mean: PlainTensor; logStd: PlainTensor; actions: PlainTensor } {
  const mean = uniforms(rng, [size, logStd.length]);
  const sigma = logStd.map((l) => Math.exp(Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, l))));
  const actions = mean.data.map((mu, i) => {
    const s = sigma[i % logStd.length];
    return s < 0.1 ? mu + s * offUnitScore(rng) : round2(rng.range(-0.95, 0.95));
  });
  return { mean, logStd: tensor([logStd.length], logStd), actions: tensor([size, logStd.length], actions) };
}

/** The budget fields of a graded training run, from a case's inputs or an algorithm's defaults. */
export interface RunBudget {
  steps: number;
  evalEpisodes: number;
  evalEvery: number;
  curveEpisodes: number;
}

/**
 * A graded training run's argument (provided/train/graded-run.ts): `dataset` one of `datasets`,
 * the budget from the case or `defaults`, and `trainSeed` (default 0), which fixes the run.
 */
export function trainingRunInputs(p: Params, defaults: RunBudget, datasets: readonly string[]): RunBudget & { dataset: string; seed: number } {
  const pick = (key: keyof RunBudget): number => (p[key] === undefined ? defaults[key] : positiveInt(p, key));
  const trainSeed = p.trainSeed === undefined ? 0 : p.trainSeed;
  if (!Number.isInteger(trainSeed) || (trainSeed as number) < 0) throw new Error(`generator parameter 'trainSeed' must be a non-negative integer, got ${JSON.stringify(trainSeed)}`);
  return { dataset: oneOf(p, 'dataset', datasets), steps: pick('steps'), evalEpisodes: pick('evalEpisodes'), evalEvery: pick('evalEvery'), curveEpisodes: pick('curveEpisodes'), seed: trainSeed as number };
}
