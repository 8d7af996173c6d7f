// Training hyper-parameters: defaults and per-algorithm values from the algorithm's training file
// (assignments/offline-rl/training.yaml; assignments/cql/training.yaml for cql), then command-line overrides.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface TrainConfig {
  steps: number;
  batchSize: number;
  hidden: number[];
  lr: number;
  gamma: number;
  evalEpisodes: number;
  evalEvery: number;
  curveEpisodes: number;
  filterPercent: number;
  alpha: number;
  wMax: number;
  tau: number;
  rho: number;
  rcbcScale: number;
  rcbcTargetReturn: number;
  /** CQL only (docs/contract.md §9): the actor's entropy weight. */
  beta: number;
  /** CQL only: N, the uniform actions and the policy samples drawn per state for the regulariser. */
  cqlActions: number;
  /** CQL only: the first updates of a run, whose actor step is behaviour cloning. */
  bcSteps: number;
  /** CQL only: added to every reward before the update sees it (-1: the critics learn on r - 1). */
  rewardBias: number;
}

/** Values used where the file says nothing (they match the file as shipped). */
const FALLBACK: TrainConfig = {
  steps: 2500,
  batchSize: 128,
  hidden: [32, 32],
  lr: 1e-3,
  gamma: 0.95,
  evalEpisodes: 50,
  evalEvery: 500,
  curveEpisodes: 20,
  filterPercent: 10,
  alpha: 0.1,
  wMax: 20,
  tau: 0.9,
  rho: 0.02,
  rcbcScale: 1,
  rcbcTargetReturn: 1,
  beta: 0,
  cqlActions: 10,
  bcSteps: 0,
  rewardBias: 0,
};

export const TRAINING_FILE = path.resolve(__dirname, '../../assignments/offline-rl/training.yaml');
/** The CQL homework's own file (its defaults and its `algorithms.cql` section). */
export const CQL_TRAINING_FILE = path.resolve(__dirname, '../../assignments/cql/training.yaml');

/** The training file an algorithm's settings come from. */
export function trainingFileOf(algo: string): string {
  return algo === 'cql' ? CQL_TRAINING_FILE : TRAINING_FILE;
}

function checkKeys(file: string, where: string, values: Record<string, unknown>): Partial<TrainConfig> {
  for (const [key, value] of Object.entries(values)) {
    if (!(key in FALLBACK)) throw new Error(`${file}: ${where}.${key}: unknown setting (known: ${Object.keys(FALLBACK).join(', ')})`);
    const expectArray = Array.isArray(FALLBACK[key as keyof TrainConfig]);
    const ok = expectArray ? Array.isArray(value) && value.every((v) => Number.isInteger(v) && v > 0) : typeof value === 'number' && Number.isFinite(value);
    if (!ok) throw new Error(`${file}: ${where}.${key}: expected ${expectArray ? 'a list of positive integers' : 'a number'}, got ${JSON.stringify(value)}`);
  }
  return values as Partial<TrainConfig>;
}

/** The configuration of `algo`: fallback < file defaults < file's algorithm section < overrides. */
export function trainConfig(algo: string, overrides: Partial<TrainConfig> = {}, file = trainingFileOf(algo)): TrainConfig {
  const doc = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as { defaults?: Record<string, unknown>; algorithms?: Record<string, Record<string, unknown>> };
  const defaults = checkKeys(file, 'defaults', doc.defaults ?? {});
  const own = checkKeys(file, `algorithms.${algo}`, doc.algorithms?.[algo] ?? {});
  return { ...FALLBACK, ...defaults, ...own, ...overrides };
}

/** The budget and settings of one FQE run. */
export interface FqeSettings {
  steps: number;
  batchSize: number;
  lr: number;
  gamma: number;
  rho: number;
  hidden: number[];
}

/** FQE settings not in training.yaml's `evaluation` section fall back to these. */
const FQE_FALLBACK = { fqeSteps: 2000, fqeRho: 0.05 };

/**
 * The FQE settings: `evaluation.fqeSteps` and `evaluation.fqeRho` from training.yaml, batch size,
 * learning rate, discount and hidden sizes from its `defaults` (the ones IQL trains with).
 */
export function fqeSettings(overrides: Partial<FqeSettings> = {}, file = TRAINING_FILE): FqeSettings {
  const doc = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as { evaluation?: Record<string, unknown> };
  const own = { ...FQE_FALLBACK, ...(doc.evaluation ?? {}) };
  for (const [key, value] of Object.entries(own)) {
    if (!(key in FQE_FALLBACK)) throw new Error(`${file}: evaluation.${key}: unknown setting (known: ${Object.keys(FQE_FALLBACK).join(', ')})`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new Error(`${file}: evaluation.${key}: expected a positive number, got ${JSON.stringify(value)}`);
  }
  const base = trainConfig('iql', {}, file);
  return { steps: own.fqeSteps, rho: own.fqeRho, batchSize: base.batchSize, lr: base.lr, gamma: base.gamma, hidden: base.hidden, ...overrides };
}
