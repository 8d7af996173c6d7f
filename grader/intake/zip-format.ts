/**
 * A small reader for the zip container (PKWARE APPNOTE): the end-of-central-directory record
 * (with its zip64 form), the central directory entries, and the local header in front of an
 * entry's data. It only parses; it never inflates and never trusts an offset without a bounds check.
 */
import type { FileHandle } from 'fs/promises';

/** Thrown for a structurally damaged zip (or a split one, with `split` set). */
export class ZipFormatError extends Error {
  constructor(
    message: string,
    readonly split = false,
  ) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

/** Where the central directory is and how many entries it claims. */
export interface ZipDirectory {
  count: number;
  offset: number;
  size: number;
}

/** One central directory record, as far as the intake needs it. */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Unix file type and mode bits, when the entry was made on Unix or macOS. */
  unixMode?: number;
  /** MS-DOS directory attribute or a trailing slash. */
  dosDirectory: boolean;
}

const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;

/** Read exactly `length` bytes at `position`, or fail as damaged. */
export async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  if (bytesRead !== length) throw new ZipFormatError('unexpected end of file');
  return buf;
}

function u64(buf: Buffer, at: number): number {
  const v = buf.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('size out of range');
  return Number(v);
}

/** Find and read the end-of-central-directory record (zip64 when the classic one overflows). */
export async function readDirectoryEnd(fh: FileHandle, fileSize: number): Promise<ZipDirectory> {
  const tailLength = Math.min(fileSize, 22 + 0xffff);
  const tailStart = fileSize - tailLength;
  const tail = await readAt(fh, tailStart, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_END && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('no end of central directory');
  const disk = tail.readUInt16LE(at + 4);
  const cdDisk = tail.readUInt16LE(at + 6);
  let count = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  let end = tailStart + at;
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    if (end < 20) throw new ZipFormatError('zip64 locator missing');
    const locator = await readAt(fh, end - 20, 20);
    if (locator.readUInt32LE(0) !== SIG_LOCATOR64) throw new ZipFormatError('zip64 locator missing');
    const recordAt = u64(locator, 8);
    if (recordAt + 56 > end - 20) throw new ZipFormatError('zip64 record out of range');
    const record = await readAt(fh, recordAt, 56);
    if (record.readUInt32LE(0) !== SIG_END64) throw new ZipFormatError('zip64 record missing');
    if (record.readUInt32LE(16) !== 0 || record.readUInt32LE(20) !== 0) throw new ZipFormatError('split archive', true);
    count = u64(record, 32);
    size = u64(record, 40);
    offset = u64(record, 48);
    end = recordAt;
  } else if (disk !== 0 || cdDisk !== 0) {
    throw new ZipFormatError('split archive', true);
  }
  if (offset + size > end || size < count * 46) throw new ZipFormatError('central directory out of range');
  return { count, offset, size };
}

/** Decode an entry name: UTF-8 when flagged or valid, else Latin-1 (close enough to CP437 to quote). */
function decodeName(raw: Buffer, utf8Flag: boolean): string {
  if (utf8Flag) return raw.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return raw.toString('latin1');
  }
}

/** Walk the central directory, yielding each entry (zip64 extra fields applied). */
export function* centralEntries(cd: Buffer): Generator<ZipEntry> {
  let p = 0;
  while (p < cd.length) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== SIG_CENTRAL) throw new ZipFormatError('bad central directory record');
    const madeBy = cd.readUInt16LE(p + 4);
    const flags = cd.readUInt16LE(p + 8);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    const external = cd.readUInt32LE(p + 38);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > cd.length) throw new ZipFormatError('central directory record out of range');
    const name = decodeName(cd.subarray(p + 46, p + 46 + nameLength), (flags & 0x800) !== 0);
    const entry: ZipEntry = {
      name,
      flags,
      method: cd.readUInt16LE(p + 10),
      crc: cd.readUInt32LE(p + 16),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
      dosDirectory: name.endsWith('/') || name.endsWith('\\') || (external & 0x10) !== 0,
    };
    const host = madeBy >> 8;
    if (host === 3 || host === 19) entry.unixMode = external >>> 16;
    applyZip64(entry, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    yield entry;
    p = next;
  }
}

/** Replace 0xffffffff sizes and offset with the values of the zip64 extra field (id 1). */
function applyZip64(entry: ZipEntry, extra: Buffer): void {
  const max = 0xffffffff;
  if (entry.size !== max && entry.compressedSize !== max && entry.localOffset !== max) return;
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(q);
    const length = extra.readUInt16LE(q + 2);
    if (id === 1) {
      let r = q + 4;
      const take = () => {
        if (r + 8 > q + 4 + length || r + 8 > extra.length) throw new ZipFormatError('short zip64 field');
        const v = u64(extra, r);
        r += 8;
        return v;
      };
      if (entry.size === max) entry.size = take();
      if (entry.compressedSize === max) entry.compressedSize = take();
      if (entry.localOffset === max) entry.localOffset = take();
      return;
    }
    q += 4 + length;
  }
  throw new ZipFormatError('zip64 field missing');
}

/** Read an entry's compressed bytes, after checking its local header and every bound. */
export async function readEntryData(fh: FileHandle, entry: ZipEntry, limit: number): Promise<Buffer> {
  if (entry.localOffset + 30 > limit) throw new ZipFormatError('local header out of range');
  const local = await readAt(fh, entry.localOffset, 30);
  if (local.readUInt32LE(0) !== SIG_LOCAL) throw new ZipFormatError('bad local header');
  const start = entry.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (start + entry.compressedSize > limit) throw new ZipFormatError('entry data out of range');
  return readAt(fh, start, entry.compressedSize);
}
