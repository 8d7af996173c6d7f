// SVG plots. vega is ESM-only with top-level await, which Jest's CommonJS sandbox cannot import
// (no --experimental-vm-modules here), so rendering runs in a child process under tsx, the way the
// kit's scripts run. The specs and the input checks need no vega and are tested in-process.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { learningCurveSpec, renderLearningCurveSvg } from '../../provided/plots/learning-curve';
import { scatterSpec } from '../../provided/plots/scatter';
import { PlotRuntimeError } from '../../provided/plots/vega-svg';

const root = path.resolve(__dirname, '../..');
const plots = path.join(root, 'provided/plots');

/** Runs a TypeScript snippet with tsx and returns what it printed as JSON. */
function runTsx(body: string): unknown {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-plot-'));
  try {
    const script = path.join(dir, 'render.ts');
    fs.writeFileSync(script, body);
    const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [script], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`tsx exited ${run.status}: ${run.stderr}`);
    return JSON.parse(run.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const SERIES = [
  { name: 'IQL', points: [{ step: 0, value: 1 }, { step: 500, value: 2.5 }, { step: 1000, value: 3 }] },
  { name: 'AWR', points: [{ step: 0, value: 0.5 }, { step: 1000, value: 1.5 }] },
  { name: 'BC', points: [{ step: 0, value: 0.2 }, { step: 1000, value: 0.9 }] },
];

describe('rendered with vega under tsx', () => {
  let out: { curve: string; scatter: string };
  beforeAll(() => {
    out = runTsx(`
      import { renderLearningCurveSvg } from ${JSON.stringify(path.join(plots, 'learning-curve'))};
      import { renderScatterSvg } from ${JSON.stringify(path.join(plots, 'scatter'))};
      (async () => {
        const curve = await renderLearningCurveSvg(${JSON.stringify(SERIES)}, { title: 'Normalised return on maze-medium', yLabel: 'return' });
        const scatter = await renderScatterSvg(
          [{ x: 1, y: 2, label: 'IQL tau=0.7' }, { x: 3, y: 1, label: 'AWR <alpha=1>' }],
          { title: 'Return vs data size', xLabel: 'episodes', yLabel: 'return' },
        );
        process.stdout.write(JSON.stringify({ curve, scatter }));
      })();
    `) as { curve: string; scatter: string };
  });

  test('the learning curve is an SVG with the title, the axis labels and one line path per series', () => {
    expect(out.curve.startsWith('<svg')).toBe(true);
    expect(out.curve).toContain('Normalised return on maze-medium');
    expect(out.curve).toContain('>return<');
    expect(out.curve).toContain('>step<'); // the default x label
    expect(out.curve.match(/<path[^>]*aria-roledescription="line mark"/g)).toHaveLength(SERIES.length);
    for (const s of SERIES) expect(out.curve).toContain(`>${s.name}<`); // legend entries
  });

  test('the scatter plot has the title, one point per entry and the escaped labels', () => {
    expect(out.scatter.startsWith('<svg')).toBe(true);
    expect(out.scatter).toContain('Return vs data size');
    expect(out.scatter.match(/<path[^>]*aria-roledescription="point"/g)).toHaveLength(2);
    expect(out.scatter).toContain('IQL tau=0.7');
    expect(out.scatter).toContain('AWR &lt;alpha=1&gt;');
  });
});

describe('in Jest itself', () => {
  test('rendering fails with a clear PlotRuntimeError (vega cannot be imported here)', async () => {
    await expect(renderLearningCurveSvg(SERIES, { title: 't', yLabel: 'y' })).rejects.toThrow(PlotRuntimeError);
  });

  test('the learning-curve spec keeps the series order and the labels', () => {
    const spec = learningCurveSpec(SERIES, { title: 't', yLabel: 'return', xLabel: 'gradient steps' }) as unknown as {
      data: { values: unknown[] };
      encoding: { x: { title: string }; color: { scale: { domain: string[] } } };
    };
    expect(spec.data.values).toHaveLength(7);
    expect(spec.encoding.x.title).toBe('gradient steps');
    expect(spec.encoding.color.scale.domain).toEqual(['IQL', 'AWR', 'BC']);
  });

  test.each([
    ['no series', [], /no series to plot/],
    ['a duplicate name', [SERIES[0], SERIES[0]], /series name 'IQL' is used twice/],
    ['a NaN value', [{ name: 'x', points: [{ step: 0, value: NaN }] }], /series 'x' point 0 value: NaN is not a finite number/],
  ])('the learning curve rejects %s', (_name, series, message) => {
    expect(() => learningCurveSpec(series, { title: 't', yLabel: 'y' })).toThrow(message);
  });

  test('the scatter plot rejects no points and infinite coordinates', () => {
    expect(() => scatterSpec([], { title: 't', xLabel: 'x', yLabel: 'y' })).toThrow(/no points to plot/);
    expect(() => scatterSpec([{ x: Infinity, y: 0, label: 'a' }], { title: 't', xLabel: 'x', yLabel: 'y' })).toThrow(/point 0 \('a'\) x: Infinity/);
  });
});
