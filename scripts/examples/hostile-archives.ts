// Archives of the hostile corpus (scripts/examples/hostile.ts), written byte by byte so that every
// field a student could abuse is under control: `../` and absolute names, symbolic and hard links
// to files outside, setuid modes, compression bombs, 100 000 entries, duplicate names. Same input,
// same bytes (mtime 0, uid 0, entries in the given order). Bombs are cheap to make: a gzip of
// repeated members, a deflate stream of repeated fully-flushed blocks.
import * as zlib from 'node:zlib';
import { Header } from 'tar';

export interface ArchiveEntry {
  name: string;
  type?: 'file' | 'symlink' | 'hardlink';
  data?: Buffer;
  /** Link target (symlink, hardlink). */
  target?: string;
  /** Permission bits and setuid/setgid (default 0o644). */
  mode?: number;
}

const MiB = 1024 * 1024;

/** One ustar entry: the header exactly as given (no path cleaning), then the padded data. */
export function tarEntry(e: ArchiveEntry): Buffer {
  const data = e.type === 'symlink' || e.type === 'hardlink' ? Buffer.alloc(0) : (e.data ?? Buffer.alloc(0));
  const type = e.type === 'symlink' ? 'SymbolicLink' : e.type === 'hardlink' ? 'Link' : 'File';
  const block = Buffer.alloc(512);
  new Header({ path: e.name, mode: e.mode ?? 0o644, uid: 0, gid: 0, mtime: new Date(0), type, size: data.length, linkpath: e.target }).encode(block, 0);
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return Buffer.concat([block, padded]);
}

/** The end-of-archive marker. */
const TAR_END = Buffer.alloc(1024);

export function tarBytes(entries: ArchiveEntry[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), TAR_END]);
}

export const gzipBytes = (tar: Buffer): Buffer => zlib.gzipSync(tar, { level: 9, mtime: 0 } as zlib.ZlibOptions);

/**
 * A tar.gz that unpacks to `copies` x `entryMiB` MiB of zeros: one gzip member holding a tar entry
 * of zeros, repeated (gzip readers continue across members), then a member with the end marker.
 */
export function gzipBomb(copies: number, entryMiB: number): Buffer {
  const member = gzipBytes(tarEntry({ name: 'bomb/zeros.bin', data: Buffer.alloc(entryMiB * MiB) }));
  return Buffer.concat([...Array.from({ length: copies }, () => member), gzipBytes(TAR_END)]);
}

/** A raw deflate stream of `mib` MiB of zeros: one fully flushed 1 MiB block repeated, then an empty final block. */
function deflatedZeros(mib: number): { data: Buffer; crc: number } {
  const chunk = Buffer.alloc(MiB);
  const block = zlib.deflateRawSync(chunk, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = zlib.crc32(chunk, crc);
  return { data: Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([0x03, 0x00])]), crc };
}

interface ZipRecord {
  name: Buffer;
  method: number;
  crc: number;
  compressed: Buffer;
  size: number;
  /** Unix type and permission bits, stored in the external attributes ("made by" Unix). */
  unixMode: number;
}

function zipRecord(e: ArchiveEntry): ZipRecord {
  const name = Buffer.from(e.name, 'utf8');
  if (e.type === 'hardlink') throw new Error(`zip has no hard links (entry ${e.name})`);
  const link = e.type === 'symlink';
  const data = link ? Buffer.from(e.target ?? '') : (e.data ?? Buffer.alloc(0));
  const unixMode = (link ? 0o120000 : 0o100000) | (e.mode ?? (link ? 0o777 : 0o644));
  return { name, method: link ? 0 : 8, crc: zlib.crc32(data), compressed: link ? data : zlib.deflateRawSync(data, { level: 9 }), size: data.length, unixMode };
}

/** A zip file; `bombMiB` adds an entry `bomb/zeros.bin` that inflates to that many MiB of zeros. */
export function zipBytes(entries: ArchiveEntry[], bombMiB = 0): Buffer {
  const records = entries.map(zipRecord);
  if (bombMiB > 0) {
    const { data, crc } = deflatedZeros(bombMiB);
    records.push({ name: Buffer.from('bomb/zeros.bin'), method: 8, crc, compressed: data, size: bombMiB * MiB, unixMode: 0o100644 });
  }
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const r of records) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(r.method, 8);
    local.writeUInt32LE(r.crc >>> 0, 14);
    local.writeUInt32LE(r.compressed.length, 18);
    local.writeUInt32LE(r.size, 22);
    local.writeUInt16LE(r.name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(r.method, 10);
    central.writeUInt32LE(r.crc >>> 0, 16);
    central.writeUInt32LE(r.compressed.length, 20);
    central.writeUInt32LE(r.size, 24);
    central.writeUInt16LE(r.name.length, 28);
    central.writeUInt32LE((r.unixMode << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, r.name, r.compressed);
    centrals.push(central, r.name);
    offset += 30 + r.name.length + r.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(records.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(records.length, 0xffff), 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, ...(records.length > 0xffff ? zip64End(records.length, directory.length, offset) : []), end]);
}

/** The zip64 end record and its locator, which hold an entry count above 65 535. */
function zip64End(count: number, directorySize: number, directoryOffset: number): Buffer[] {
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // size of the rest of the record
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
  locator.writeUInt32LE(1, 16);
  return [record, locator];
}
