// `npm run sweep`: rank correlation, the report built from a sweep's rows, the docs block, the truth
// helpers, and the command end to end on a tiny grid (a child tsx process: vega cannot load in Jest).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DatasetBuilder } from '../../provided/data/dataset';
import { replaceBlock } from '../../provided/sweep/cli';
import { ranks, spearman } from '../../provided/sweep/rank';
import { correlations, picks, sweepMarkdown } from '../../provided/sweep/report';
import { defaultGrid, discountedReturn, episodeStarts, SweepResult, SweepRow } from '../../provided/sweep/run';
import type { RolloutResult } from '../../provided/maze/rollout';

const ROOT = path.resolve(__dirname, '../..');

describe('Spearman rank correlation', () => {
  test('ranks: ties share the mean of their ranks', () => {
    expect(ranks([10, 30, 20, 30])).toEqual([1, 3.5, 2, 3.5]);
  });

  test('same order 1, reversed -1, a monotone transform changes nothing, a known value with ties', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([0.1, 0.5, 0.2, 0.9], [1, 25, 4, 81])).toBeCloseTo(1, 12);
    // ranks x = [1, 2, 3, 4], y = [1, 2.5, 2.5, 4]: Pearson = 4.5 / sqrt(5 * 4.5) = 0.948683
    expect(spearman([1, 2, 3, 4], [0, 1, 1, 2])).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 12);
    // x = [1, 2, 3], y = [2, 3, 1]: ranks differ by d = [1, 1, 2] -> 1 - 6 * 6 / (3 * 8) = -0.5
    expect(spearman([1, 2, 3], [2, 3, 1])).toBeCloseTo(-0.5, 12);
  });

  test('undefined (NaN) for a constant column, a single pair or a non-finite value', () => {
    expect(spearman([1, 2, 3], [1, 1, 1])).toBeNaN();
    expect(spearman([1], [2])).toBeNaN();
    expect(spearman([1, NaN, 3], [1, 2, 3])).toBeNaN();
  });
});

describe('the truth helpers', () => {
  test('episodeStarts: the first observation of every episode (terminal or timeout ends one; a trailing run counts)', () => {
    const b = new DatasetBuilder(2, 2);
    b.add([0, 0], [0, 0], 0, [1, 1], false, false);
    b.add([1, 1], [0, 0], 1, [2, 2], true, false);
    b.add([5, 5], [0, 0], 0, [6, 6], false, true);
    b.add([7, 7], [0, 0], 0, [8, 8], false, false);
    b.add([8, 8], [0, 0], 0, [9, 9], false, false);
    expect(episodeStarts(b.build())).toEqual([[0, 0], [5, 5], [7, 7]]);
  });

  test('discountedReturn: gamma^(T - 1) for an episode that reaches the goal on step T, 0 otherwise', () => {
    const r = { lengths: [1, 3, 50], successes: [true, true, false] } as unknown as RolloutResult;
    expect(discountedReturn(r, 0.9)).toBeCloseTo((1 + 0.81 + 0) / 3, 12);
  });
});

