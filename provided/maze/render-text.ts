// ASCII picture of a maze for the terminal: walls '#', start region 'S', goal region 'G',
// trajectories '.'. The arena's border is drawn as a frame of '#', so the picture has
// rows + 2 lines of cols + 2 characters, row 0 at the top (largest y).

import { Rect, Vec2, center } from './geometry';
import { MazeLayout, resolveLayout } from './layouts';

export interface TextRenderOptions {
  /** Character columns inside the frame (default 40). */
  cols?: number;
  /** Character rows inside the frame; default chosen so cells are twice as tall as wide. */
  rows?: number;
}

/** Anything with a list of positions (a roll-out's trajectory, or an episode from a dataset). */
export interface PathLike {
  points: ReadonlyArray<Vec2>;
}

/** The grid size used by renderText for a layout: [rows, cols] inside the frame. */
export function textGridSize(layout: MazeLayout | string, opts: TextRenderOptions = {}): [number, number] {
  const { bounds } = resolveLayout(layout);
  const cols = opts.cols ?? 40;
  const aspect = (bounds.y1 - bounds.y0) / (bounds.x1 - bounds.x0);
  const rows = opts.rows ?? Math.max(1, Math.round((cols * aspect) / 2));
  if (!(Number.isInteger(cols) && cols > 0 && Number.isInteger(rows) && rows > 0)) throw new RangeError(`bad text grid ${rows}x${cols}`);
  return [rows, cols];
}

export function renderText(layout: MazeLayout | string, trajectories: readonly PathLike[] = [], opts: TextRenderOptions = {}): string {
  const maze = resolveLayout(layout);
  const [rows, cols] = textGridSize(maze, opts);
  const { x0, y0, x1, y1 } = maze.bounds;
  const cw = (x1 - x0) / cols;
  const ch = (y1 - y0) / rows;
  const grid: string[][] = Array.from({ length: rows }, () => new Array<string>(cols).fill(' '));
  /** The cell of row r (from the top), column c, as a rectangle in maze coordinates. */
  const cell = (r: number, c: number): Rect => ({ x0: x0 + c * cw, x1: x0 + (c + 1) * cw, y0: y1 - (r + 1) * ch, y1: y1 - r * ch });

  // A wall marks a cell it covers at least half of, or crosses completely (thin walls).
  const solid = (r: number, c: number) =>
    maze.walls.some((w) => {
      const k = cell(r, c);
      const fx = Math.max(0, Math.min(w.x1, k.x1) - Math.max(w.x0, k.x0)) / cw;
      const fy = Math.max(0, Math.min(w.y1, k.y1) - Math.max(w.y0, k.y0)) / ch;
      return fx * fy >= 0.5 || (fx > 0 && fy > 0.999) || (fy > 0 && fx > 0.999);
    });
  const toCell = (p: Vec2): [number, number] => [
    Math.min(rows - 1, Math.max(0, Math.floor((y1 - p[1]) / ch))),
    Math.min(cols - 1, Math.max(0, Math.floor((p[0] - x0) / cw))),
  ];

  for (const path of trajectories) {
    const pts = path.points;
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i];
      const b = pts[Math.min(i + 1, pts.length - 1)];
      const n = Math.max(1, Math.ceil((Math.abs(b[0] - a[0]) / cw + Math.abs(b[1] - a[1]) / ch) * 2));
      for (let s = 0; s <= n; s++) {
        const [r, c] = toCell([a[0] + ((b[0] - a[0]) * s) / n, a[1] + ((b[1] - a[1]) * s) / n]);
        grid[r][c] = '.';
      }
    }
  }
  // Regions go on top of paths, so they stay visible; a region smaller than a cell still gets
  // the cell of its centre.
  for (const [region, mark] of [
    [maze.start, 'S'],
    [maze.goal, 'G'],
  ] as const) {
    let marked = false;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const k = cell(r, c);
        const [mx, my] = center(k);
        if (mx >= region.x0 && mx <= region.x1 && my >= region.y0 && my <= region.y1) {
          grid[r][c] = mark;
          marked = true;
        }
      }
    if (!marked) {
      const [r, c] = toCell(center(region));
      grid[r][c] = mark;
    }
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (solid(r, c)) grid[r][c] = '#';

  const edge = '#'.repeat(cols + 2);
  return [edge, ...grid.map((line) => `#${line.join('')}#`), edge].join('\n');
}
