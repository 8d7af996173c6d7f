import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Dataset, DatasetBuilder } from '../../provided/data/dataset';
import { datasetsBitEqual, datasetToArrays, decodeDataset, loadDataset, saveDataset, sha256File } from '../../provided/data/files';
import { NpyArray } from '../../provided/data/npy';
import { encodeNpz, NpzArrays, readNpz, writeNpz } from '../../provided/data/npz';
import { readZip, writeZip } from '../../provided/data/zip';
import { DatasetError } from '../../provided/runtime/errors';
import { catchDatasetError, expectOneLine, IMPORTS_DIR, removeTempDirs, sampleDataset, tempDir } from './support';

afterAll(removeTempDirs);

function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

/** The arrays of a valid file, for editing into invalid ones. */
function validArrays(): NpzArrays {
  return datasetToArrays(sampleDataset());
}

/** Writes `arrays` as <name>.npz in a fresh folder; returns the path. */
function fileWith(arrays: NpzArrays, name = 'bad'): string {
  const file = path.join(tempDir(), `${name}.npz`);
  writeNpz(file, arrays);
  return file;
}

function refusal(arrays: NpzArrays, field: string | undefined, detail: RegExp, expect_?: Parameters<typeof loadDataset>[1]): void {
  const file = fileWith(arrays);
  expectOneLine(catchDatasetError(() => loadDataset(file, expect_)), file, field, detail);
}

