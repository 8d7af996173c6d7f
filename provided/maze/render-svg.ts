// A self-contained SVG picture of a maze (no external assets, no scripts): the arena, walls,
// start and goal regions, one polyline per trajectory (green = reached the goal, red = did
// not), a title and a legend.

import { Rect, Vec2 } from './geometry';
import { MazeLayout, resolveLayout } from './layouts';

export interface SvgRenderOptions {
  /** Width of the picture in pixels (default 360); the height follows the arena's aspect. */
  width?: number;
  /** Title line; default "<layout name>: k/n reached the goal" (or the layout name alone). */
  title?: string;
}

/** A path to draw; `success` picks its colour (undefined draws it in grey). */
export interface DrawnPath {
  points: ReadonlyArray<Vec2>;
  success?: boolean;
}

const COLOURS = {
  wall: '#3b3b3b',
  arena: '#fbfbf8',
  start: '#1f77b4',
  goal: '#e8a900',
  success: '#2ca02c',
  failure: '#d62728',
  unknown: '#8c8c8c',
};

const PAD = 10;
const TITLE_H = 24;
const LEGEND_H = 22;

/** Escapes text for an XML text node or attribute. */
function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const num = (v: number) => (Math.round(v * 100) / 100).toString();

export function renderSvg(layout: MazeLayout | string, trajectories: readonly DrawnPath[] = [], opts: SvgRenderOptions = {}): string {
  const maze = resolveLayout(layout);
  const { x0, y0, x1, y1 } = maze.bounds;
  const width = opts.width ?? 360;
  const scale = (width - 2 * PAD) / (x1 - x0);
  const arenaH = (y1 - y0) * scale;
  const height = TITLE_H + arenaH + LEGEND_H + PAD;
  const px = (x: number) => PAD + (x - x0) * scale;
  const py = (y: number) => TITLE_H + (y1 - y) * scale; // SVG's y axis points down
  const box = (r: Rect, attrs: string) =>
    `<rect x="${num(px(r.x0))}" y="${num(py(r.y1))}" width="${num((r.x1 - r.x0) * scale)}" height="${num((r.y1 - r.y0) * scale)}" ${attrs}/>`;

  const wins = trajectories.filter((t) => t.success === true).length;
  const title = opts.title ?? (trajectories.length ? `${maze.name}: ${wins}/${trajectories.length} reached the goal` : maze.name);
  const colour = (t: DrawnPath) => (t.success === undefined ? COLOURS.unknown : t.success ? COLOURS.success : COLOURS.failure);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<title>${xml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${num(width)}" height="${num(height)}" fill="white"/>`);
  out.push(`<text x="${PAD}" y="${TITLE_H - 8}" font-size="14">${xml(title)}</text>`);
  out.push(box(maze.bounds, `fill="${COLOURS.arena}" stroke="${COLOURS.wall}" stroke-width="3"`));
  out.push(box(maze.start, `fill="${COLOURS.start}" fill-opacity="0.25" stroke="${COLOURS.start}"`));
  out.push(box(maze.goal, `fill="${COLOURS.goal}" fill-opacity="0.35" stroke="${COLOURS.goal}"`));
  for (const w of maze.walls) out.push(box(w, `fill="${COLOURS.wall}"`));
  for (const [r, label] of [
    [maze.start, 'S'],
    [maze.goal, 'G'],
  ] as const) {
    const cx = px((r.x0 + r.x1) / 2);
    const cy = py((r.y0 + r.y1) / 2) + 4;
    out.push(`<text x="${num(cx)}" y="${num(cy)}" text-anchor="middle" font-weight="bold">${label}</text>`);
  }

  // Failures first, so that successful paths are drawn on top of them.
  const drawOrder = [...trajectories].sort((a, b) => Number(a.success === true) - Number(b.success === true));
  out.push('<g fill="none" stroke-width="1.5" stroke-opacity="0.7" stroke-linejoin="round">');
  for (const t of drawOrder) {
    const pts = t.points.map((p) => `${num(px(p[0]))},${num(py(p[1]))}`).join(' ');
    out.push(`<polyline points="${pts}" stroke="${colour(t)}"/>`);
  }
  out.push('</g>');

  // Legend: coloured line segments (not polylines) with labels.
  const ly = TITLE_H + arenaH + 16;
  const items: Array<[string, string]> = [
    [COLOURS.success, `reached goal (${wins})`],
    [COLOURS.failure, `did not (${trajectories.filter((t) => t.success === false).length})`],
  ];
  let lx = PAD;
  out.push(`<g font-size="11">`);
  for (const [c, label] of items) {
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 16}" y2="${ly - 4}" stroke="${c}" stroke-width="2.5"/>`);
    out.push(`<text x="${lx + 20}" y="${ly}">${xml(label)}</text>`);
    lx += 120;
  }
  out.push(`<text x="${lx}" y="${ly}">S start, G goal</text>`);
  out.push('</g>');
  out.push('</svg>');
  return out.join('\n');
}
