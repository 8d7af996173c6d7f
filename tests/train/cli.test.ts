// `npm run train` end to end (reduced budget): progress, metrics.json and the two SVGs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '../..');

test('train writes metrics.json with the required fields, a learning curve and a trajectory picture', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-train-'));
  try {
    const res = spawnSync(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['provided/train/cli.ts', '--algo', 'iql', '--dataset', 'corridor-expert', '--seed', '3', '--steps', '60', '--episodes', '5', '--out', out],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RLHW_QUIET: '1' }, timeout: 120000 },
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/iql on corridor-expert, seed 3: success rate \d\.\d\d over 5 episodes, 60 steps/);
    const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ algo: 'iql', dataset: 'corridor-expert', seed: 3, steps: 60, backend: process.env.RLHW_BACKEND, eval_episodes: 5 });
    expect(metrics.success_rate).toBeGreaterThanOrEqual(0);
    expect(metrics.success_rate).toBeLessThanOrEqual(1);
    expect(metrics.seconds).toBeGreaterThan(0);
    expect(metrics.hyperparameters).toMatchObject({ tau: 0.9, alpha: 0.03, wMax: 100, gamma: 0.95, steps: 60 });
    expect(metrics.curve.at(-1)).toMatchObject({ step: 60 });
    for (const svg of ['learning-curve.svg', 'trajectories.svg']) expect(fs.readFileSync(path.join(out, svg), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
