// Lenient import of datasets made elsewhere (the Python versions of the homework): NumPy .npz
// (numpy.savez / savez_compressed) and D4RL-style HDF5. The rules are docs/contract.md §0:
// - float64 (and integer) arrays are cast to float32;
// - terminals and timeouts may be bool, int or float: nonzero = true; a missing timeouts is all false;
// - rewards (and the flags) may be [N] or [N, 1];
// - when next_observations is missing, D4RL's qlearning_dataset rule completes it: row i's next
//   observation is observations[i+1]; timeout rows and the file's last row are dropped, terminal
//   rows are kept (with their flag); where a dropped row took an episode's end flag with it, the
//   row now last in that episode is marked as a timeout. A note says how many rows were dropped.
// Unknown fields are ignored. Everything the importer changed is listed in `notes`.
import * as fs from 'fs';
import { DatasetError } from '../runtime/errors';
import { Dataset, episodeRanges, Matrix, matrix } from './dataset';
import { HDF5_SIGNATURE, readHdf5 } from './hdf5';
import { NpyArray } from './npy';
import { decodeNpzSelected, looksLikeZip, readFileBytes } from './npz';
import { checkDataset, where } from './validate';

/** An imported dataset and what the importer did to it, one sentence per note. */
export interface ImportResult {
  dataset: Dataset;
  notes: string[];
}

const REQUIRED = ['observations', 'actions', 'rewards', 'terminals'] as const;
const OPTIONAL = ['next_observations', 'timeouts'] as const;
const KNOWN: readonly string[] = [...REQUIRED, ...OPTIONAL];

/** Imports a NumPy .npz or a D4RL-style HDF5 file (recognised by its first bytes).
 * Throws a one-line DatasetError naming the file and the field for anything it cannot use. */
export async function importDataset(file: string): Promise<ImportResult> {
  const kind = sniff(file);
  let found: { arrays: Record<string, NpyArray>; skipped: string[] };
  if (kind === 'zip') found = decodeNpzSelected(readFileBytes(file), file, (name) => KNOWN.includes(name));
  else if (kind === 'hdf5') found = await readHdf5(file, KNOWN);
  else throw new DatasetError(file, undefined, 'not an .npz (zip) or HDF5 file (unrecognised first bytes)');
  const notes: string[] = [];
  if (found.skipped.length > 0) notes.push(`ignored fields the kit does not use: ${found.skipped.join(', ')}`);
  const dataset = buildDataset(found.arrays, file, notes);
  checkDataset(dataset, file);
  return { dataset, notes };
}

