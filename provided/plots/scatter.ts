// Labelled scatter plots (e.g. one point per algorithm or hyperparameter) as an SVG string.
// Needs a runtime that can `import()` ESM: see vega-svg.ts.
import { renderVegaLiteSvg, requireFinite, type TopLevelSpec } from './vega-svg';

export interface ScatterPoint {
  x: number;
  y: number;
  /** Written next to the point. */
  label: string;
}
export interface ScatterOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Pixel size of the plotting area; defaults 480 x 360. */
  width?: number;
  height?: number;
}

/** The Vega-Lite spec behind renderScatterSvg (exposed for tests and custom rendering). */
export function scatterSpec(points: ScatterPoint[], opts: ScatterOptions): TopLevelSpec {
  if (points.length === 0) throw new RangeError('renderScatterSvg: no points to plot');
  points.forEach((p, i) => {
    requireFinite(p.x, `renderScatterSvg: point ${i} ('${p.label}') x`);
    requireFinite(p.y, `renderScatterSvg: point ${i} ('${p.label}') y`);
  });
  const x = { field: 'x', type: 'quantitative', title: opts.xLabel, scale: { zero: false, padding: 24 } } as const;
  const y = { field: 'y', type: 'quantitative', title: opts.yLabel, scale: { zero: false, padding: 24 } } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title,
    width: opts.width ?? 480,
    height: opts.height ?? 360,
    background: 'white',
    data: { values: points.map((p) => ({ x: p.x, y: p.y, label: p.label })) },
    layer: [
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y } },
      { mark: { type: 'text', align: 'left', dx: 6, dy: -6 }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
    ],
  };
}

/**
 * Renders a scatter plot as SVG: one filled point per entry, its label beside it.
 *
 * @throws RangeError on no points or a non-finite coordinate
 * @throws PlotRuntimeError when vega cannot be imported (e.g. inside Jest)
 */
export async function renderScatterSvg(points: ScatterPoint[], opts: ScatterOptions): Promise<string> {
  return renderVegaLiteSvg(scatterSpec(points, opts));
}
