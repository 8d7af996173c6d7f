// The zip container under .npz files: a strict reader (stored and deflated entries, zip64 sizes as
// NumPy writes them, every entry's CRC-32 checked) and a byte-deterministic writer (stored entries,
// fixed 1980-01-01 timestamps, caller's entry order). Deflate data is decoded with fflate.
import { inflateSync } from 'fflate';

/** A malformed or unsupported zip file; the message is one line without the file name. */
export class ZipFormatError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'ZipFormatError';
  }
}

/** One file inside a zip archive. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const MAX32 = 0xffffffff;
/** MS-DOS date of 1980-01-01 (time 00:00:00 is 0), the same fixed stamp NumPy's savez uses. */
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (the zip / PNG polynomial) of the bytes, as an unsigned integer. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Bounds-checked little-endian reads over the archive bytes. */
class Reader {
  private readonly view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(offset: number, size: number, what: string): void {
    if (offset < 0 || offset + size > this.bytes.length) throw new ZipFormatError(`truncated archive: ${what} runs past the end of the file`);
  }
  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getUint16(offset, true);
  }
  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset, true);
  }
  u64(offset: number, what: string): number {
    const lo = this.u32(offset, what);
    const hi = this.u32(offset + 4, what);
    const value = hi * 2 ** 32 + lo;
    if (!Number.isSafeInteger(value)) throw new ZipFormatError(`${what}: 64-bit value too large`);
    return value;
  }
  slice(offset: number, size: number, what: string): Uint8Array {
    this.need(offset, size, what);
    return this.bytes.subarray(offset, offset + size);
  }
}

/** Where the central directory is and how many entries it holds (zip64-aware). */
function findCentralDirectory(r: Reader): { offset: number; size: number; count: number } {
  const n = r.bytes.length;
  let end = -1;
  const b = r.bytes;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6 && i + 22 + r.u16(i + 20, 'end record') === n) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError(n < 22 ? `only ${n} bytes, too short for a zip archive` : 'no zip end-of-central-directory record (not a zip file, or truncated)');
  if (r.u16(end + 4, 'end record') !== 0 || r.u16(end + 6, 'end record') !== 0) throw new ZipFormatError('multi-disk archives are not supported');
  let count = r.u16(end + 10, 'end record');
  let size = r.u32(end + 12, 'end record');
  let offset = r.u32(end + 16, 'end record');
  if (count === 0xffff || size === MAX32 || offset === MAX32) {
    const loc = end - 20;
    if (loc < 0 || r.u32(loc, 'zip64 locator') !== SIG_ZIP64_LOCATOR) throw new ZipFormatError('zip64 end record expected but its locator is missing');
    const z = r.u64(loc + 8, 'zip64 locator');
    if (r.u32(z, 'zip64 end record') !== SIG_ZIP64_END) throw new ZipFormatError('zip64 end record is corrupt');
    count = r.u64(z + 32, 'zip64 end record');
    size = r.u64(z + 40, 'zip64 end record');
    offset = r.u64(z + 48, 'zip64 end record');
  }
  if (offset + size > end) throw new ZipFormatError('central directory lies outside the file (truncated or corrupt)');
  return { offset, size, count };
}

/** Reads the zip64 extra field (id 1): the 64-bit values replace the 32-bit fields that are 0xFFFFFFFF. */
function applyZip64(extra: Uint8Array, fields: { usize: number; csize: number; local?: number }, what: string): void {
  const r = new Reader(extra);
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = r.u16(p, what);
    const len = r.u16(p + 2, what);
    if (id === 1) {
      let q = p + 4;
      const take = (): number => {
        if (q + 8 > p + 4 + len) throw new ZipFormatError(`${what}: zip64 extra field too short`);
        const v = r.u64(q, what);
        q += 8;
        return v;
      };
      if (fields.usize === MAX32) fields.usize = take();
      if (fields.csize === MAX32) fields.csize = take();
      if (fields.local === MAX32) fields.local = take();
      return;
    }
    p += 4 + len;
  }
}