/** The file's format from its signature, reading only a few bytes (D4RL files can be large). */
function sniff(file: string): 'zip' | 'hdf5' | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const head = new Uint8Array(8);
    const at = (offset: number): Uint8Array => head.subarray(0, fs.readSync(fd as number, head, 0, 8, offset));
    if (looksLikeZip(at(0))) return 'zip';
    for (let offset = 0; offset + 8 <= size; offset = offset === 0 ? 512 : offset * 2) {
      const bytes = at(offset);
      if (HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) return 'hdf5';
    }
    return undefined;
  } catch (e) {
    throw new DatasetError(file, undefined, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Values of any supported dtype as float32 (bigint and bool included). */
function toFloat32(arr: NpyArray): Float32Array {
  if (arr.data instanceof Float32Array) return arr.data.slice();
  const out = new Float32Array(arr.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(arr.data[i]);
  return out;
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Collects the notes about casts and reshapes, one sentence per kind. */
class Changes {
  readonly cast: string[] = [];
  readonly reshaped: string[] = [];
  record(field: string, arr: NpyArray, reshapedTo?: readonly number[]): void {
    if (arr.dtype !== '<f4') this.cast.push(`${field} (${arr.dtype})`);
    if (reshapedTo) this.reshaped.push(`${field} ${shapeText(arr.shape)} -> ${shapeText(reshapedTo)}`);
  }
  write(notes: string[]): void {
    if (this.cast.length > 0) notes.push(`cast to float32: ${this.cast.join(', ')}`);
    if (this.reshaped.length > 0) notes.push(`reshaped: ${this.reshaped.join(', ')}`);
  }
}

/** [N, d] stays, [N] becomes [N, 1]; `n` (when known) must match the rows. */
function asMatrix(file: string, field: string, arr: NpyArray, n: number | undefined, changes: Changes): Matrix {
  const rank = arr.shape.length;
  if (rank !== 1 && rank !== 2) throw new DatasetError(file, field, `shape ${shapeText(arr.shape)}, expected (N, D)`);
  const rows = arr.shape[0];
  const cols = rank === 2 ? arr.shape[1] : 1;
  if (n !== undefined && rows !== n) throw new DatasetError(file, field, `has ${rows} rows, observations have ${n}`);
  if (cols < 1) throw new DatasetError(file, field, `shape ${shapeText(arr.shape)} has no columns`);
  changes.record(field, arr, rank === 1 ? [rows, 1] : undefined);
  return matrix(rows, cols, toFloat32(arr));
}

/** [N] stays, [N, 1] is squeezed; the length must be `n`. */
function vectorShape(file: string, field: string, arr: NpyArray, n: number): boolean {
  const s = arr.shape;
  const ok = (s.length === 1 && s[0] === n) || (s.length === 2 && s[0] === n && s[1] === 1);
  if (!ok) throw new DatasetError(file, field, `shape ${shapeText(s)}, expected (${n},) or (${n}, 1)`);
  return s.length === 2;
}

function asVector(file: string, field: string, arr: NpyArray, n: number, changes: Changes): Float32Array {
  changes.record(field, arr, vectorShape(file, field, arr, n) ? [n] : undefined);
  return toFloat32(arr);
}

/** Any dtype, nonzero = 1; NaN is refused. */
function asFlags(file: string, field: string, arr: NpyArray, n: number, changes: Changes): Float32Array {
  if (vectorShape(file, field, arr, n)) changes.reshaped.push(`${field} ${shapeText(arr.shape)} -> (${n},)`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = arr.data[i];
    if (typeof v === 'number' && Number.isNaN(v)) throw new DatasetError(file, field, `NaN at ${where(i, 1)}`);
    out[i] = v !== 0 && v !== 0n ? 1 : 0;
  }
  return out;
}

function buildDataset(arrays: Record<string, NpyArray>, file: string, notes: string[]): Dataset {
  for (const field of REQUIRED) {
    if (!(field in arrays)) {
      throw new DatasetError(file, field, `missing (an imported dataset needs ${REQUIRED.join(', ')}; next_observations and timeouts are optional)`);
    }
  }
  const changes = new Changes();
  const observations = asMatrix(file, 'observations', arrays.observations, undefined, changes);
  const n = observations.rows;
  if (n === 0) throw new DatasetError(file, 'observations', 'has no rows');
  const actions = asMatrix(file, 'actions', arrays.actions, n, changes);
  const rewards = asVector(file, 'rewards', arrays.rewards, n, changes);
  const terminals = asFlags(file, 'terminals', arrays.terminals, n, changes);
  let timeouts: Float32Array;
  if (arrays.timeouts) timeouts = asFlags(file, 'timeouts', arrays.timeouts, n, changes);
  else {
    timeouts = new Float32Array(n);
    notes.push('timeouts missing: all false');
  }
  if (arrays.next_observations) {
    const next = asMatrix(file, 'next_observations', arrays.next_observations, n, changes);
    if (next.cols !== observations.cols) throw new DatasetError(file, 'next_observations', `has ${next.cols} columns, observations have ${observations.cols}`);
    changes.write(notes);
    return { observations, actions, rewards, next_observations: next, terminals, timeouts };
  }
  changes.write(notes);
  return deriveNextObservations({ observations, actions, rewards, terminals, timeouts }, file, notes);
}

/**
 * D4RL's `qlearning_dataset` rule (docs/contract.md §0): next_observations[i] = observations[i+1];
 * a row whose timeout is set is dropped (what followed it is unknown), and so is the file's last
 * row; a terminal row is kept with its terminal flag. An episode whose end flag left with a dropped
 * row gets its row now last marked as a timeout, so episodes never run together.
 */
function deriveNextObservations(src: Omit<Dataset, 'next_observations'>, file: string, notes: string[]): Dataset {
  const n0 = src.rewards.length;
  const dropped = (i: number): boolean => i === n0 - 1 || src.timeouts[i] !== 0;
  const keep: number[] = [];
  for (let i = 0; i < n0; i++) if (!dropped(i)) keep.push(i);
  if (keep.length === 0) {
    throw new DatasetError(file, 'next_observations', 'missing, and no row is left after dropping the timeout rows and the last row');
  }
  const position = new Map(keep.map((i, k) => [i, k] as const));
  // An episode's end flag leaves with its last row when that row is dropped; its last kept row takes a timeout.
  const newEnds: number[] = [];
  for (const [start, end] of episodeRanges(src.terminals, src.timeouts)) {
    const last = end - 1;
    const hadFlag = src.terminals[last] !== 0 || src.timeouts[last] !== 0;
    if (!hadFlag || !dropped(last)) continue;
    for (let i = last - 1; i >= start; i--) {
      if (position.has(i)) {
        newEnds.push(position.get(i)!);
        break;
      }
    }
  }
  const out = selectRows(src, keep);
  for (const k of newEnds) out.timeouts[k] = 1;
  const rows = (k: number): string => `${k} ${k === 1 ? 'row' : 'rows'}`;
  notes.push(
    `next_observations missing: derived from the following row (D4RL's qlearning_dataset); dropped ${rows(n0 - keep.length)} ` +
      `(${rows(n0 - 1 - keep.length)} with a timeout, and the file's last row): ${n0} -> ${keep.length} transitions`,
  );
  if (newEnds.length > 0) notes.push(`marked the new last row of ${newEnds.length} ${newEnds.length === 1 ? 'episode' : 'episodes'} as a timeout, so episode boundaries survive`);
  const lost = [...Array(n0).keys()].filter((i) => dropped(i) && src.terminals[i] !== 0).length;
  if (lost > 0) notes.push(`terminal flags lost: ${lost} of the dropped rows ${lost === 1 ? 'was a terminal transition' : 'were terminal transitions'}`);
  return out;
}

/** The rows `keep` of `src`, with next_observations[k] = observations[keep[k] + 1] and no timeouts yet. */
function selectRows(src: Omit<Dataset, 'next_observations'>, keep: number[]): Dataset {
  const ds = src.observations.cols;
  const da = src.actions.cols;
  const n = keep.length;
  const out: Dataset = {
    observations: matrix(n, ds),
    actions: matrix(n, da),
    rewards: new Float32Array(n),
    next_observations: matrix(n, ds),
    terminals: new Float32Array(n),
    timeouts: new Float32Array(n),
  };
  const obs = src.observations.data;
  keep.forEach((i, k) => {
    out.observations.data.set(obs.subarray(i * ds, (i + 1) * ds), k * ds);
    out.next_observations.data.set(obs.subarray((i + 1) * ds, (i + 2) * ds), k * ds);
    out.actions.data.set(src.actions.data.subarray(i * da, (i + 1) * da), k * da);
    out.rewards[k] = src.rewards[i];
    out.terminals[k] = src.terminals[i]; // a kept terminal stays terminal: 1 - terminal masks what follows it
  });
  return out;
}
