// The learning curve of a training run: success rate and each loss on panels of their own, a log
// axis where a loss spans a decade, and losses recorded every 50 steps rather than at the few
// evaluations. Specs are checked in-process; the SVG is rendered under tsx (vega is ESM-only).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LossTrace } from '../../provided/plots/loss-trace';
import { panelScale, trainingCurveSpec, trainingPanels } from '../../provided/plots/training-curve';
import { runPanels } from '../../provided/train/outputs';
import type { RunResult } from '../../provided/train/run';
import { reportedLosses } from '../../provided/plots/run-figures';

const root = path.resolve(__dirname, '../..');
const pts = (values: number[], every = 500) => values.map((value, i) => ({ step: (i + 1) * every, value }));

/** A 2000-step IQL run as runTraining returns it: four evaluations, each with its window's mean losses. */
const RUN = {
  curve: [500, 1000, 1500, 2000].map((step, i) => ({ step, successRate: [0, 0.05, 1, 1][i], losses: { valueLoss: [8e-4, 4e-4, 3e-4, 1e-4][i], policyLoss: [1.5, 1.3, 0.9, 0.7][i], criticLoss: [2e-2, 3e-3, 1e-3, 9e-4][i] } })),
} as unknown as RunResult;

type Panel = { height: number; data: { values: unknown[] }; encoding: { x: { scale: { domain: number[] } }; y: { title: string; scale: { type: string; domain?: number[] } } } };
const panelsOf = (spec: unknown) => (spec as { vconcat: Panel[] }).vconcat;

test('a loss that spans a decade gets a log axis; the success rate and a loss near 1 stay linear', () => {
  expect(panelScale(pts([1e-3, 4e-4, 1e-4]))).toBe('log');
  expect(panelScale(pts([1.5, 0.7]))).toBe('linear');
  expect(panelScale(pts([0.5, -0.2, 0.01]))).toBe('linear'); // a policy loss can be negative
  expect(panelScale(pts([3e-4]))).toBe('linear');
});

test('success rate and every loss are panels of their own, over one step range', () => {
  const panels = panelsOf(trainingCurveSpec(runPanels(RUN), { title: 'IQL' }));
  expect(panels.map((p) => p.encoding.y.title)).toEqual(['success rate', 'value loss', 'policy loss', 'critic loss (log scale)']);
  expect(panels[0].encoding.y.scale.domain).toEqual([0, 1]);
  expect(panels.map((p) => p.encoding.y.scale.type)).toEqual(['linear', 'linear', 'linear', 'log']);
  expect(new Set(panels.map((p) => JSON.stringify(p.encoding.x.scale.domain)))).toEqual(new Set(['[500,2000]']));
});

test('losses recorded every 50 steps give 40 points a loss on a 2000-step run, instead of 4', () => {
  const trace = new LossTrace(50);
  for (let step = 1; step <= 2010; step++) trace.record(step, { valueLoss: 1e-3 / step, policyLoss: step % 2 });
  const points = trace.finish();
  expect(points.valueLoss).toHaveLength(41); // 40 full windows and the last 10 steps
  expect(points.policyLoss[0]).toEqual({ step: 50, value: 0.5 });
  expect(points.policyLoss[40]).toEqual({ step: 2010, value: 0.5 });
  const panels = panelsOf(trainingCurveSpec(runPanels(RUN, points), { title: 'IQL' }));
  expect(panels.map((p) => p.data.values.length)).toEqual([4, 41, 41]);
  expect(panelsOf(trainingCurveSpec(runPanels(RUN), { title: 'IQL' })).map((p) => p.data.values.length)).toEqual([4, 4, 4, 4]);
});

test('a diverged loss drops its non-finite points rather than failing the chart', () => {
  const panels = trainingPanels(pts([0, 1]), { valueLoss: pts([1, NaN, Infinity]), criticLoss: pts([NaN]) });
  expect(panels.map((p) => [p.name, p.points.length])).toEqual([['success rate', 2], ['value loss', 1]]);
});

test("the grader draws the losses a run reported at their own steps when it sent them, else at the evaluations'", () => {
  const loss = (data: number[]) => ({ shape: [data.length], data });
  const fine = reportedLosses({ lossSteps: loss([50, 100, 150]), 'loss:valueLoss': loss([3, 2, 1]), 'loss:criticLoss': loss([5, 4]) }, [100, 200]);
  expect(fine).toEqual({ valueLoss: pts([3, 2, 1], 50), criticLoss: pts([5, 4], 100) });
  expect(reportedLosses({ 'loss:valueLoss': loss([1, 2, 3]) }, [100, 200])).toEqual({});
});

test('rendered, the chart is one SVG with a line per panel and the log axis named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-training-curve-'));
  const script = path.join(dir, 'render.ts');
  fs.writeFileSync(
    script,
    `import { learningCurveSvg } from ${JSON.stringify(path.join(root, 'provided/train/outputs'))};
     learningCurveSvg(${JSON.stringify(RUN)}, 'IQL on stitch').then((svg) => process.stdout.write(svg));`,
  );
  const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [script], { cwd: root, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  expect(run.stderr).toBe('');
  expect(run.stdout.startsWith('<svg')).toBe(true);
  expect(run.stdout.match(/<path[^>]*aria-roledescription="line mark"/g)).toHaveLength(4);
  for (const label of ['IQL on stitch', 'success rate', 'value loss', 'policy loss', 'critic loss (log scale)', 'gradient step', '1e-3']) expect(run.stdout).toContain(`>${label}<`);
});
