// The lecture's claim on one seed at the assignment's budget (docs/results.md has 5 seeds):
// IQL stitches the `stitch` data into start -> goal; plain BC does not. Reliable: over seeds
// 0-4 IQL scored 1.00 every time and BC at most 0.18 (limits: >= 0.8 and <= 0.3).
import * as path from 'node:path';
import { initBackend } from '../../provided/runtime/backend';
import { trainConfig } from '../../provided/train/config';
import { openDataset } from '../../provided/train/datasets';
import { loadImpl } from '../../provided/train/impl';
import { runTraining } from '../../provided/train/run';

const impl = loadImpl(path.resolve(__dirname, '../../solutions'));

beforeAll(async () => {
  await initBackend();
});

test('on stitch, IQL reaches the goal from the start (>= 0.8) and BC mostly does not (<= 0.3)', async () => {
  const { dataset, layout } = await openDataset('stitch');
  const run = (algo: 'iql' | 'bc') => runTraining({ algo, impl, dataset, layout, config: trainConfig(algo, { evalEvery: 100000 }), seed: 0 }).successRate;
  expect(run('iql')).toBeGreaterThanOrEqual(0.8);
  expect(run('bc')).toBeLessThanOrEqual(0.3);
}, 900000);
