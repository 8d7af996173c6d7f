// Files a training run writes: metrics.json, learning-curve.svg, trajectories.svg.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MazeLayout } from '../maze/layouts';
import { renderSvg } from '../maze/render-svg';
import type { CurvePoint } from '../plots/learning-curve';
import { renderTrainingCurveSvg, trainingPanels } from '../plots/training-curve';
import { RunResult } from './run';

/** The metrics file: snake_case keys, as the Python versions of the homework write them. */
export function runMetrics(result: RunResult, dataset: string): Record<string, unknown> {
  return {
    algo: result.algo,
    dataset,
    seed: result.seed,
    success_rate: result.successRate,
    mean_return: result.meanReturn,
    mean_length: result.final.meanLength,
    eval_episodes: result.config.evalEpisodes,
    steps: result.steps,
    seconds: Number(result.seconds.toFixed(2)),
    backend: result.backend,
    hyperparameters: result.config,
    curve: result.curve.map((p) => ({ step: p.step, success_rate: p.successRate, ...p.losses })),
  };
}

/**
 * The learning curve's panels: the success rate at each evaluation, then each loss, from `losses`
 * (finer steps, a LossTrace's points) when given, else from the evaluations' windows.
 */
export function runPanels(result: RunResult, losses?: Record<string, CurvePoint[]>) {
  const fromCurve: Record<string, CurvePoint[]> = {};
  for (const name of new Set(result.curve.flatMap((p) => Object.keys(p.losses)))) fromCurve[name] = result.curve.map((p) => ({ step: p.step, value: p.losses[name] }));
  return trainingPanels(result.curve.map((p) => ({ step: p.step, value: p.successRate })), losses ?? fromCurve);
}

/** Success rate and each loss against steps, each on a panel of its own. */
export async function learningCurveSvg(result: RunResult, title: string, losses?: Record<string, CurvePoint[]>): Promise<string> {
  return renderTrainingCurveSvg(runPanels(result, losses), { title });
}

/** Writes the three files into `dir` (created if needed) and returns their paths; `losses` as in runPanels. */
export async function writeRunOutputs(dir: string, result: RunResult, layout: MazeLayout, dataset: string, losses?: Record<string, CurvePoint[]>): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const title = `${result.algo} on ${dataset}, seed ${result.seed}`;
  const files = {
    metrics: path.join(dir, 'metrics.json'),
    curve: path.join(dir, 'learning-curve.svg'),
    maze: path.join(dir, 'trajectories.svg'),
  };
  fs.writeFileSync(files.metrics, JSON.stringify(runMetrics(result, dataset), null, 2) + '\n');
  fs.writeFileSync(files.curve, await learningCurveSvg(result, title, losses));
  fs.writeFileSync(files.maze, renderSvg(layout, result.final.trajectories, { title: `${title}: success ${result.successRate.toFixed(2)}` }));
  return Object.values(files);
}
