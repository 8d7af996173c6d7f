// Files a training run writes: metrics.json, learning-curve.svg, trajectories.svg.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MazeLayout } from '../maze/layouts';
import { renderSvg } from '../maze/render-svg';
import { renderLearningCurveSvg } from '../plots/learning-curve';
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

/** Success rate and each loss against steps, one series per quantity. */
export async function learningCurveSvg(result: RunResult, title: string): Promise<string> {
  const series = [{ name: 'success rate', points: result.curve.map((p) => ({ step: p.step, value: p.successRate })) }];
  const lossNames = [...new Set(result.curve.flatMap((p) => Object.keys(p.losses)))];
  for (const name of lossNames) series.push({ name, points: result.curve.map((p) => ({ step: p.step, value: p.losses[name] })) });
  return renderLearningCurveSvg(series, { title, yLabel: 'value', xLabel: 'gradient step' });
}

/** Writes the three files into `dir` (created if needed) and returns their paths. */
export async function writeRunOutputs(dir: string, result: RunResult, layout: MazeLayout, dataset: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const title = `${result.algo} on ${dataset}, seed ${result.seed}`;
  const files = {
    metrics: path.join(dir, 'metrics.json'),
    curve: path.join(dir, 'learning-curve.svg'),
    maze: path.join(dir, 'trajectories.svg'),
  };
  fs.writeFileSync(files.metrics, JSON.stringify(runMetrics(result, dataset), null, 2) + '\n');
  fs.writeFileSync(files.curve, await learningCurveSvg(result, title));
  fs.writeFileSync(files.maze, renderSvg(layout, result.final.trajectories, { title: `${title}: success ${result.successRate.toFixed(2)}` }));
  return Object.values(files);
}
