// The invariants every in-memory dataset must satisfy (ALGORITHMS.md section 0), checked before
// a dataset is written, after one is loaded and after one is imported. Each failure is a
// one-line DatasetError naming the file and the field.
import { DatasetError } from '../runtime/errors';
import { Dataset, Matrix } from './dataset';

/** Optional size expectations of a caller. */
export interface DatasetExpectation {
  obsDim?: number;
  actDim?: number;
}

/** Throws a DatasetError (labelled with `file`) unless `ds` is a well-formed dataset:
 * N >= 1 rows everywhere, matching observation sizes, finite values, actions in [-1, 1],
 * terminals and timeouts exactly 0 or 1. */
export function checkDataset(ds: Dataset, file: string, expect: DatasetExpectation = {}): void {
  const n = ds.rewards.length;
  if (n === 0) throw new DatasetError(file, 'rewards', 'the dataset holds no transitions');
  checkMatrix(ds.observations, n, 'observations', file);
  checkMatrix(ds.actions, n, 'actions', file);
  checkMatrix(ds.next_observations, n, 'next_observations', file);
  const ds_ = ds.observations.cols;
  if (ds.next_observations.cols !== ds_) {
    throw new DatasetError(file, 'next_observations', `has ${ds.next_observations.cols} columns, observations have ${ds_}`);
  }
  if (expect.obsDim !== undefined && ds_ !== expect.obsDim) throw new DatasetError(file, 'observations', `has ${ds_} columns, expected ${expect.obsDim}`);
  if (expect.actDim !== undefined && ds.actions.cols !== expect.actDim) {
    throw new DatasetError(file, 'actions', `has ${ds.actions.cols} columns, expected ${expect.actDim}`);
  }
  checkFinite(ds.observations.data, ds_, 'observations', file);
  checkFinite(ds.actions.data, ds.actions.cols, 'actions', file);
  checkFinite(ds.next_observations.data, ds_, 'next_observations', file);
  checkFinite(ds.rewards, 1, 'rewards', file);
  checkActionRange(ds.actions, file);
  checkFlags(ds.terminals, n, 'terminals', file);
  checkFlags(ds.timeouts, n, 'timeouts', file);
}

function checkMatrix(m: Matrix, n: number, field: string, file: string): void {
  if (m.rows !== n) throw new DatasetError(file, field, `has ${m.rows} rows, expected ${n} (the length of rewards)`);
  if (!Number.isInteger(m.cols) || m.cols < 1) throw new DatasetError(file, field, `has ${m.cols} columns, expected at least 1`);
  if (m.data.length !== m.rows * m.cols) throw new DatasetError(file, field, `holds ${m.data.length} values, expected ${m.rows}x${m.cols}`);
}

/** Row and column of flat index `i` in a [*, cols] array, as text. */
export function where(i: number, cols: number): string {
  return cols === 1 ? `row ${i}` : `row ${Math.floor(i / cols)}, column ${i % cols}`;
}

function checkFinite(values: Float32Array, cols: number, field: string, file: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new DatasetError(file, field, `non-finite value ${values[i]} at ${where(i, cols)}`);
  }
}

function checkActionRange(actions: Matrix, file: string): void {
  const a = actions.data;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < -1 || a[i] > 1) throw new DatasetError(file, 'actions', `value ${a[i]} at ${where(i, actions.cols)} is outside [-1, 1]`);
  }
}

function checkFlags(flags: Float32Array, n: number, field: string, file: string): void {
  if (flags.length !== n) throw new DatasetError(file, field, `has ${flags.length} values, expected ${n} (the length of rewards)`);
  for (let i = 0; i < n; i++) {
    if (flags[i] !== 0 && flags[i] !== 1) throw new DatasetError(file, field, `value ${flags[i]} at row ${i} is not 0 or 1`);
  }
}
