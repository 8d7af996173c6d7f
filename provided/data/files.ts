// The kit's own dataset files: an .npz with exactly the six D4RL fields (ALGORITHMS.md section 0).
//   observations [N,ds] <f4   actions [N,da] <f4   rewards [N] <f4
//   next_observations [N,ds] <f4   terminals [N] |b1   timeouts [N] |b1
// saveDataset writes byte-deterministic files; loadDataset is strict and refuses anything else
// with a one-line DatasetError naming the file and the field. For files made elsewhere (NumPy,
// D4RL HDF5) use importDataset from ./import.
import { createHash } from 'crypto';
import { DatasetError } from '../runtime/errors';
import { Dataset, DATASET_FIELDS, DatasetField, matrix } from './dataset';
import { NpyArray } from './npy';
import { decodeNpz, NpzArrays, readFileBytes, writeNpz } from './npz';
import { checkDataset, DatasetExpectation } from './validate';

/** What loadDataset may check besides the format: the file's SHA-256 (hex) and the sizes. */
export interface LoadExpectation extends DatasetExpectation {
  sha256?: string;
}

/** The dtype of each field in the kit's files. */
const FIELD_DTYPES: Record<DatasetField, string> = {
  observations: '<f4',
  actions: '<f4',
  rewards: '<f4',
  next_observations: '<f4',
  terminals: '|b1',
  timeouts: '|b1',
};

/** SHA-256 of bytes, lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 of a file's contents, lowercase hex. An unreadable file is a DatasetError. */
export function sha256File(file: string): string {
  return sha256Hex(readFileBytes(file));
}

function boolArray(flags: Float32Array): NpyArray {
  return { dtype: '|b1', shape: [flags.length], data: Uint8Array.from(flags, (v) => (v !== 0 ? 1 : 0)) };
}

/** The arrays saveDataset writes, in file order (checked first: see checkDataset). */
export function datasetToArrays(ds: Dataset, file = '<dataset>'): NpzArrays {
  checkDataset(ds, file);
  const n = ds.rewards.length;
  return {
    observations: { dtype: '<f4', shape: [n, ds.observations.cols], data: ds.observations.data },
    actions: { dtype: '<f4', shape: [n, ds.actions.cols], data: ds.actions.data },
    rewards: { dtype: '<f4', shape: [n], data: ds.rewards },
    next_observations: { dtype: '<f4', shape: [n, ds.next_observations.cols], data: ds.next_observations.data },
    terminals: boolArray(ds.terminals),
    timeouts: boolArray(ds.timeouts),
  };
}

/** Writes `ds` to `file` in the kit's format. The same dataset always gives the same bytes.
 * A dataset that loadDataset would refuse is refused here (DatasetError naming `file`). */
export function saveDataset(file: string, ds: Dataset): void {
  writeNpz(file, datasetToArrays(ds, file));
}

function shapeText(shape: readonly (number | string)[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Checks one array's dtype and rank, and its row count against `n` when given. */
function checkArray(file: string, field: DatasetField, arr: NpyArray, rank: 1 | 2, n?: number): void {
  if (arr.dtype !== FIELD_DTYPES[field]) throw new DatasetError(file, field, `dtype '${arr.dtype}', expected '${FIELD_DTYPES[field]}'`);
  const expected = rank === 1 ? [n ?? 'N'] : [n ?? 'N', 'D'];
  if (arr.shape.length !== rank) throw new DatasetError(file, field, `shape ${shapeText(arr.shape)}, expected ${shapeText(expected)}`);
  if (n !== undefined && arr.shape[0] !== n) {
    throw new DatasetError(file, field, `shape ${shapeText(arr.shape)}: ${arr.shape[0]} rows, but rewards has ${n}`);
  }
}

function flagsFromBool(file: string, field: DatasetField, arr: NpyArray): Float32Array {
  const out = new Float32Array(arr.data.length);
  for (let i = 0; i < out.length; i++) {
    const b = arr.data[i] as number;
    if (b !== 0 && b !== 1) throw new DatasetError(file, field, `invalid bool byte ${b} at row ${i}`);
    out[i] = b;
  }
  return out;
}

/** Loads a dataset file written by saveDataset, refusing (one-line DatasetError naming the
 * file, and the field when one is at fault): a SHA-256 other than `expect.sha256`, bytes that
 * are not an .npz, a missing or extra field, a wrong dtype, a wrong shape or row count, sizes
 * other than `expect.obsDim`/`expect.actDim`, a non-finite value, an action outside [-1, 1]. */
export function loadDataset(file: string, expect: LoadExpectation = {}): Dataset {
  return decodeDataset(readFileBytes(file), file, expect);
}

/** loadDataset on bytes already in memory; `file` labels the errors. */
export function decodeDataset(bytes: Uint8Array, file: string, expect: LoadExpectation = {}): Dataset {
  if (expect.sha256 !== undefined) {
    const got = sha256Hex(bytes);
    if (got !== expect.sha256.toLowerCase()) {
      throw new DatasetError(file, undefined, `SHA-256 is ${got}, expected ${expect.sha256} (the file is not the one the manifest lists)`);
    }
  }
  const arrays = decodeNpz(bytes, file);
  const known: readonly string[] = DATASET_FIELDS;
  for (const name of Object.keys(arrays)) {
    if (!known.includes(name)) throw new DatasetError(file, name, `unexpected field (a dataset file holds exactly ${DATASET_FIELDS.join(', ')})`);
  }
  for (const field of DATASET_FIELDS) {
    if (!(field in arrays)) throw new DatasetError(file, field, `missing (a dataset file holds exactly ${DATASET_FIELDS.join(', ')})`);
  }
  const a = arrays as Record<DatasetField, NpyArray>;
  checkArray(file, 'rewards', a.rewards, 1);
  const n = a.rewards.shape[0];
  checkArray(file, 'observations', a.observations, 2, n);
  checkArray(file, 'actions', a.actions, 2, n);
  checkArray(file, 'next_observations', a.next_observations, 2, n);
  checkArray(file, 'terminals', a.terminals, 1, n);
  checkArray(file, 'timeouts', a.timeouts, 1, n);
  const ds: Dataset = {
    observations: matrix(n, a.observations.shape[1], a.observations.data as Float32Array),
    actions: matrix(n, a.actions.shape[1], a.actions.data as Float32Array),
    rewards: a.rewards.data as Float32Array,
    next_observations: matrix(n, a.next_observations.shape[1], a.next_observations.data as Float32Array),
    terminals: flagsFromBool(file, 'terminals', a.terminals),
    timeouts: flagsFromBool(file, 'timeouts', a.timeouts),
  };
  checkDataset(ds, file, expect);
  return ds;
}

/** True when two datasets hold bit-identical arrays of the same shapes (NaN payloads and -0 included). */
export function datasetsBitEqual(x: Dataset, y: Dataset): boolean {
  const same = (p: Float32Array, q: Float32Array): boolean =>
    p.length === q.length && Buffer.compare(Buffer.from(p.buffer, p.byteOffset, p.byteLength), Buffer.from(q.buffer, q.byteOffset, q.byteLength)) === 0;
  return (
    x.observations.cols === y.observations.cols &&
    x.actions.cols === y.actions.cols &&
    x.next_observations.cols === y.next_observations.cols &&
    same(x.observations.data, y.observations.data) &&
    same(x.actions.data, y.actions.data) &&
    same(x.rewards, y.rewards) &&
    same(x.next_observations.data, y.next_observations.data) &&
    same(x.terminals, y.terminals) &&
    same(x.timeouts, y.timeouts)
  );
}
