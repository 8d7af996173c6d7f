// The learning curve of one training run: the success rate and each loss on a panel of its own,
// stacked over one shared step axis, as a standalone SVG. A loss gets a log axis when its values
// are all positive and span a decade or more (IQL's value and critic losses fall from ~1e-3 to
// ~1e-4 while the policy loss stays near 1: on one linear axis they would be flat lines at 0).
// Needs a runtime that can `import()` ESM: see vega-svg.ts.
import type { CurvePoint } from './learning-curve';
import { renderVegaLiteSvg, type TopLevelSpec } from './vega-svg';

/** One panel: its own y axis. */
export interface CurvePanel {
  /** Also the y axis title: "success rate", "value loss". */
  name: string;
  points: CurvePoint[];
  /** A fixed y range (the success rate: [0, 1]); else the data's. */
  domain?: [number, number];
}

export interface TrainingCurveOptions {
  title: string;
  /** Defaults to "gradient step". */
  xLabel?: string;
  /** Pixel size of each panel's plotting area; defaults 560 x 130. */
  width?: number;
  panelHeight?: number;
}

/** 'log' when every value is positive and the largest is at least ten times the smallest. */
export function panelScale(points: CurvePoint[]): 'log' | 'linear' {
  const values = points.map((p) => p.value);
  if (values.length < 2 || values.some((v) => !(v > 0))) return 'linear';
  return Math.max(...values) / Math.min(...values) >= 10 ? 'log' : 'linear';
}

/** The powers of ten from just below the smallest value to just above the largest: a log axis's ticks. */
function powersOfTen(points: CurvePoint[]): number[] {
  const logs = points.map((p) => Math.log10(p.value));
  const out: number[] = [];
  for (let e = Math.floor(Math.min(...logs)); e <= Math.ceil(Math.max(...logs)); e++) out.push(10 ** e);
  return out;
}

/**
 * The panels of a run: the success rate, then one per loss ("valueLoss" -> "value loss"), each with its
 * own steps. Points that are not finite (a diverged loss) are left out, and a panel left with no
 * point is dropped.
 */
export function trainingPanels(success: CurvePoint[], losses: Record<string, CurvePoint[]>): CurvePanel[] {
  const finite = (points: CurvePoint[]) => points.filter((p) => Number.isFinite(p.step) && Number.isFinite(p.value));
  const panels: CurvePanel[] = [{ name: 'success rate', points: finite(success), domain: [0, 1] }];
  for (const [name, points] of Object.entries(losses)) {
    const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase(); // "valueLoss" -> "value loss"
    panels.push({ name: /loss$/.test(words) ? words : `${words} loss`, points: finite(points) });
  }
  return panels.filter((p) => p.points.length > 0);
}

/** The Vega-Lite spec behind renderTrainingCurveSvg: one panel per entry, over one step range. */
export function trainingCurveSpec(panels: CurvePanel[], opts: TrainingCurveOptions): TopLevelSpec {
  if (panels.length === 0) throw new RangeError('renderTrainingCurveSvg: no panel to plot');
  const steps = panels.flatMap((p) => p.points.map((x) => x.step));
  const x = { field: 'step', type: 'quantitative' as const, scale: { domain: [Math.min(...steps), Math.max(...steps)] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: opts.title,
    background: 'white',
    spacing: 18,
    vconcat: panels.map((panel, i) => {
      const scale = panelScale(panel.points);
      const last = i === panels.length - 1;
      return {
        width: opts.width ?? 560,
        height: opts.panelHeight ?? 130,
        data: { values: panel.points.map((p) => ({ step: p.step, value: p.value })) },
        // Dots where there are few points (the evaluations), a plain line where there are many.
        mark: { type: 'line', strokeWidth: 1.5, point: panel.points.length <= 30, color: i === 0 ? '#1a7f37' : '#0969da' },
        encoding: {
          x: { ...x, title: last ? (opts.xLabel ?? 'gradient step') : null, axis: { labels: last } },
          y: {
            field: 'value',
            type: 'quantitative' as const,
            title: scale === 'log' ? `${panel.name} (log scale)` : panel.name,
            scale: { type: scale, ...(scale === 'linear' ? { zero: false } : {}), ...(panel.domain ? { domain: panel.domain } : {}) },
            ...(scale === 'log' ? { axis: { format: '.0e', values: powersOfTen(panel.points) } } : {}),
          },
        },
      };
    }),
  };
}

/**
 * Renders the panels as one SVG: each panel a line (one SVG path) over the shared step axis.
 * @throws RangeError when there is no panel
 * @throws PlotRuntimeError when vega cannot be imported (e.g. inside Jest)
 */
export async function renderTrainingCurveSvg(panels: CurvePanel[], opts: TrainingCurveOptions): Promise<string> {
  return renderVegaLiteSvg(trainingCurveSpec(panels, opts));
}
