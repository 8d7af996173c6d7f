// Shared helpers of the dataset-file tests: temporary folders, a sample dataset, error checks.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Dataset, DatasetBuilder } from '../../provided/data/dataset';
import { DatasetError } from '../../provided/runtime/errors';
import { Rng } from '../../provided/runtime/rng';

/** The committed Python-made fixtures. */
export const IMPORTS_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'imports');

/** A fresh temporary folder; removed by removeTempDirs(). */
const made: string[] = [];
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-data-'));
  made.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** 3 episodes (a terminal, a timeout, a trailing run) of ds = 3, da = 2, with awkward floats:
 * -0, a subnormal, the largest float32, full-mantissa random values, actions at exactly +-1. */
export function sampleDataset(seed = 1): Dataset {
  const rng = new Rng(seed);
  const b = new DatasetBuilder(3, 2);
  const lengths = [5, 4, 3];
  let t = 0;
  lengths.forEach((len, e) => {
    for (let k = 0; k < len; k++, t++) {
      const o = [rng.normal() * 10, rng.uniform(), -rng.uniform() * 1e-3];
      const o2 = [rng.normal(), rng.normal() * 1e6, rng.uniform()];
      const a = [rng.range(-1, 1), rng.range(-1, 1)];
      if (t === 0) {
        o[0] = -0;
        o[1] = 1e-45; // subnormal in float32
        o[2] = 3.4028234663852886e38; // largest float32
        a[0] = 1;
        a[1] = -1;
      }
      const last = k === len - 1;
      b.add(o, a, rng.normal(), o2, last && e === 0, last && e === 1);
    }
  });
  return b.build();
}

/** Runs `fn` and returns the DatasetError it throws; fails if it throws anything else or nothing. */
export function catchDatasetError(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw new Error(`expected a DatasetError, got ${String(e)}`);
  }
  throw new Error('expected a DatasetError, nothing was thrown');
}

/** Async variant of catchDatasetError. */
export async function catchDatasetErrorAsync(fn: () => Promise<unknown>): Promise<DatasetError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DatasetError) return e;
    throw new Error(`expected a DatasetError, got ${String(e)}`);
  }
  throw new Error('expected a DatasetError, nothing was thrown');
}

/** The error is one line, starts with the file name, names the field (when given) and matches `detail`. */
export function expectOneLine(err: DatasetError, file: string, field: string | undefined, detail?: RegExp): void {
  expect(err.message).not.toMatch(/\n/);
  expect(err.message.startsWith(`${file}: `)).toBe(true);
  expect(err.file).toBe(file);
  expect(err.field).toBe(field);
  if (field !== undefined) expect(err.message).toContain(`field '${field}'`);
  if (detail) expect(err.message).toMatch(detail);
}
