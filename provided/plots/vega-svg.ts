// Renders a Vega-Lite spec to an SVG string, headless (no browser, no canvas).
//
// vega and vega-lite are ESM-only and use top-level await, so a CommonJS `require` of them
// fails (ERR_REQUIRE_ASYNC_MODULE). They are loaded with a real dynamic `import()`:
//   - tsc (module node16) keeps `import()` as is in CommonJS output;
//   - tsx keeps it too, so `npx tsx some-script.ts` works;
//   - @swc/jest rewrites it to `require()`, and Jest's sandbox cannot load ESM without
//     --experimental-vm-modules: inside Jest these functions fail with PlotRuntimeError.
//     Tests exercise them in a child process running tsx (tests/plots/).
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

export type { TopLevelSpec };

/** The plot libraries could not be loaded in this runtime (typically: inside Jest). */
export class PlotRuntimeError extends Error {
  constructor(detail: string) {
    super(`cannot load vega/vega-lite (ESM-only; run under tsx or tsc output, not Jest's sandbox): ${detail}`);
    this.name = 'PlotRuntimeError';
  }
}

async function loadVega() {
  try {
    return await Promise.all([import('vega'), import('vega-lite')]);
  } catch (err) {
    throw new PlotRuntimeError((err as Error).message.split('\n')[0]);
  }
}

/**
 * Starts loading the plot libraries now, so that a later render does not wait for them (the
 * grader calls it while the student's code runs); a failure shows up at that render instead.
 */
export function preloadPlots(): void {
  loadVega().catch(() => undefined);
}

/** Compiles `spec` with vega-lite and renders it with a headless vega View. */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Throws a one-line error unless `value` is a finite number. */
export function requireFinite(value: number, where: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${where}: ${value} is not a finite number`);
}
