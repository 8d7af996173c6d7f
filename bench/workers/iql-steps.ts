// One backend, one problem size: IQL update steps per second of the reference solution, run
// through the kit's own trainer (provided/train/trainers.ts -> solutions/iql.ts iqlUpdate).
//
//   tsx bench/workers/iql-steps.ts --backend wasm --obs 2 --act 2 --hidden 64,64 --batch 256 --seconds 2 --runs 5
//
// After untimed warm-up steps, each timed run does as many steps as the warm-up rate fits in
// --seconds (or exactly --steps). Prints one JSON line:
//   { backend, stepsPerSecond: [one figure per run], cpuStepsPerSecond: [the same per CPU second of
//     this process], steps, tensorsAfter, kernels? }.
// The CPU figure moves less than the wall-clock one when other processes share the cores.
// --profile FILE writes a V8 CPU profile of the timed runs only (not start-up); --kernels counts the
// TensorFlow.js kernels one step dispatches, by name; --floor counts them by origin (the kit's code or
// the update the student writes) and measures one kernel's fixed cost (kernel-origins.ts).
// A separate process per backend, because a process picks its TensorFlow.js backend once.
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Command } from 'commander';
import { matrix, type Dataset } from '../../provided/data/dataset';
import { initBackend, type BackendName } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { trainConfig } from '../../provided/train/config';
import { loadImpl } from '../../provided/train/impl';
import { makeTrainer } from '../../provided/train/trainers';
import { countKernels, dispatchMicroseconds } from './kernel-origins';

const int = (v: string): number => Number.parseInt(v, 10);

/** Random transitions: the step's cost does not depend on the values. */
function syntheticDataset(rng: Rng, rows: number, obsDim: number, actDim: number): Dataset {
  const uniform = (n: number, lo: number, hi: number) => Float32Array.from({ length: n }, () => rng.range(lo, hi));
  return {
    observations: matrix(rows, obsDim, uniform(rows * obsDim, -1, 1)),
    actions: matrix(rows, actDim, uniform(rows * actDim, -1, 1)),
    rewards: uniform(rows, 0, 1),
    next_observations: matrix(rows, obsDim, uniform(rows * obsDim, -1, 1)),
    terminals: Float32Array.from({ length: rows }, (_, i) => (i % 100 === 99 ? 1 : 0)),
    timeouts: new Float32Array(rows),
  };
}

async function main(): Promise<void> {
  const o = new Command()
    .requiredOption('--backend <name>')
    .option('--obs <n>', 'observation size', int, 2)
    .option('--act <n>', 'action size', int, 2)
    .option('--hidden <sizes>', 'hidden sizes', '64,64')
    .option('--batch <n>', 'batch size', int, 256)
    .option('--seconds <s>', 'length of a timed run', Number, 2)
    .option('--steps <n>', 'timed steps per run (instead of --seconds)', int)
    .option('--warmup <n>', 'untimed steps first', int, 10)
    .option('--runs <n>', 'timed runs', int, 5)
    .option('--profile <file>', 'write a CPU profile of the timed runs')
    .option('--kernels', 'count the kernels of one step')
    .option('--floor', "count one step's kernels by origin and time a kernel's fixed cost")
    .parse()
    .opts<{ backend: BackendName; obs: number; act: number; hidden: string; batch: number; seconds: number; steps?: number; warmup: number; runs: number; profile?: string; kernels?: boolean; floor?: boolean }>();
  await initBackend(o.backend);
  const hidden = o.hidden.split(',').map(int);
  const studentRoot = fs.realpathSync(path.resolve(__dirname, '../../solutions'));
  const impl = loadImpl(studentRoot);
  const ds = syntheticDataset(new Rng(1), 10_000, o.obs, o.act);
  const cfg = trainConfig('iql', { hidden, batchSize: o.batch });
  const trainer = makeTrainer('iql', impl, ds, cfg, new Rng(0));
  for (let i = 0; i < 3; i++) trainer.step(); // first steps compile kernels
  const w0 = performance.now();
  for (let i = 0; i < o.warmup; i++) trainer.step();
  const warmRate = o.warmup / Math.max(1e-6, (performance.now() - w0) / 1000);
  const steps = o.steps ?? Math.max(3, Math.round(o.seconds * warmRate));
  const rates: number[] = [];
  const cpuRates: number[] = [];
  const session = o.profile ? new Session() : undefined;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session!.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))));
  if (session) {
    session.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
  }
  for (let r = 0; r < o.runs; r++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) trainer.step();
    rates.push(steps / ((performance.now() - t0) / 1000));
    const cpu = process.cpuUsage(cpu0);
    cpuRates.push(steps / ((cpu.user + cpu.system) / 1e6));
  }
  if (session) {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    fs.writeFileSync(o.profile!, JSON.stringify(profile));
    session.disconnect();
  }
  const counted = o.kernels || o.floor ? countKernels(() => void trainer.step(), fs.realpathSync(path.resolve(__dirname, '../..')), studentRoot) : undefined;
  const kernels = o.kernels ? counted!.byName : undefined;
  const floor = o.floor ? { origins: counted!.origins, microsecondsPerKernel: dispatchMicroseconds() } : undefined;
  const tensorsAfter = tf.memory().numTensors;
  trainer.dispose();
  process.stdout.write(JSON.stringify({ backend: o.backend, stepsPerSecond: rates, cpuStepsPerSecond: cpuRates, steps, tensorsAfter, kernels, floor }) + '\n');
}

main().catch((err: Error) => {
  process.stderr.write(`iql-steps: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
});