describe('saveDataset / loadDataset', () => {
  test('round trip is bit-identical, including -0, a subnormal and the largest float32', () => {
    const ds = sampleDataset();
    const file = path.join(tempDir(), 'sample.npz');
    saveDataset(file, ds);
    const back = loadDataset(file);
    expect(datasetsBitEqual(back, ds)).toBe(true);
    expect(bits(back.observations.data)).toEqual(bits(ds.observations.data));
    expect(Object.is(back.observations.data[0], -0)).toBe(true);
    expect(back.observations.data[1]).toBe(Math.fround(1e-45));
    expect(back.observations.data[2]).toBe(3.4028234663852886e38);
    expect(Array.from(back.terminals)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(back.timeouts)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);
    expect([back.observations.rows, back.observations.cols, back.actions.cols, back.next_observations.cols]).toEqual([12, 3, 2, 3]);
  });

  test('the file holds exactly the six fields with the documented dtypes and shapes', () => {
    const file = path.join(tempDir(), 'sample.npz');
    saveDataset(file, sampleDataset());
    const arrays = readNpz(file);
    const summary = Object.entries(arrays).map(([k, a]) => [k, a.dtype, a.shape]);
    expect(summary).toEqual([
      ['observations', '<f4', [12, 3]],
      ['actions', '<f4', [12, 2]],
      ['rewards', '<f4', [12]],
      ['next_observations', '<f4', [12, 3]],
      ['terminals', '|b1', [12]],
      ['timeouts', '|b1', [12]],
    ]);
  });

  test('bytes are deterministic: same dataset, same bytes and SHA-256 (pinned for a tiny dataset)', () => {
    const dir = tempDir();
    const a = path.join(dir, 'a.npz');
    const b = path.join(dir, 'b.npz');
    saveDataset(a, sampleDataset(7));
    saveDataset(b, sampleDataset(7)); // rebuilt from scratch, same values
    expect(fs.readFileSync(a).equals(fs.readFileSync(b))).toBe(true);
    expect(sha256File(a)).toBe(createHash('sha256').update(fs.readFileSync(a)).digest('hex'));
    saveDataset(b, sampleDataset(8));
    expect(sha256File(b)).not.toBe(sha256File(a));
    expect(fs.readdirSync(dir).sort()).toEqual(['a.npz', 'b.npz']); // no temporary files left

    const tiny = new DatasetBuilder(1, 1);
    tiny.add([0.5], [-1], 2, [1.5], true, false);
    tiny.add([1.5], [1], -2, [2.5], false, true);
    const t = path.join(dir, 'tiny.npz');
    saveDataset(t, tiny.build());
    // Changing this hash invalidates every manifest: only on purpose.
    expect(sha256File(t)).toBe(PINNED_TINY_SHA256);
  });

  test('saveDataset refuses a dataset that loadDataset would refuse, and writes nothing', () => {
    const dir = tempDir();
    const file = path.join(dir, 'nan.npz');
    const ds = sampleDataset();
    ds.rewards[3] = NaN;
    expectOneLine(catchDatasetError(() => saveDataset(file, ds)), file, 'rewards', /non-finite value NaN at row 3/);
    const ds2 = sampleDataset();
    ds2.actions.data[5] = -1.25;
    expectOneLine(catchDatasetError(() => saveDataset(file, ds2)), file, 'actions', /value -1.25 at row 2, column 1 is outside \[-1, 1\]/);
    const ds3 = sampleDataset();
    ds3.timeouts[0] = 0.5;
    expectOneLine(catchDatasetError(() => saveDataset(file, ds3)), file, 'timeouts', /value 0.5 at row 0 is not 0 or 1/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('loadDataset refusals name the file and the field, on one line', () => {
  const edit = (f: (a: NpzArrays) => void): NpzArrays => {
    const a = validArrays();
    f(a);
    return a;
  };
  const f64 = (a: NpyArray): NpyArray => ({ dtype: '<f8', shape: a.shape, data: Float64Array.from(a.data as Float32Array) });

  test('checksum', () => {
    const file = fileWith(validArrays());
    const right = sha256File(file);
    expect(() => loadDataset(file, { sha256: right.toUpperCase() })).not.toThrow();
    expectOneLine(catchDatasetError(() => loadDataset(file, { sha256: '0'.repeat(64) })), file, undefined, new RegExp(`SHA-256 is ${right}, expected 0{64}`));
  });

  test('missing and extra fields', () => {
    refusal(edit((a) => delete a.timeouts), 'timeouts', /missing \(a dataset file holds exactly observations, actions, rewards, next_observations, terminals, timeouts\)/);
    refusal(edit((a) => (a.infos = { dtype: '<f4', shape: [1], data: new Float32Array(1) })), 'infos', /unexpected field/);
  });

  test('wrong dtypes', () => {
    refusal(edit((a) => (a.rewards = f64(a.rewards))), 'rewards', /dtype '<f8', expected '<f4'/);
    refusal(edit((a) => (a.observations = f64(a.observations))), 'observations', /dtype '<f8', expected '<f4'/);
    refusal(edit((a) => (a.terminals = { dtype: '<f4', shape: [12], data: new Float32Array(12) })), 'terminals', /dtype '<f4', expected '\|b1'/);
    refusal(edit((a) => (a.timeouts = { dtype: '|u1', shape: [12], data: new Uint8Array(12) })), 'timeouts', /dtype '\|u1', expected '\|b1'/);
  });

  test('wrong shapes and inconsistent row counts', () => {
    refusal(edit((a) => (a.rewards.shape = [12, 1])), 'rewards', /shape \(12, 1\), expected \(N,\)/);
    refusal(edit((a) => (a.observations.shape = [36])), 'observations', /shape \(36,\), expected \(12, D\)/);
    refusal(edit((a) => (a.actions = { dtype: '<f4', shape: [11, 2], data: new Float32Array(22) })), 'actions', /11 rows, but rewards has 12/);
    refusal(edit((a) => (a.timeouts = { dtype: '|b1', shape: [13], data: new Uint8Array(13) })), 'timeouts', /13 rows, but rewards has 12/);
    refusal(edit((a) => (a.next_observations = { dtype: '<f4', shape: [12, 2], data: new Float32Array(24) })), 'next_observations', /2 columns, observations have 3/);
    refusal(validArrays(), 'observations', /has 3 columns, expected 4/, { obsDim: 4 });
    refusal(validArrays(), 'actions', /has 2 columns, expected 1/, { actDim: 1 });
    const empty = (shape: number[]): NpyArray => ({ dtype: '<f4', shape, data: new Float32Array(0) });
    const none = { dtype: '|b1', shape: [0], data: new Uint8Array(0) };
    const zero = { observations: empty([0, 3]), actions: empty([0, 2]), rewards: empty([0]), next_observations: empty([0, 3]), terminals: none, timeouts: none };
    refusal(zero, 'rewards', /holds no transitions/);
  });

  test('bad values', () => {
    refusal(edit((a) => ((a.observations.data as Float32Array)[7] = NaN)), 'observations', /non-finite value NaN at row 2, column 1/);
    refusal(edit((a) => ((a.rewards.data as Float32Array)[11] = Infinity)), 'rewards', /non-finite value Infinity at row 11/);
    refusal(edit((a) => ((a.next_observations.data as Float32Array)[0] = -Infinity)), 'next_observations', /non-finite value -Infinity at row 0, column 0/);
    refusal(edit((a) => ((a.actions.data as Float32Array)[4] = 1.5)), 'actions', /value 1.5 at row 2, column 0 is outside \[-1, 1\]/);
    refusal(edit((a) => ((a.terminals.data as Uint8Array)[6] = 2)), 'terminals', /invalid bool byte 2 at row 6/);
  });

  test('unreadable, non-npz and unsupported files', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'nope.npz');
    expectOneLine(catchDatasetError(() => loadDataset(missing)), missing, undefined, /cannot read the file \(ENOENT\)/);
    const textFile = path.join(dir, 'text.npz');
    fs.writeFileSync(textFile, 'observations,actions\n1,2\n'.repeat(20));
    expectOneLine(catchDatasetError(() => loadDataset(textFile)), textFile, undefined, /not a valid .npz file/);
    const edited = fileWith(validArrays());
    const raw = fs.readFileSync(edited).toString('latin1');
    fs.writeFileSync(edited, Buffer.from(raw.replace("'descr': '<f4', 'fortran_order': False, 'shape': (12,)", "'descr': '>f4', 'fortran_order': False, 'shape': (12,)"), 'latin1'));
    expectOneLine(catchDatasetError(() => loadDataset(edited)), edited, undefined, /entry 'rewards.npy': CRC-32 mismatch/);
    const bigEndian = path.join(dir, 'big-endian.npz');
    const entries = readZip(encodeNpz(validArrays())).map((e) =>
      e.name === 'rewards.npy' ? { name: e.name, data: Uint8Array.from(e.data, (b, i) => (i === 21 ? '>'.charCodeAt(0) : b)) } : e,
    );
    expect(new TextDecoder().decode(entries[2].data.subarray(10, 30))).toBe("{'descr': '>f4', 'fo");
    fs.writeFileSync(bigEndian, writeZip(entries));
    expectOneLine(catchDatasetError(() => loadDataset(bigEndian)), bigEndian, 'rewards', /big-endian dtype '>f4' is not supported/);
  });
});

describe('corrupted files never crash and never load silently wrong data', () => {
  // Flips that load unchanged data hit zip fields no reader uses (timestamps, versions, host
  // attributes, the local headers' copies of sizes and CRCs): about 12% of this small file.
  test('every single-byte flip of a saved file either loads identical data or is a one-line DatasetError', () => {
    const dir = tempDir();
    const good = path.join(dir, 'good.npz');
    const ds = sampleDataset();
    saveDataset(good, ds);
    const bytes = fs.readFileSync(good);
    const label = path.join(dir, 'flipped.npz');
    let refused = 0;
    for (let i = 0; i < bytes.length; i++) {
      const b = Buffer.from(bytes);
      b[i] ^= 0x5a;
      let loaded: Dataset | undefined;
      try {
        loaded = decodeDataset(b, label);
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
        expectOneLine(e as DatasetError, label, (e as DatasetError).field);
        refused++;
      }
      if (loaded) expect(datasetsBitEqual(loaded, ds)).toBe(true);
    }
    expect(refused).toBeGreaterThan(0.85 * bytes.length);
    // the same through loadDataset on disk, for a spread of positions
    for (let i = 0; i < bytes.length; i += 97) {
      const b = Buffer.from(bytes);
      b[i] ^= 0xff;
      fs.writeFileSync(label, b);
      try {
        expect(datasetsBitEqual(loadDataset(label), ds)).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
        expectOneLine(e as DatasetError, label, (e as DatasetError).field);
      }
    }
  });

  test('every truncation of a saved file is a one-line DatasetError naming the file', () => {
    const dir = tempDir();
    const good = path.join(dir, 'good.npz');
    saveDataset(good, sampleDataset());
    const bytes = fs.readFileSync(good);
    const label = path.join(dir, 'truncated.npz');
    for (let n = 0; n < bytes.length; n++) {
      expectOneLine(catchDatasetError(() => decodeDataset(bytes.subarray(0, n), label)), label, undefined, /not a valid .npz file/);
    }
    fs.writeFileSync(label, bytes.subarray(0, bytes.length >> 1));
    expectOneLine(catchDatasetError(() => loadDataset(label)), label, undefined, /not a valid .npz file: no zip end-of-central-directory record/);
  });

  test('a corrupt deflate stream in a numpy savez_compressed file is wrapped, not an fflate error', () => {
    const bytes = fs.readFileSync(path.join(IMPORTS_DIR, 'compressed_no_next.npz'));
    const copy = path.join(tempDir(), 'compressed.npz');
    const start = 30 + 'observations.npy'.length + 20; // first entry's data (after its zip64 extra)
    const messages = new Set<string>();
    for (let i = start; i < start + 120; i++) {
      const b = Buffer.from(bytes);
      b[i] ^= 0xff;
      fs.writeFileSync(copy, b);
      const err = catchDatasetError(() => readNpz(copy));
      expectOneLine(err, copy, undefined, /not a valid .npz file: entry 'observations.npy': (corrupt deflate data|CRC-32 mismatch|\d+ bytes after decoding)/);
      messages.add(err.message.replace(/\(.*\)/, '').replace(/\d+ bytes.*/, 'size'));
    }
    expect([...messages].some((m) => m.includes('corrupt deflate data'))).toBe(true);
  });
});

const PINNED_TINY_SHA256 = '3ece63519b98c8446db65bbbe4ea1e05582fc4e8e3d530fb4fef6d1fd5785ffb';
