// A whole training run: train, evaluate periodically for the learning curve, evaluate at the end.
import { Dataset } from '../data/dataset';
import { MazeLayout } from '../maze/layouts';
import { rollout, RolloutResult } from '../maze/rollout';
import { backendName } from '../runtime/backend';
import { Rng } from '../runtime/rng';
import { TrainConfig } from './config';
import { Impl } from './impl';
import { AlgoName, makeTrainer, type Trainer } from './trainers';

export interface CurvePoint {
  step: number;
  successRate: number;
  losses: Record<string, number>;
}

export interface RunResult {
  algo: AlgoName;
  seed: number;
  backend: string;
  steps: number;
  seconds: number;
  successRate: number;
  meanReturn: number;
  curve: CurvePoint[];
  final: RolloutResult;
  config: TrainConfig;
}

export interface RunOptions {
  algo: AlgoName;
  impl: Impl;
  dataset: Dataset;
  layout: MazeLayout;
  config: TrainConfig;
  seed: number;
  /** Called after every step with the step number (1-based), its losses and the trainer's networks. */
  onStep?: (step: number, losses: Record<string, number>, nets: Trainer['nets']) => void;
}

/** Mean of each loss over a window of steps. */
function meanLosses(window: Array<Record<string, number>>): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const losses of window) for (const [k, v] of Object.entries(losses)) sums[k] = (sums[k] ?? 0) + v;
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(1, window.length)]));
}

export function runTraining(opts: RunOptions): RunResult {
  const { config: cfg, seed } = opts;
  const rng = new Rng(seed);
  const started = Date.now();
  const trainer = makeTrainer(opts.algo, opts.impl, opts.dataset, cfg, rng.fork('trainer'));
  const evalRng = rng.fork('evaluation');
  const curve: CurvePoint[] = [];
  let window: Array<Record<string, number>> = [];
  try {
    for (let step = 1; step <= cfg.steps; step++) {
      const losses = trainer.step();
      window.push(losses);
      opts.onStep?.(step, losses, trainer.nets);
      if (step % cfg.evalEvery === 0 || step === cfg.steps) {
        const point = rollout(opts.layout, trainer.act, cfg.curveEpisodes, evalRng.fork(`curve-${step}`));
        curve.push({ step, successRate: point.successRate, losses: meanLosses(window) });
        window = [];
      }
    }
    const final = rollout(opts.layout, trainer.act, cfg.evalEpisodes, evalRng.fork('final'));
    return {
      algo: opts.algo,
      seed,
      backend: backendName(),
      steps: cfg.steps,
      seconds: (Date.now() - started) / 1000,
      successRate: final.successRate,
      meanReturn: final.meanReturn,
      curve,
      final,
      config: cfg,
    };
  } finally {
    trainer.dispose();
  }
}