describe('the report of a sweep', () => {
  const row = (tau: number, alpha: number, fqe: number, heuristic: number, truth: number, success: number): SweepRow => ({
    tau, alpha, seed: 0, fqe, heuristic, success, meanReturn: success, discountedReturn: truth, datasetStartReturn: truth + 0.1, seconds: { train: 1, fqe: 1, rollouts: 1 },
  });
  const result: SweepResult = {
    algo: 'iql', dataset: 'toy', backend: 'cpu', gamma: 0.95, grid: { ...defaultGrid(), taus: [0.5, 0.9], alphas: [0.1, 1] },
    rows: [row(0.5, 0.1, 0.6, 0.1, 0.5, 1), row(0.5, 1, 0.1, 0.2, 0.05, 0.1), row(0.9, 0.1, 0.9, 0.7, 0, 0), row(0.9, 1, 0.3, 0.6, 0.2, 0.5)],
  };

  test('correlations of each score with each truth; null where a column is constant', () => {
    const c = correlations(result);
    expect(c.find((x) => x.score === 'fqe' && x.truth === 'discountedReturn')!.spearman).toBeCloseTo(-0.2, 4);
    expect(c.find((x) => x.score === 'heuristic' && x.truth === 'discountedReturn')!.spearman).toBeCloseTo(-0.8, 4);
    const flat = { ...result, rows: result.rows.map((r) => ({ ...r, success: 1 })) };
    expect(correlations(flat).find((x) => x.score === 'fqe' && x.truth === 'success')!.spearman).toBeNull();
  });

  test('each score picks its highest run; the pick is compared with the best true return', () => {
    expect(picks(result)).toEqual([
      { score: 'fqe', tau: 0.9, alpha: 0.1, seed: 0, trueReturn: 0, bestTrueReturn: 0.5 },
      { score: 'heuristic', tau: 0.9, alpha: 0.1, seed: 0, trueReturn: 0, bestTrueReturn: 0.5 },
    ]);
  });

  test('the Markdown block: one table row per run, the correlations, the picks, the plot', () => {
    const md = sweepMarkdown(result, 'plot.svg');
    expect(md).toMatch(/^### IQL on `toy`\n/);
    expect(md).toContain('| 0.9 | 0.1 | 0 | 0.900 | 0.700 | 0.00 | 0.00 | 0.000 | 0.100 | 3.0 |');
    expect(md).toContain('| FQE estimate | -0.20 |');
    expect(md).toContain('- FQE estimate: tau 0.9, alpha 0.1, true discounted return 0.000 (best of the sweep 0.500).');
    expect(md).toContain('](plot.svg)');
  });

  test('replaceBlock: replaces the marked block in place, or appends it', () => {
    const text = 'intro\n<!-- sweep:iql:toy -->\nold\n<!-- /sweep:iql:toy -->\nafter\n';
    expect(replaceBlock(text, 'iql:toy', 'new\n')).toBe('intro\n<!-- sweep:iql:toy -->\nnew\n<!-- /sweep:iql:toy -->\nafter\n');
    expect(replaceBlock('intro\n', 'iql:other', 'x')).toBe('intro\n\n<!-- sweep:iql:other -->\nx\n<!-- /sweep:iql:other -->\n');
  });
});

test('npm run sweep on a tiny grid writes the table, the JSON, two scatter plots and the docs block', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-sweep-'));
  try {
    const docs = path.join(out, 'results.md');
    fs.writeFileSync(docs, '# Results\n\n<!-- sweep:iql:corridor-expert -->\n<!-- /sweep:iql:corridor-expert -->\n\nafter\n');
    const args = ['provided/sweep/cli.ts', '--algo', 'iql', '--dataset', 'corridor-expert', '--taus', '0.7', '--alphas', '0.1,1', '--steps', '20', '--fqe-steps', '10', '--episodes', '2', '--out', out, '--docs', docs];
    const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RLHW_QUIET: '1' }, timeout: 120000 });
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/\[2\/2\] tau 0\.7 alpha 1 seed 0: FQE -?[\d.]+, heuristic -?[\d.]+, success [\d.]+, discounted return [\d.]+/);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8'));
    expect(json).toMatchObject({ algo: 'iql', dataset: 'corridor-expert', grid: { taus: [0.7], alphas: [0.1, 1], steps: 20, episodes: 2, fqe: { steps: 10 } } });
    expect(json.rows).toHaveLength(2);
    for (const r of json.rows) for (const k of ['fqe', 'heuristic', 'success', 'meanReturn', 'discountedReturn', 'datasetStartReturn']) expect(Number.isFinite(r[k])).toBe(true);
    expect(json.correlations).toHaveLength(6);
    expect(json.picks).toHaveLength(2);
    expect(fs.readFileSync(path.join(out, 'sweep.md'), 'utf8')).toMatch(/^### IQL on `corridor-expert`[\s\S]*\| 0\.7 \| 1 \| 0 \|/);
    for (const svg of ['fqe-vs-return.svg', 'heuristic-vs-return.svg', 'sweep-iql-corridor-expert.svg']) expect(fs.readFileSync(path.join(out, svg), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const updated = fs.readFileSync(docs, 'utf8');
    expect(updated).toMatch(/^# Results\n\n<!-- sweep:iql:corridor-expert -->\n### IQL on `corridor-expert`[\s\S]*\]\(sweep-iql-corridor-expert\.svg\)\n<!-- \/sweep:iql:corridor-expert -->\n\nafter\n$/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('sweep refuses a bad grid with a one-line error', () => {
  const res = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['provided/sweep/cli.ts', '--taus', '0.7,x'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RLHW_QUIET: '1' }, timeout: 60000 });
  expect(res.status).toBe(1);
  expect(res.stderr.trim()).toBe("sweep: --taus: expected a comma-separated list of positive numbers, got '0.7,x'");
});
