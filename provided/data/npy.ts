// NumPy .npy arrays: decode format versions 1.0, 2.0 and 3.0, encode version 1.0 exactly as
// numpy.save does (same header text, data aligned to 64 bytes). Little-endian numeric and bool
// dtypes only. Fortran-order arrays are accepted on read and converted to C (row-major) order,
// so `data` is always row-major. Assumes a little-endian host (every platform Node runs on).

/** The typed arrays that hold .npy data, one per supported dtype. */
export type NpyData =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** A decoded array: `dtype` is NumPy's descr string ('<f4', '|b1', ...), `data` is row-major. */
export interface NpyArray {
  dtype: string;
  shape: number[];
  data: NpyData;
}

/** A malformed or unsupported .npy; the message is one line without the file name. */
export class NpyFormatError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'NpyFormatError';
  }
}

type TypedArrayCtor = { new (buffer: ArrayBuffer): NpyData; new (length: number): NpyData; readonly BYTES_PER_ELEMENT: number };

/** What each supported dtype is. `kind`: NumPy's kind letter (f float, i signed, u unsigned, b bool). */
export interface DtypeInfo {
  kind: 'f' | 'i' | 'u' | 'b';
  size: number;
  ctor: TypedArrayCtor;
}

const DTYPES: Record<string, DtypeInfo> = {
  '<f4': { kind: 'f', size: 4, ctor: Float32Array },
  '<f8': { kind: 'f', size: 8, ctor: Float64Array },
  '|b1': { kind: 'b', size: 1, ctor: Uint8Array },
  '|u1': { kind: 'u', size: 1, ctor: Uint8Array },
  '|i1': { kind: 'i', size: 1, ctor: Int8Array },
  '<i2': { kind: 'i', size: 2, ctor: Int16Array },
  '<u2': { kind: 'u', size: 2, ctor: Uint16Array },
  '<i4': { kind: 'i', size: 4, ctor: Int32Array },
  '<u4': { kind: 'u', size: 4, ctor: Uint32Array },
  '<i8': { kind: 'i', size: 8, ctor: BigInt64Array },
  '<u8': { kind: 'u', size: 8, ctor: BigUint64Array },
};

/** The dtype strings this module reads and writes, in canonical form. */
export const SUPPORTED_DTYPES: readonly string[] = Object.keys(DTYPES);

/** Canonical form of a descr: one-byte types take '|', '=' means little-endian. Throws NpyFormatError. */
export function normalizeDtype(descr: string): string {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  if (!m) throw new NpyFormatError(`unsupported dtype '${descr}'`);
  const [, order, kind, size] = m;
  if (size === '1') {
    const key = `|${kind}1`;
    if (key in DTYPES) return key;
  } else if (order === '>') {
    throw new NpyFormatError(`big-endian dtype '${descr}' is not supported (convert with arr.astype('<${kind}${size}'))`);
  } else if (order !== '|' && `<${kind}${size}` in DTYPES) {
    return `<${kind}${size}`;
  }
  throw new NpyFormatError(`unsupported dtype '${descr}' (supported: ${SUPPORTED_DTYPES.join(' ')})`);
}

/** Facts about a canonical dtype string; throws NpyFormatError for unsupported ones. */
export function dtypeInfo(dtype: string): DtypeInfo {
  return DTYPES[normalizeDtype(dtype)];
}

/** Number of elements of an array with this shape (1 for a 0-d array). */
export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Decodes .npy bytes into a row-major array (a fresh, aligned copy). Throws NpyFormatError. */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new NpyFormatError('not a .npy array (bad magic string)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerStart: number;
  let headerLen: number;
  if (major === 1) {
    headerStart = 10;
    headerLen = view.getUint16(8, true);
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyFormatError('truncated .npy header');
    headerStart = 12;
    headerLen = view.getUint32(8, true);
  } else {
    throw new NpyFormatError(`unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (headerStart + headerLen > bytes.length) throw new NpyFormatError('truncated .npy header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const { dtype, fortran, shape } = parseHeader(header);
  const info = DTYPES[dtype];
  const count = shapeSize(shape);
  const start = headerStart + headerLen;
  const expected = count * info.size;
  if (bytes.length - start !== expected) {
    throw new NpyFormatError(`data has ${bytes.length - start} bytes, shape (${shape.join(', ')}) of ${dtype} needs ${expected}`);
  }
  const buffer = new ArrayBuffer(expected);
  new Uint8Array(buffer).set(bytes.subarray(start));
  const data = new info.ctor(buffer);
  return { dtype, shape, data: fortran && shape.length > 1 ? fortranToC(data, shape, info.ctor) : data };
}

/** Reads descr, fortran_order and shape from the header's Python dict literal. */
function parseHeader(header: string): { dtype: string; fortran: boolean; shape: number[] } {
  const text = header.trim();
  if (!text.startsWith('{') || !text.endsWith('}')) throw new NpyFormatError('malformed .npy header (not a dict literal)');
  if (/['"]descr['"]\s*:\s*[[(]/.test(text)) throw new NpyFormatError('structured (record) dtypes are not supported');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)\b/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw new NpyFormatError(`malformed .npy header: ${text.slice(0, 120)}`);
  const dims = shape[1]
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s !== '');
  if (dims.some((d) => !/^\d+$/.test(d))) throw new NpyFormatError(`malformed .npy shape (${shape[1]})`);
  return { dtype: normalizeDtype(descr[1]), fortran: fortran[1] === 'True', shape: dims.map(Number) };
}

/** Reorders column-major (Fortran) data of the given shape into row-major order. */
function fortranToC(src: NpyData, shape: number[], ctor: TypedArrayCtor): NpyData {
  const n = src.length;
  const out = new ctor(n);
  const strides: number[] = []; // Fortran strides, in elements
  let s = 1;
  for (const d of shape) {
    strides.push(s);
    s *= d;
  }
  const index = new Array<number>(shape.length).fill(0);
  let f = 0; // Fortran offset of the current C-order index
  for (let c = 0; c < n; c++) {
    (out as unknown as Array<number | bigint>)[c] = (src as unknown as Array<number | bigint>)[f];
    for (let k = shape.length - 1; k >= 0; k--) {
      index[k]++;
      f += strides[k];
      if (index[k] < shape[k]) break;
      f -= strides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

/** The header dict exactly as numpy.save writes it, e.g. "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }". */
function headerText(dtype: string, shape: readonly number[]): string {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  return `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${dims}), }`;
}

/** Encodes an array as .npy version 1.0, byte-identical to numpy.save of the same C-order array. */
export function encodeNpy(arr: NpyArray): Uint8Array {
  const dtype = normalizeDtype(arr.dtype);
  const info = DTYPES[dtype];
  if (!(arr.data instanceof info.ctor)) throw new TypeError(`dtype ${dtype} needs a ${info.ctor.name}, got ${arr.data.constructor.name}`);
  if (arr.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new RangeError(`invalid shape (${arr.shape.join(', ')})`);
  if (shapeSize(arr.shape) !== arr.data.length) throw new RangeError(`shape (${arr.shape.join(', ')}) needs ${shapeSize(arr.shape)} values, data has ${arr.data.length}`);
  let header = headerText(dtype, arr.shape);
  const unpadded = 10 + header.length + 1; // magic + version + length field + header + '\n'
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  if (header.length > 0xffff) throw new RangeError('.npy header too long for format 1.0');
  const data = new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength);
  const out = new Uint8Array(10 + header.length + data.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(data, 10 + header.length);
  return out;
}
