// `npm run train -- --algo iql --dataset stitch --seed 0 [--out DIR] [--impl DIR]`
//
// Trains one agent with the student's functions (or the reference with --impl solutions),
// shows a progress bar, evaluates in the maze, and writes to the out folder:
//   metrics.json          success rate, steps, seconds, backend, hyper-parameters, curve
//   learning-curve.svg    success rate and losses against steps
//   trajectories.svg      the final evaluation roll-outs drawn on the maze
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { initBackend } from '../runtime/backend';
import { trainConfig, TrainConfig } from './config';
import { loadImpl } from './impl';
import { ALL_ALGORITHMS, AlgoName } from './trainers';
import { CQL_MODULES, CQL_SOLUTIONS } from './cql';
import { runTraining } from './run';
import { writeRunOutputs } from './outputs';
import { LossTrace } from '../plots/loss-trace';
import { openDataset } from './datasets';
import { renderText } from '../maze/render-text';

const DEFAULT_IMPL = process.env.RLHW_IMPL ?? path.resolve(__dirname, '../../solutions');
/** cql is the CQL homework's: its student file and reference live in assignments/cql/. */
const isCql = (algo: AlgoName) => algo === 'cql';
/** The CQL homework's handout holds cql.ts only: there, plain `npm run train` trains CQL. */
const defaultAlgo = (impl: string | undefined): AlgoName =>
  impl !== undefined && fs.existsSync(path.join(impl, 'cql.ts')) && !fs.existsSync(path.join(impl, 'iql.ts')) ? 'cql' : 'iql';

function parseIntArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`expected a non-negative integer, got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('train')
    .description('Train an offline RL agent on a bundled maze dataset and evaluate it.')
    .addOption(new Option('--algo <name>', 'algorithm (default: iql; cql when the --impl folder holds cql.ts and no iql.ts)').choices(ALL_ALGORITHMS as unknown as string[]))
    .option('--dataset <name>', 'dataset name from fixtures/datasets/manifest.json, or a path to an .npz/.hdf5 file', 'stitch')
    .option('--seed <n>', 'random seed', parseIntArg, 0)
    .option('--out <dir>', 'output folder (default runs/ALGO-DATASET-sSEED)')
    .option('--impl <dir>', 'folder with the student files (returns.ts, iql.ts, ...; cql.ts for cql) (default: solutions/; for cql assignments/cql/solutions/)')
    .option('--steps <n>', 'override the number of gradient steps', parseIntArg)
    .option('--episodes <n>', 'override the number of final evaluation episodes', parseIntArg)
    .option('--layout <name>', 'maze layout, for a dataset file that is not in the manifest')
    .option('--no-progress', 'no progress bar');
  program.parse();
  const o = program.opts<{ algo?: AlgoName; dataset: string; seed: number; out?: string; impl?: string; steps?: number; episodes?: number; layout?: string; progress: boolean }>();
  const algo = o.algo ?? defaultAlgo(o.impl);

  await initBackend();
  const { dataset, layout, name } = await openDataset(o.dataset, o.layout);
  const overrides: Partial<TrainConfig> = {};
  if (o.steps !== undefined) overrides.steps = o.steps;
  if (o.episodes !== undefined) overrides.evalEpisodes = o.episodes;
  const config = trainConfig(algo, overrides);
  const impl = isCql(algo) ? loadImpl(o.impl ?? CQL_SOLUTIONS, CQL_MODULES) : loadImpl(o.impl ?? DEFAULT_IMPL);
  const out = o.out ?? path.join('runs', `${algo}-${name}-s${o.seed}`);

  const bar = new SingleBar(
    { format: `${algo} on ${name} |{bar}| {value}/{total} steps | {rate} steps/s | {losses}`, hideCursor: true, noTTYOutput: false, stream: process.stderr },
    Presets.shades_classic,
  );
  const showBar = o.progress && process.stderr.isTTY === true;
  const started = Date.now();
  if (showBar) bar.start(config.steps, 0, { rate: '-', losses: '' });
  const lossTrace = new LossTrace(); // the learning curve's losses, every 50 steps
  const result = runTraining({
    algo: algo,
    impl,
    dataset,
    layout,
    config,
    seed: o.seed,
    onStep: (step, losses) => {
      lossTrace.record(step, losses);
      if (!showBar || (step % 25 !== 0 && step !== config.steps)) return;
      const rate = (step / ((Date.now() - started) / 1000)).toFixed(0);
      const text = Object.entries(losses).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ');
      bar.update(step, { rate, losses: text });
    },
  });
  if (showBar) bar.stop();

  const files = await writeRunOutputs(out, result, layout, name, lossTrace.finish());
  process.stdout.write(renderText(layout, result.final.trajectories.slice(0, 5)) + '\n');
  process.stdout.write(
    `${algo} on ${name}, seed ${o.seed}: success rate ${result.successRate.toFixed(2)} over ${config.evalEpisodes} episodes, ` +
      `${result.steps} steps in ${result.seconds.toFixed(1)} s (${result.backend})\n`,
  );
  for (const f of files) process.stdout.write(`wrote ${f}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`train: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
});
