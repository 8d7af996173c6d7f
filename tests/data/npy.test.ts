import * as fs from 'fs';
import * as path from 'path';
import { decodeNpy, encodeNpy, NpyArray, NpyFormatError, SUPPORTED_DTYPES } from '../../provided/data/npy';
import { readZip } from '../../provided/data/zip';
import { IMPORTS_DIR } from './support';

/** A hand-made .npy with an arbitrary header dict (format 1.0). */
function rawNpy(header: string, data: Uint8Array, major = 1): Uint8Array {
  const h = new TextEncoder().encode(header + '\n');
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const v = new DataView(out.buffer);
  if (major === 1) v.setUint16(8, h.length, true);
  else v.setUint32(8, h.length, true);
  out.set(h, pre);
  out.set(data, pre + h.length);
  return out;
}

function bytesOf(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function expectNpyError(bytes: Uint8Array, detail: RegExp): void {
  let err: unknown;
  try {
    decodeNpy(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(NpyFormatError);
  expect((err as Error).message).toMatch(detail);
  expect((err as Error).message).not.toMatch(/\n/);
}

describe('encodeNpy / decodeNpy', () => {
  test('every supported dtype round-trips with its shape and values', () => {
    for (const dtype of SUPPORTED_DTYPES) {
      const raw = new Uint8Array(48).map((_, i) => (i * 37 + 11) & 0xff);
      if (dtype === '|b1') raw.forEach((_, i) => (raw[i] = i % 3 === 0 ? 1 : 0));
      const size = Number(dtype.slice(2));
      const count = 48 / size;
      const arr = decodeNpy(rawNpy(`{'descr': '${dtype}', 'fortran_order': False, 'shape': (${count}, ), }`, raw));
      expect(arr.dtype).toBe(dtype);
      expect(arr.shape).toEqual([count]);
      expect(Array.from(bytesOf(arr.data))).toEqual(Array.from(raw));
      const again = decodeNpy(encodeNpy({ ...arr, shape: [2, count / 2] }));
      expect(again.shape).toEqual([2, count / 2]);
      expect(again.data).toEqual(arr.data);
      expect(again.data.constructor).toBe(arr.data.constructor);
    }
  });

  test('the data starts at a multiple of 64 bytes and the header reads like numpy.save', () => {
    for (const shape of [[], [5], [2, 3], [2, 1, 4]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const bytes = encodeNpy({ dtype: '<f4', shape, data: new Float32Array(n).fill(1.5) });
      const headerLen = new DataView(bytes.buffer).getUint16(8, true);
      expect((10 + headerLen) % 64).toBe(0);
      expect(bytes.length).toBe(10 + headerLen + 4 * n);
      const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLen));
      const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
      expect(header).toMatch(new RegExp(`^\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(${dims}\\), \\} *\\n$`));
      expect(decodeNpy(bytes).shape).toEqual(shape);
    }
  });

  test("encodes byte-identically to numpy's own .npy entries (savez and savez_compressed fixtures)", () => {
    let checked = 0;
    for (const name of ['savez_float64.npz', 'compressed_no_next.npz']) {
      for (const entry of readZip(fs.readFileSync(path.join(IMPORTS_DIR, name)))) {
        if (entry.name === 'actions.npy' && name === 'savez_float64.npz') continue; // Fortran order: numpy keeps it
        expect(Buffer.from(encodeNpy(decodeNpy(entry.data))).equals(Buffer.from(entry.data))).toBe(true);
        checked++;
      }
    }
    expect(checked).toBe(6 + 4);
  });

  test('reads a numpy-written format 2.0 file', () => {
    const arr = decodeNpy(fs.readFileSync(path.join(IMPORTS_DIR, 'header_v2.npy')));
    expect(arr.dtype).toBe('<f8');
    expect(arr.shape).toEqual([2, 3]);
    expect(Array.from(arr.data as Float64Array)).toEqual([0, 0.5, 1, 1.5, 2, 2.5]);
  });

  test('Fortran-order arrays are returned in row-major order (2-D from numpy, 3-D hand-made)', () => {
    const entries = readZip(fs.readFileSync(path.join(IMPORTS_DIR, 'savez_float64.npz')));
    const raw = entries.find((e) => e.name === 'actions.npy')!;
    expect(new TextDecoder().decode(raw.data.subarray(10, 60))).toContain("'fortran_order': True");
    const actions = decodeNpy(raw.data);
    expect(actions.shape).toEqual([7, 2]);
    const expected = [0, 1, 2, 3, 4, 5, 6].flatMap((i) => [(i - 3) / 4, -(i - 3) / 8]);
    expect(Array.from(actions.data as Float64Array)).toEqual(expected);

    const f = new Int32Array(24); // value 100 i + 10 j + k at Fortran offset i + 2 j + 6 k
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) f[i + 2 * j + 6 * k] = 100 * i + 10 * j + k;
    const c = decodeNpy(rawNpy("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 4), }", bytesOf(f)));
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(c.data[12 * i + 4 * j + k]).toBe(100 * i + 10 * j + k);
  });

  test('equivalent byte-order spellings are normalised', () => {
    const one = new Uint8Array([1, 0, 1]);
    expect(decodeNpy(rawNpy("{'descr': '<b1', 'fortran_order': False, 'shape': (3,), }", one)).dtype).toBe('|b1');
    expect(decodeNpy(rawNpy("{'descr': '=f4', 'fortran_order': False, 'shape': (0,), }", new Uint8Array())).dtype).toBe('<f4');
    expect(decodeNpy(rawNpy("{'descr': '<i1', 'fortran_order': False, 'shape': (3,), }", one)).data).toBeInstanceOf(Int8Array);
  });

  test('refuses malformed and unsupported arrays with one-line messages', () => {
    const eight = new Uint8Array(8);
    const hdr = (descr: string, shape = '(1,)'): string => `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
    expectNpyError(new Uint8Array([1, 2, 3]), /bad magic/);
    expectNpyError(rawNpy(hdr('>f8'), eight), /big-endian dtype '>f8'/);
    expectNpyError(rawNpy(hdr('<f2', '(4,)'), eight), /unsupported dtype '<f2'/);
    expectNpyError(rawNpy(hdr('<U2'), eight), /unsupported dtype '<U2'/);
    expectNpyError(rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", eight), /structured/);
    expectNpyError(rawNpy(hdr('<f8', '(2,)'), eight), /data has 8 bytes, shape \(2\) of <f8 needs 16/);
    expectNpyError(rawNpy(hdr('<f4'), eight), /data has 8 bytes.*needs 4/);
    expectNpyError(rawNpy(hdr('<f4', '(a,)'), eight), /malformed .npy shape/);
    expectNpyError(rawNpy("{'descr': '<f4'}", eight), /malformed .npy header/);
    expectNpyError(rawNpy(hdr('<f8'), eight, 9), /unsupported .npy format version 9/);
    expectNpyError(rawNpy(hdr('<f8'), eight).subarray(0, 20), /truncated .npy header/);
  });

  test('encoding checks that the typed array and the shape fit the dtype', () => {
    const bad: NpyArray = { dtype: '<f8', shape: [2], data: new Float32Array(2) };
    expect(() => encodeNpy(bad)).toThrow(/needs a Float64Array, got Float32Array/);
    expect(() => encodeNpy({ dtype: '<f4', shape: [3], data: new Float32Array(2) })).toThrow(/needs 3 values, data has 2/);
    expect(() => encodeNpy({ dtype: '|b1', shape: [-1], data: new Uint8Array(0) })).toThrow(/invalid shape/);
  });
});