/** Decodes every entry of a zip archive, checking sizes, names and CRC-32s; throws ZipFormatError. */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  const r = new Reader(bytes);
  const cd = findCentralDirectory(r);
  const entries: ZipEntry[] = [];
  let p = cd.offset;
  for (let k = 0; k < cd.count; k++) {
    const what = `central directory entry ${k + 1}`;
    if (r.u32(p, what) !== SIG_CENTRAL) throw new ZipFormatError(`${what} is corrupt (bad signature)`);
    const flags = r.u16(p + 8, what);
    const method = r.u16(p + 10, what);
    const crc = r.u32(p + 16, what);
    const nameLen = r.u16(p + 28, what);
    const extraLen = r.u16(p + 30, what);
    const commentLen = r.u16(p + 32, what);
    const nameBytes = r.slice(p + 46, nameLen, what);
    const name = new TextDecoder().decode(nameBytes);
    const f = { csize: r.u32(p + 20, what), usize: r.u32(p + 24, what), local: r.u32(p + 42, what) };
    applyZip64(r.slice(p + 46 + nameLen, extraLen, what), f, what);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new ZipFormatError(`entry '${name}' is encrypted`);
    const lwhat = `local header of '${name}'`;
    if (r.u32(f.local, lwhat) !== SIG_LOCAL) throw new ZipFormatError(`${lwhat} is corrupt (bad signature)`);
    const lname = r.slice(f.local + 30, r.u16(f.local + 26, lwhat), lwhat);
    if (lname.length !== nameBytes.length || lname.some((b, i) => b !== nameBytes[i])) throw new ZipFormatError(`${lwhat} names a different file`);
    if (r.u16(f.local + 8, lwhat) !== method) throw new ZipFormatError(`${lwhat} disagrees with the central directory`);
    const start = f.local + 30 + lname.length + r.u16(f.local + 28, lwhat);
    const raw = r.slice(start, f.csize, `data of '${name}'`);
    entries.push({ name, data: decodeEntry(name, method, raw, f.usize, crc) });
  }
  if (p !== cd.offset + cd.size) throw new ZipFormatError('central directory size does not match its entries');
  return entries;
}

function decodeEntry(name: string, method: number, raw: Uint8Array, usize: number, crc: number): Uint8Array {
  let data: Uint8Array;
  if (method === 0) data = raw;
  else if (method === 8) {
    try {
      data = inflateSync(raw);
    } catch (e) {
      throw new ZipFormatError(`entry '${name}': corrupt deflate data (${oneLine(e)})`);
    }
  } else throw new ZipFormatError(`entry '${name}': unsupported compression method ${method} (only stored and deflate)`);
  if (data.length !== usize) throw new ZipFormatError(`entry '${name}': ${data.length} bytes after decoding, the directory says ${usize}`);
  if (crc32(data) !== crc) throw new ZipFormatError(`entry '${name}': CRC-32 mismatch (corrupt data)`);
  return data;
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
}

/** Writes a zip archive of stored (uncompressed) entries. The bytes depend only on the entry
 * names, their order and their data: timestamps are fixed and no host attributes are recorded. */
export function writeZip(entries: ZipEntry[]): Uint8Array {
  const names = entries.map((e) => {
    if (!/^[\x21-\x7e][\x20-\x7e]*$/.test(e.name)) throw new RangeError(`zip entry name '${e.name}' must be printable ASCII`);
    return new TextEncoder().encode(e.name);
  });
  if (new Set(entries.map((e) => e.name)).size !== entries.length) throw new RangeError('duplicate zip entry names');
  const localSize = entries.reduce((s, e, i) => s + 30 + names[i].length + e.data.length, 0);
  const centralSize = names.reduce((s, n) => s + 46 + n.length, 0);
  const total = localSize + centralSize + 22;
  if (total > MAX32 || entries.length > 0xfffe) throw new RangeError('archive too large for a zip without zip64');
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const offsets: number[] = [];
  const crcs = entries.map((e) => crc32(e.data));
  let p = 0;
  entries.forEach((e, i) => {
    offsets.push(p);
    view.setUint32(p, SIG_LOCAL, true);
    writeCommon(view, p + 4, names[i].length, e.data.length, crcs[i]);
    out.set(names[i], p + 30);
    out.set(e.data, p + 30 + names[i].length);
    p += 30 + names[i].length + e.data.length;
  });
  const cdStart = p;
  entries.forEach((e, i) => {
    view.setUint32(p, SIG_CENTRAL, true);
    view.setUint16(p + 4, 20, true); // version made by: 2.0, MS-DOS attributes (none set)
    writeCommon(view, p + 6, names[i].length, e.data.length, crcs[i]);
    // comment length, disk number, internal and external attributes stay 0
    view.setUint32(p + 42, offsets[i], true);
    out.set(names[i], p + 46);
    p += 46 + names[i].length;
  });
  view.setUint32(p, SIG_END, true);
  view.setUint16(p + 8, entries.length, true);
  view.setUint16(p + 10, entries.length, true);
  view.setUint32(p + 12, p - cdStart, true);
  view.setUint32(p + 16, cdStart, true);
  return out;
}

/** The fields shared by local and central headers, from "version needed" to "extra length". */
function writeCommon(view: DataView, p: number, nameLen: number, size: number, crc: number): void {
  view.setUint16(p, 20, true); // version needed: 2.0
  view.setUint16(p + 2, 0, true); // flags
  view.setUint16(p + 4, 0, true); // method: stored
  view.setUint16(p + 6, 0, true); // time 00:00:00
  view.setUint16(p + 8, DOS_DATE_1980, true);
  view.setUint32(p + 10, crc, true);
  view.setUint32(p + 14, size, true); // compressed size
  view.setUint32(p + 18, size, true); // uncompressed size
  view.setUint16(p + 22, nameLen, true);
  view.setUint16(p + 24, 0, true); // extra length
}
