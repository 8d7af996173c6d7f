// Learning curves (one line per run or algorithm) as a standalone SVG string.
// Needs a runtime that can `import()` ESM: see vega-svg.ts.
import { renderVegaLiteSvg, requireFinite, type TopLevelSpec } from './vega-svg';

export interface CurvePoint {
  step: number;
  value: number;
}
export interface CurveSeries {
  name: string;
  points: CurvePoint[];
}
export interface LearningCurveOptions {
  title: string;
  yLabel: string;
  /** Defaults to "step". */
  xLabel?: string;
  /** Pixel size of the plotting area; defaults 560 x 320. */
  width?: number;
  height?: number;
}

/** Checks the input and flattens it to Vega-Lite rows, one per point. */
function curveRows(series: CurveSeries[]): Array<{ series: string; step: number; value: number }> {
  if (series.length === 0) throw new RangeError('renderLearningCurveSvg: no series to plot');
  const seen = new Set<string>();
  const rows: Array<{ series: string; step: number; value: number }> = [];
  for (const s of series) {
    if (seen.has(s.name)) throw new RangeError(`renderLearningCurveSvg: series name '${s.name}' is used twice`);
    seen.add(s.name);
    s.points.forEach((p, i) => {
      requireFinite(p.step, `renderLearningCurveSvg: series '${s.name}' point ${i} step`);
      requireFinite(p.value, `renderLearningCurveSvg: series '${s.name}' point ${i} value`);
      rows.push({ series: s.name, step: p.step, value: p.value });
    });
  }
  return rows;
}

/** The Vega-Lite spec behind renderLearningCurveSvg (exposed for tests and custom rendering). */
export function learningCurveSpec(series: CurveSeries[], opts: LearningCurveOptions): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title,
    width: opts.width ?? 560,
    height: opts.height ?? 320,
    background: 'white',
    data: { values: curveRows(series) },
    mark: { type: 'line', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: opts.xLabel ?? 'step' },
      y: { field: 'value', type: 'quantitative', title: opts.yLabel, scale: { zero: false } },
      // Legend and colours follow the caller's series order.
      color: { field: 'series', type: 'nominal', title: null, scale: { domain: series.map((s) => s.name) } },
      order: { field: 'step', type: 'quantitative' },
    },
  };
}

/**
 * Renders learning curves as an SVG line chart: x = step, y = value, one coloured line
 * (one SVG path) per series, in the given order. Points are drawn in step order.
 *
 * @throws RangeError on no series, a duplicate series name or a non-finite number
 * @throws PlotRuntimeError when vega cannot be imported (e.g. inside Jest)
 */
export async function renderLearningCurveSvg(series: CurveSeries[], opts: LearningCurveOptions): Promise<string> {
  return renderVegaLiteSvg(learningCurveSpec(series, opts));
}
