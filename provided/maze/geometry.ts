// Plane geometry of the maze: points, axis-aligned rectangles, and the swept move that keeps
// the point mass out of every wall.
//
// Walls are open rectangles: their interior is forbidden, their faces may be touched. A move is
// a segment from the current position; it stops at the first wall face the segment would cross
// (found analytically, so a large step never tunnels through a thin wall) and the rest of the
// displacement slides along that face.

/** A point or a displacement (x, y). */
export type Vec2 = readonly [number, number];

/** The closed axis-aligned rectangle [x0, x1] x [y0, y1], with x0 < x1 and y0 < y1. */
export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Gap kept between the point and a wall face it ran into, so that it never rests inside. */
export const SKIN = 1e-4;

export function rect(x0: number, y0: number, x1: number, y1: number): Rect {
  if (!(x0 < x1 && y0 < y1)) throw new RangeError(`empty rectangle [${x0}, ${x1}] x [${y0}, ${y1}]`);
  return { x0, y0, x1, y1 };
}

/** True when p lies in the closed rectangle. */
export function contains(r: Rect, p: ArrayLike<number>): boolean {
  return p[0] >= r.x0 && p[0] <= r.x1 && p[1] >= r.y0 && p[1] <= r.y1;
}

/** True when p lies strictly inside the rectangle (inside a wall, not on its face). */
export function strictlyInside(r: Rect, p: ArrayLike<number>): boolean {
  return p[0] > r.x0 && p[0] < r.x1 && p[1] > r.y0 && p[1] < r.y1;
}

export function center(r: Rect): [number, number] {
  return [(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2];
}

/** Four slabs just outside `bounds`, so that the arena's border is handled like any wall. */
export function frame(bounds: Rect, thickness = 1): Rect[] {
  const { x0, y0, x1, y1 } = bounds;
  const t = thickness;
  return [
    rect(x0 - t, y0 - t, x1 + t, y0), // below
    rect(x0 - t, y1, x1 + t, y1 + t), // above
    rect(x0 - t, y0, x0, y1), // left
    rect(x1, y0, x1 + t, y1), // right
  ];
}

/** Where a segment first enters a wall: fraction t of the segment, the wall, and the face axis. */
interface Hit {
  t: number;
  wall: Rect;
  axis: 0 | 1;
}

/**
 * Slab test: the segment p + s*d, s in [0, 1], against the interior of `r`.
 * Entry time per axis is where the segment crosses that axis' near face; the segment is inside
 * the open rectangle between the latest entry and the earliest exit.
 */
function segmentHit(r: Rect, px: number, py: number, dx: number, dy: number): Hit | undefined {
  let tIn = -Infinity;
  let tOut = Infinity;
  let axis: 0 | 1 = 0;
  const slabs: Array<[number, number, number, number]> = [
    [r.x0, r.x1, px, dx],
    [r.y0, r.y1, py, dy],
  ];
  for (let k = 0; k < 2; k++) {
    const [lo, hi, p, d] = slabs[k];
    if (d === 0) {
      if (p <= lo || p >= hi) return undefined; // moving parallel, outside the slab
      continue;
    }
    const a = (lo - p) / d;
    const b = (hi - p) / d;
    const enter = Math.min(a, b);
    if (enter > tIn) {
      tIn = enter;
      axis = k as 0 | 1;
    }
    tOut = Math.min(tOut, Math.max(a, b));
  }
  // tIn < 0 means the start is already inside (it never is); leaving is then not blocked.
  if (tIn < 0 || tIn >= 1 || tIn >= tOut) return undefined;
  return { t: tIn, wall: r, axis };
}

function firstHit(walls: readonly Rect[], px: number, py: number, dx: number, dy: number): Hit | undefined {
  let best: Hit | undefined;
  for (const w of walls) {
    const h = segmentHit(w, px, py, dx, dy);
    if (h && (!best || h.t < best.t)) best = h;
  }
  return best;
}

/**
 * Moves from `from` by `disp` among `walls`: advance to the first face the segment hits, stop
 * SKIN short of it, drop the displacement's component into that face and slide the remaining
 * fraction along it; at most `maxSlides` slides (two cover an inside corner).
 */
export function sweep(walls: readonly Rect[], from: Vec2, disp: Vec2, maxSlides = 2): [number, number] {
  let [x, y] = from;
  let [dx, dy] = disp;
  for (let pass = 0; pass <= maxSlides; pass++) {
    if (dx === 0 && dy === 0) break;
    const hit = firstHit(walls, x, y, dx, dy);
    if (!hit) return [x + dx, y + dy];
    const rest = 1 - hit.t;
    if (hit.axis === 0) {
      y += hit.t * dy;
      x = dx > 0 ? hit.wall.x0 - SKIN : hit.wall.x1 + SKIN;
      dx = 0;
      dy *= rest;
    } else {
      x += hit.t * dx;
      y = dy > 0 ? hit.wall.y0 - SKIN : hit.wall.y1 + SKIN;
      dy = 0;
      dx *= rest;
    }
  }
  return [x, y];
}
