// One hyper-parameter sweep of IQL on one dataset: for every (tau, alpha, seed), train with the
// student's functions, score the policy offline (FQE estimate, the critic heuristic), then measure
// the truth in the maze (success rate, undiscounted and discounted return from the start region,
// and the discounted return from the dataset's own episode starts, which is what FQE estimates).
import { Dataset } from '../data/dataset';
import { MazeLayout } from '../maze/layouts';
import { rollout, RolloutResult } from '../maze/rollout';
import { backendName } from '../runtime/backend';
import { Rng } from '../runtime/rng';
import { trainConfig } from '../train/config';
import { fqeSettings, FqeSettings, heuristicScore, runFqe } from '../train/fqe';
import { Impl } from '../train/impl';
import { makeTrainer } from '../train/trainers';

export interface SweepGrid {
  taus: number[];
  alphas: number[];
  seeds: number[];
  /** IQL gradient steps per run. */
  steps: number;
  /** FQE settings (steps, rho, ...). */
  fqe: FqeSettings;
  /** Roll-outs from the start region per run. */
  episodes: number;
}

export interface SweepRow {
  tau: number;
  alpha: number;
  seed: number;
  /** Offline scores. */
  fqe: number;
  heuristic: number;
  /** The truth, from roll-outs in the maze. */
  success: number;
  meanReturn: number;
  discountedReturn: number;
  /** Discounted return from the dataset's episode starts (one roll-out each): FQE's own target. */
  datasetStartReturn: number;
  seconds: { train: number; fqe: number; rollouts: number };
}

export interface SweepResult {
  algo: 'iql';
  dataset: string;
  backend: string;
  gamma: number;
  grid: SweepGrid;
  rows: SweepRow[];
}

/** Default grid: the expectile around the paper's 0.7 and temperatures from sharp to nearly BC. */
export function defaultGrid(): SweepGrid {
  return { taus: [0.5, 0.7, 0.9], alphas: [0.01, 0.1, 1], seeds: [0], steps: 2000, fqe: fqeSettings(), episodes: 50 };
}

/** First observation of every episode (an episode ends at terminal OR timeout; the kit's own code: the truth must not depend on the student's). */
export function episodeStarts(ds: Dataset): Array<[number, number]> {
  const starts: Array<[number, number]> = [];
  const { data, cols } = ds.observations;
  let first = true;
  for (let i = 0; i < ds.rewards.length; i++) {
    if (first) starts.push([data[i * cols], data[i * cols + 1]]);
    first = ds.terminals[i] !== 0 || ds.timeouts[i] !== 0;
  }
  return starts;
}

/** Mean of gamma^(T-1) over successful episodes of length T (reward 1 only on the goal step), 0 for the rest. */
export function discountedReturn(r: RolloutResult, gamma: number): number {
  const values = r.lengths.map((len, i) => (r.successes[i] ? Math.pow(gamma, len - 1) : 0));
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

export interface SweepOptions {
  impl: Impl;
  dataset: Dataset;
  datasetName: string;
  layout: MazeLayout;
  grid: SweepGrid;
  /** Called after every run. */
  onRow?: (row: SweepRow, index: number, total: number) => void;
}

/** One run of the grid. Seeds follow `npm run train` (trainer and final roll-outs draw the same streams). */
export function sweepRun(o: SweepOptions, tau: number, alpha: number, seed: number): SweepRow {
  const cfg = trainConfig('iql', { tau, alpha, steps: o.grid.steps });
  const rng = new Rng(seed);
  const t0 = Date.now();
  const trainer = makeTrainer('iql', o.impl, o.dataset, cfg, rng.fork('trainer'));
  try {
    for (let step = 1; step <= cfg.steps; step++) trainer.step();
    const t1 = Date.now();
    const nets = trainer.nets;
    if (!nets?.critics) throw new Error('the IQL trainer exposes no critics');
    const fqe = runFqe(o.impl, o.dataset, nets.policy, o.grid.fqe, rng.fork('fqe'));
    const heuristic = heuristicScore(o.impl, o.dataset, nets.critics[0], nets.critics[1], nets.policy);
    const t2 = Date.now();
    const evalRng = rng.fork('evaluation');
    const final = rollout(o.layout, trainer.act, o.grid.episodes, evalRng.fork('final'), { trajectories: false });
    const starts = episodeStarts(o.dataset);
    const fromData = rollout(o.layout, trainer.act, starts.length, evalRng.fork('dataset-starts'), { trajectories: false, starts });
    const t3 = Date.now();
    return {
      tau,
      alpha,
      seed,
      fqe: fqe.estimate,
      heuristic,
      success: final.successRate,
      meanReturn: final.meanReturn,
      discountedReturn: discountedReturn(final, cfg.gamma),
      datasetStartReturn: discountedReturn(fromData, cfg.gamma),
      seconds: { train: (t1 - t0) / 1000, fqe: (t2 - t1) / 1000, rollouts: (t3 - t2) / 1000 },
    };
  } finally {
    trainer.dispose();
  }
}

/** Every run of the grid, tau-major, then alpha, then seed. */
export function runSweep(o: SweepOptions): SweepResult {
  const rows: SweepRow[] = [];
  const total = o.grid.taus.length * o.grid.alphas.length * o.grid.seeds.length;
  for (const tau of o.grid.taus) {
    for (const alpha of o.grid.alphas) {
      for (const seed of o.grid.seeds) {
        const row = sweepRun(o, tau, alpha, seed);
        rows.push(row);
        o.onRow?.(row, rows.length, total);
      }
    }
  }
  return { algo: 'iql', dataset: o.datasetName, backend: backendName(), gamma: o.grid.fqe.gamma, grid: o.grid, rows };
}
