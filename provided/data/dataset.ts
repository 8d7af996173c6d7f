// The in-memory dataset: D4RL field names (ALGORITHMS.md section 0), float32 everywhere.
// Row i is one complete transition; terminals and timeouts are 0/1 floats.

/** A row-major [rows, cols] float32 matrix. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

export interface Dataset {
  observations: Matrix; // [N, ds]
  actions: Matrix; // [N, da]
  rewards: Float32Array; // [N]
  next_observations: Matrix; // [N, ds]
  terminals: Float32Array; // [N], 1 = the environment really ended
  timeouts: Float32Array; // [N], 1 = cut by the time limit
}

/** The six D4RL field names, in file order. */
export const DATASET_FIELDS = ['observations', 'actions', 'rewards', 'next_observations', 'terminals', 'timeouts'] as const;
export type DatasetField = (typeof DATASET_FIELDS)[number];

export function datasetSize(ds: Dataset): number {
  return ds.rewards.length;
}

export function matrix(rows: number, cols: number, data?: Float32Array): Matrix {
  const d = data ?? new Float32Array(rows * cols);
  if (d.length !== rows * cols) throw new RangeError(`matrix data has ${d.length} values, expected ${rows}x${cols}`);
  return { data: d, rows, cols };
}

/** Half-open row ranges [start, end) of the episodes: an episode ends at a terminal or a
 * timeout; a trailing run of rows with neither is an episode too (ALGORITHMS.md section 0). */
export function episodeRanges(terminals: ArrayLike<number>, timeouts: ArrayLike<number>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < terminals.length; i++) {
    if (terminals[i] !== 0 || timeouts[i] !== 0) {
      ranges.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < terminals.length) ranges.push([start, terminals.length]);
  return ranges;
}

/** Builds a dataset from per-transition rows (used by generators and tests). */
export class DatasetBuilder {
  private obs: number[] = [];
  private act: number[] = [];
  private rew: number[] = [];
  private next: number[] = [];
  private term: number[] = [];
  private tout: number[] = [];

  constructor(readonly obsDim: number, readonly actDim: number) {}

  add(o: ArrayLike<number>, a: ArrayLike<number>, r: number, o2: ArrayLike<number>, terminal: boolean, timeout: boolean): void {
    if (o.length !== this.obsDim || o2.length !== this.obsDim) throw new RangeError('observation size mismatch');
    if (a.length !== this.actDim) throw new RangeError('action size mismatch');
    for (let j = 0; j < this.obsDim; j++) this.obs.push(o[j]);
    for (let j = 0; j < this.actDim; j++) this.act.push(a[j]);
    for (let j = 0; j < this.obsDim; j++) this.next.push(o2[j]);
    this.rew.push(r);
    this.term.push(terminal ? 1 : 0);
    this.tout.push(timeout ? 1 : 0);
  }

  get size(): number {
    return this.rew.length;
  }

  build(): Dataset {
    const n = this.rew.length;
    return {
      observations: matrix(n, this.obsDim, Float32Array.from(this.obs)),
      actions: matrix(n, this.actDim, Float32Array.from(this.act)),
      rewards: Float32Array.from(this.rew),
      next_observations: matrix(n, this.obsDim, Float32Array.from(this.next)),
      terminals: Float32Array.from(this.term),
      timeouts: Float32Array.from(this.tout),
    };
  }
}
