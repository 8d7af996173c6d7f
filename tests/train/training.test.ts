// The provided training loop: no tensor leaks, bit-identical runs for a seed, and every
// algorithm trains with the reference functions.
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { GENERATORS, DEFAULT_DATASET_SEED } from '../../provided/maze/generators';
import { getLayout } from '../../provided/maze/layouts';
import { trainConfig } from '../../provided/train/config';
import { loadImpl } from '../../provided/train/impl';
import { ALGORITHMS, makeTrainer } from '../../provided/train/trainers';
import { runTraining } from '../../provided/train/run';
import { loadNamedDataset, readManifest } from '../../provided/data/manifest';

const impl = loadImpl(path.resolve(__dirname, '../../solutions'));
const corridor = GENERATORS['corridor-expert'];
const dataset = corridor.generate(DEFAULT_DATASET_SEED);
const small = { hidden: [16, 16], batchSize: 32 };

beforeAll(async () => {
  await initBackend();
});

describe.each(ALGORITHMS)('%s trainer', (algo) => {
  test('tf.memory().numTensors is flat across 100 training steps and act() leaks nothing', () => {
    const trainer = makeTrainer(algo, impl, dataset, trainConfig(algo, small), new Rng(1));
    try {
      trainer.step(); // creates the optimizer's slots
      const before = tf.memory().numTensors;
      for (let i = 0; i < 100; i++) trainer.step();
      trainer.act(new Float32Array([0.1, 0.1, 0.5, 0.1]), 2, { step: 0, episodes: Int32Array.from([0, 1]), returns: new Float32Array(2) });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      trainer.dispose();
    }
  });

  test('two runs with the same seed give bit-identical losses and actions; another seed differs', () => {
    const losses = (seed: number) => {
      const trainer = makeTrainer(algo, impl, dataset, trainConfig(algo, small), new Rng(seed));
      try {
        const out = Array.from({ length: 20 }, () => Object.values(trainer.step())).flat();
        const acts = trainer.act(new Float32Array([0.1, 0.1]), 1, { step: 0, episodes: Int32Array.from([0]), returns: new Float32Array(1) });
        return [...out, ...acts];
      } finally {
        trainer.dispose();
      }
    };
    const a = losses(4);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(losses(4)).toEqual(a);
    expect(losses(5)).not.toEqual(a);
  });
});

test('a short BC run on the corridor learns to reach the goal and reports its curve', () => {
  const cfg = trainConfig('bc', { ...small, steps: 300, evalEvery: 100, curveEpisodes: 5, evalEpisodes: 20 });
  const result = runTraining({ algo: 'bc', impl, dataset, layout: getLayout(corridor.layout), config: cfg, seed: 0 });
  expect(result.curve.map((p) => p.step)).toEqual([100, 200, 300]);
  expect(result.successRate).toBeGreaterThanOrEqual(0.9);
  expect(result.final.trajectories).toHaveLength(20);
  expect(result.backend).toBe(process.env.RLHW_BACKEND);
});

test('BC on the bundled expert dataset reaches a success rate of at least 0.9 on the stitching layout', () => {
  const expert = loadNamedDataset('expert');
  const layout = getLayout(readManifest().datasets.expert.layout);
  expect(layout.name).toBe('umaze');
  const result = runTraining({ algo: 'bc', impl, dataset: expert, layout, config: trainConfig('bc', { evalEvery: 100000 }), seed: 0 });
  expect(result.successRate).toBeGreaterThanOrEqual(0.9);
}, 600000);
