// The CQL trainer (provided/train/cql.ts) with the CQL homework's reference: its settings file, no
// tensor leak, bit-identical runs for a seed, a short run that learns, and `npm run train -- --algo cql`.
// The 5-seed result on `stitch` (CQL >= 0.8 where BC <= 0.3) is in docs/results.md; a whole run takes
// ~15-30 s, too long for this file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { GENERATORS, DEFAULT_DATASET_SEED } from '../../provided/maze/generators';
import { getLayout } from '../../provided/maze/layouts';
import { CQL_TRAINING_FILE, TRAINING_FILE, trainConfig, trainingFileOf } from '../../provided/train/config';
import { CQL_MODULES, CQL_SOLUTIONS } from '../../provided/train/cql';
import { loadImpl } from '../../provided/train/impl';
import { makeTrainer } from '../../provided/train/trainers';
import { runTraining } from '../../provided/train/run';

const ROOT = path.resolve(__dirname, '../..');
const impl = loadImpl(CQL_SOLUTIONS, CQL_MODULES);
const corridor = GENERATORS['corridor-expert'];
const dataset = corridor.generate(DEFAULT_DATASET_SEED);
const small = { hidden: [16, 16], batchSize: 32, cqlActions: 3, bcSteps: 10 };
const ctx = (n: number) => ({ step: 0, episodes: Int32Array.from({ length: n }, (_, i) => i), returns: new Float32Array(n) });

beforeAll(async () => {
  await initBackend();
});

test('cql reads assignments/cql/training.yaml; the other algorithms keep theirs', () => {
  expect(trainingFileOf('cql')).toBe(CQL_TRAINING_FILE);
  expect(trainingFileOf('iql')).toBe(TRAINING_FILE);
  expect(trainConfig('cql')).toMatchObject({ alpha: 0.3, beta: 0, cqlActions: 10, bcSteps: 1000, rewardBias: -1, rho: 0.05, gamma: 0.95 });
  expect(trainConfig('iql')).toMatchObject({ alpha: 0.03, rho: 0.02, rewardBias: 0, bcSteps: 0 });
  expect(() => makeTrainer('cql', loadImpl(path.join(ROOT, 'solutions')), dataset, trainConfig('cql', small), new Rng(1))).toThrow(/CQL homework's cql\.ts/);
});

test('tf.memory().numTensors is flat across warm-up and CQL updates, and act() leaks nothing', () => {
  const trainer = makeTrainer('cql', impl, dataset, trainConfig('cql', small), new Rng(1));
  try {
    trainer.step(); // creates the optimizers' slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) trainer.step(); // 9 warm-up updates, then CQL
    trainer.act(new Float32Array([0.1, 0.1, 0.5, 0.1]), 2, ctx(2));
    expect(tf.memory().numTensors).toBe(before);
  } finally {
    trainer.dispose();
  }
});

test('two runs with the same seed give bit-identical losses and actions; another seed differs', () => {
  const run = (seed: number) => {
    const trainer = makeTrainer('cql', impl, dataset, trainConfig('cql', small), new Rng(seed));
    try {
      const losses = Array.from({ length: 20 }, () => Object.values(trainer.step())).flat();
      return [...losses, ...trainer.act(new Float32Array([0.1, 0.1]), 1, ctx(1))];
    } finally {
      trainer.dispose();
    }
  };
  const a = run(4);
  expect(a.every(Number.isFinite)).toBe(true);
  expect(run(4)).toEqual(a);
  expect(run(5)).not.toEqual(a);
});

test('a short CQL run on the corridor reaches the goal', () => {
  const cfg = trainConfig('cql', { ...small, steps: 300, bcSteps: 150, evalEvery: 150, curveEpisodes: 5, evalEpisodes: 20 });
  const result = runTraining({ algo: 'cql', impl, dataset, layout: getLayout(corridor.layout), config: cfg, seed: 0 });
  expect(result.curve.map((p) => p.step)).toEqual([150, 300]);
  expect(Object.keys(result.curve[0].losses).sort()).toEqual(['criticLoss', 'policyLoss']);
  expect(result.successRate).toBeGreaterThanOrEqual(0.9);
});

test('npm run train -- --algo cql loads the CQL reference and writes metrics.json', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-train-cql-'));
  try {
    const res = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['provided/train/cli.ts', '--algo', 'cql', '--dataset', 'corridor-expert', '--seed', '3', '--steps', '30', '--episodes', '5', '--out', out],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RLHW_QUIET: '1' }, timeout: 120000 },
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/cql on corridor-expert, seed 3: success rate \d\.\d\d over 5 episodes, 30 steps/);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ algo: 'cql', steps: 30 });
    expect(metrics.hyperparameters).toMatchObject({ alpha: 0.3, bcSteps: 1000, rewardBias: -1 });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
