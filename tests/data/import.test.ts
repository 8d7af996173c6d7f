import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Dataset } from '../../provided/data/dataset';
import { importDataset, ImportResult } from '../../provided/data/import';
import { encodeNpy, NpyArray } from '../../provided/data/npy';
import { writeNpz } from '../../provided/data/npz';
import { writeZip } from '../../provided/data/zip';
import { catchDatasetErrorAsync, expectOneLine, IMPORTS_DIR, removeTempDirs, tempDir } from './support';

afterAll(removeTempDirs);

const fixture = (name: string): string => path.join(IMPORTS_DIR, name);
const f32 = (values: number[]): number[] => values.map(Math.fround);
const rows = (idx: number[], f: (i: number) => number[]): number[] => f32(idx.flatMap(f));

function expectFloat32(ds: Dataset): void {
  for (const a of [ds.observations.data, ds.actions.data, ds.rewards, ds.next_observations.data, ds.terminals, ds.timeouts]) {
    expect(a).toBeInstanceOf(Float32Array);
  }
}

describe('importDataset on files made by NumPy and h5py (fixtures/imports/make_imports.py)', () => {
  test('np.savez, float64 fields, bool flags, next_observations present, Fortran-order actions', async () => {
    const { dataset: ds, notes } = await importDataset(fixture('savez_float64.npz'));
    expectFloat32(ds);
    const all = [0, 1, 2, 3, 4, 5, 6];
    expect([ds.observations.rows, ds.observations.cols, ds.actions.cols]).toEqual([7, 3, 2]);
    expect(Array.from(ds.observations.data)).toEqual(rows(all, (i) => [i, i + 0.1, i + 0.2]));
    expect(Array.from(ds.next_observations.data)).toEqual(rows(all, (i) => [100 + i, 100 + i + 0.1, 100 + i + 0.2]));
    expect(Array.from(ds.actions.data)).toEqual(rows(all, (i) => [(i - 3) / 4, -(i - 3) / 8]));
    expect(Array.from(ds.rewards)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(Array.from(ds.terminals)).toEqual([0, 0, 1, 0, 0, 0, 0]);
    expect(Array.from(ds.timeouts)).toEqual([0, 0, 0, 0, 0, 1, 0]);
    expect(ds.observations.data[1]).not.toBe(0.1); // really cast: float32(0.1) differs from the float64
    expect(notes).toEqual([
      'ignored fields the kit does not use: episode_ids',
      'cast to float32: observations (<f8), actions (<f8), rewards (<f8), next_observations (<f8)',
    ]);
  });

  test('np.savez_compressed, no next_observations, no timeouts, int32 terminals, rewards [N,1]', async () => {
    const { dataset: ds, notes } = await importDataset(fixture('compressed_no_next.npz'));
    expectFloat32(ds);
    // Episodes [0,4) [4,9) [9,10): D4RL's rule drops only the file's last row (no timeouts); the
    // terminal rows 3 and 8 are kept, and the trailing episode [9,10) had no end flag to lose.
    const kept = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    expect([ds.observations.rows, ds.observations.cols, ds.actions.cols]).toEqual([9, 2, 1]);
    expect(Array.from(ds.observations.data)).toEqual(rows(kept, (i) => [i / 4, -i / 4]));
    expect(Array.from(ds.next_observations.data)).toEqual(rows(kept, (i) => [(i + 1) / 4, -(i + 1) / 4]));
    expect(Array.from(ds.actions.data)).toEqual(rows(kept, (i) => [(i - 5) / 5]));
    expect(Array.from(ds.rewards)).toEqual([1, 11, 21, 31, 41, 51, 61, 71, 81]);
    expect(Array.from(ds.terminals)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(Array.from(ds.timeouts)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(notes).toEqual([
      'timeouts missing: all false',
      'cast to float32: actions (<f8), rewards (<f8)',
      'reshaped: rewards (10, 1) -> (10,)',
      "next_observations missing: derived from the following row (D4RL's qlearning_dataset); dropped 1 row (0 rows with a timeout, and the file's last row): 10 -> 9 transitions",
    ]);
  });

  test('D4RL-style HDF5: gzip observations, bool flags, no next_observations, infos/ and metadata/ groups', async () => {
    const result = await importDataset(fixture('d4rl_style.hdf5'));
    expectD4rlStyle(result);
  });

  test("the same HDF5 import through Node's ESM loader (tsx, h5wasm's Node build) gives the same result", () => {
    const dir = tempDir();
    const script = path.join(dir, 'import.ts');
    const src = path.resolve(__dirname, '..', '..', 'provided', 'data');
    fs.writeFileSync(
      script,
      [
        `import { importDataset } from ${JSON.stringify(path.join(src, 'import'))};`,
        `import { loadH5wasm } from ${JSON.stringify(path.join(src, 'hdf5'))};`,
        `(async () => {`,
        `  const { kind } = await loadH5wasm();`,
        `  const { dataset: d, notes } = await importDataset(${JSON.stringify(fixture('d4rl_style.hdf5'))});`,
        `  const plain = (a: Float32Array) => Array.from(a);`,
        `  console.log(JSON.stringify({ kind, notes, obs: plain(d.observations.data), cols: d.observations.cols, next: plain(d.next_observations.data),`,
        `    act: plain(d.actions.data), actCols: d.actions.cols, rew: plain(d.rewards), term: plain(d.terminals), tout: plain(d.timeouts) }));`,
        `})();`,
      ].join('\n'),
    );
    const tsx = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const run = spawnSync(tsx, [script], { encoding: 'utf8', timeout: 60000 });
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout);
    expect(out.kind).toBe('node');
    const matrix = (data: number[], cols: number) => ({ data: Float32Array.from(data), rows: data.length / cols, cols });
    expectD4rlStyle({
      notes: out.notes,
      dataset: {
        observations: matrix(out.obs, out.cols),
        next_observations: matrix(out.next, out.cols),
        actions: matrix(out.act, out.actCols),
        rewards: Float32Array.from(out.rew),
        terminals: Float32Array.from(out.term),
        timeouts: Float32Array.from(out.tout),
      },
    });
  });
});

/** The expected import of d4rl_style.hdf5: episodes [0,5) [5,10) [10,12); D4RL's rule drops the timeout
 * row 9 and the file's last row 11, keeps the terminal row 4, and ends episode [5,10) at row 8. */
function expectD4rlStyle({ dataset: ds, notes }: ImportResult): void {
  expectFloat32(ds);
  const kept = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10];
  expect([ds.observations.rows, ds.observations.cols, ds.actions.cols]).toEqual([10, 4, 3]);
  expect(Array.from(ds.observations.data)).toEqual(rows(kept, (i) => [0, 1, 2, 3].map((j) => 10 * i + j)));
  expect(Array.from(ds.next_observations.data)).toEqual(rows(kept, (i) => [0, 1, 2, 3].map((j) => 10 * (i + 1) + j)));
  expect(Array.from(ds.actions.data)).toEqual(rows(kept, (i) => [0, 1, 2].map((j) => (((i + j) % 5) - 2) / 2)));
  expect(Array.from(ds.rewards)).toEqual(kept.map((i) => i - 0.5));
  expect(Array.from(ds.terminals)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  expect(Array.from(ds.timeouts)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
  expect(notes).toEqual([
    'ignored fields the kit does not use: infos/, metadata/',
    "next_observations missing: derived from the following row (D4RL's qlearning_dataset); dropped 2 rows (1 row with a timeout, and the file's last row): 12 -> 10 transitions",
    'marked the new last row of 1 episode as a timeout, so episode boundaries survive',
  ]);
}

describe('importDataset rules on hand-made files', () => {
  const n = 4;
  const f8 = (values: number[], shape: number[] = [values.length]): NpyArray => ({ dtype: '<f8', shape, data: Float64Array.from(values) });
  const base = (): Record<string, NpyArray> => ({
    observations: f8([0, 1, 2, 3], [n, 1]),
    actions: f8([0.5, -0.5, 1, -1], [n, 1]),
    rewards: f8([1, 2, 3, 4]),
    next_observations: f8([1, 2, 3, 4], [n, 1]),
    terminals: f8([0, 2.5, 0, -1]),
  });
  const file = (arrays: Record<string, NpyArray>): string => {
    const f = path.join(tempDir(), 'made.npz');
    writeNpz(f, arrays);
    return f;
  };
  const refused = async (arrays: Record<string, NpyArray>, field: string | undefined, detail: RegExp): Promise<void> => {
    const f = file(arrays);
    expectOneLine(await catchDatasetErrorAsync(() => importDataset(f)), f, field, detail);
  };

  test('float, int64 and [N,1] flags: nonzero is true', async () => {
    const { dataset } = await importDataset(file(base()));
    expect(Array.from(dataset.terminals)).toEqual([0, 1, 0, 1]);
    const a = base();
    a.terminals = { dtype: '<i8', shape: [n, 1], data: BigInt64Array.from([0n, 0n, 7n, 0n]) };
    a.timeouts = { dtype: '|u1', shape: [n], data: Uint8Array.from([0, 0, 0, 255]) };
    a.observations = f8([0, 1, 2, 3]); // 1-D: one column
    const { dataset: d2, notes } = await importDataset(file(a));
    expect(Array.from(d2.terminals)).toEqual([0, 0, 1, 0]);
    expect(Array.from(d2.timeouts)).toEqual([0, 0, 0, 1]);
    expect(d2.observations.cols).toBe(1);
    expect(notes).toContain('reshaped: observations (4,) -> (4, 1), terminals (4, 1) -> (4,)');
  });

  test('missing required fields, wrong row counts and bad values are one-line errors naming the field', async () => {
    const without = (k: string): Record<string, NpyArray> => {
      const a = base();
      delete a[k];
      return a;
    };
    for (const k of ['observations', 'actions', 'rewards', 'terminals']) await refused(without(k), k, /missing \(an imported dataset needs/);
    await refused({ ...base(), rewards: f8([1, 2, 3]) }, 'rewards', /shape \(3,\), expected \(4,\) or \(4, 1\)/);
    await refused({ ...base(), actions: f8([0, 0, 0], [3, 1]) }, 'actions', /has 3 rows, observations have 4/);
    await refused({ ...base(), next_observations: f8([1, 2, 3, 4, 5, 6, 7, 8], [n, 2]) }, 'next_observations', /2 columns, observations have 1/);
    await refused({ ...base(), terminals: f8([0, NaN, 0, 0]) }, 'terminals', /NaN at row 1/);
    await refused({ ...base(), actions: f8([0, 1.5, 0, 0], [n, 1]) }, 'actions', /value 1.5 at row 1 is outside \[-1, 1\]/);
    await refused({ ...base(), observations: f8([0, Infinity, 0, 0], [n, 1]) }, 'observations', /non-finite value Infinity at row 1/);
    await refused({ ...base(), rewards: f8([1, 2, 3, 4], [2, 2]) }, 'rewards', /shape \(2, 2\)/);
    const onlyTimeouts = { ...without('next_observations'), timeouts: f8([1, 1, 1, 0]) };
    await refused(onlyTimeouts, 'next_observations', /no row is left after dropping the timeout rows and the last row/);
  });

  test('an unknown field of an unsupported dtype is ignored; a required one is refused', async () => {
    const entries = Object.entries(base()).map(([k, a]) => ({ name: `${k}.npy`, data: encodeNpy(a) }));
    const header = (descr: string, shape: string): string => `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
    const npy = (descr: string, shape: string, data: Uint8Array): Uint8Array => {
      const h = new TextEncoder().encode(header(descr, shape) + '\n');
      const out = new Uint8Array(10 + h.length + data.length);
      out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
      new DataView(out.buffer).setUint16(8, h.length, true);
      out.set(h, 10);
      out.set(data, 10 + h.length);
      return out;
    };
    const dir = tempDir();
    const ok = path.join(dir, 'with-name.npz');
    fs.writeFileSync(ok, writeZip([...entries, { name: 'env_name.npy', data: npy('<U3', '()', new Uint8Array(12)) }]));
    const { notes } = await importDataset(ok);
    expect(notes[0]).toBe('ignored fields the kit does not use: env_name');
    const bad = path.join(dir, 'half.npz');
    fs.writeFileSync(bad, writeZip([...entries.filter((e) => e.name !== 'rewards.npy'), { name: 'rewards.npy', data: npy('<f2', '(4,)', new Uint8Array(8)) }]));
    expectOneLine(await catchDatasetErrorAsync(() => importDataset(bad)), bad, 'rewards', /unsupported dtype '<f2'/);
  });

  test('unrecognised, unreadable, truncated and corrupted files are one-line errors naming the file', async () => {
    const dir = tempDir();
    const text = path.join(dir, 'data.csv');
    fs.writeFileSync(text, 'observations,actions\n0,1\n');
    expectOneLine(await catchDatasetErrorAsync(() => importDataset(text)), text, undefined, /not an .npz \(zip\) or HDF5 file/);
    const missing = path.join(dir, 'missing.hdf5');
    expectOneLine(await catchDatasetErrorAsync(() => importDataset(missing)), missing, undefined, /cannot read the file \(ENOENT\)/);
    const h5 = fs.readFileSync(fixture('d4rl_style.hdf5'));
    const truncated = path.join(dir, 'truncated.hdf5');
    fs.writeFileSync(truncated, h5.subarray(0, 3000));
    expectOneLine(await catchDatasetErrorAsync(() => importDataset(truncated)), truncated, undefined, /not a readable HDF5 file \(truncated file/);
    const flipped = path.join(dir, 'flipped.h5');
    const b = Buffer.from(h5);
    b[8] ^= 0x5a; // superblock version
    fs.writeFileSync(flipped, b);
    expectOneLine(await catchDatasetErrorAsync(() => importDataset(flipped)), flipped, undefined, /not a readable HDF5 file \(bad superblock version number\)/);
    const npz = fs.readFileSync(fixture('compressed_no_next.npz'));
    const badZip = path.join(dir, 'bad.npz');
    fs.writeFileSync(badZip, npz.subarray(0, npz.length - 30));
    expectOneLine(await catchDatasetErrorAsync(() => importDataset(badZip)), badZip, undefined, /not a valid .npz file/);
    // after all these failures the HDF5 reader still works
    expectD4rlStyle(await importDataset(fixture('d4rl_style.hdf5')));
  });
});
