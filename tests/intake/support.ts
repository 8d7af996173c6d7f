// Helpers of the intake tests: temporary folders, hand-made tar entries (any header, including
// hostile ones) and a hand-made zip writer (any name, mode or declared size).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Header } from 'tar';
import type { HeaderData } from 'tar';

const made: string[] = [];

/** A fresh temporary folder; removed by removeTempDirs(). */
export function tempDir(prefix = 'rlhw-intake-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Write files (relative path -> content) under `root`, making folders as needed. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

/** Every path under `root` (relative, sorted), found with lstat so links are listed, not followed. */
export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readdirSync(dir)) {
      const r = rel ? `${rel}/${name}` : name;
      out.push(r);
      if (fs.lstatSync(path.join(dir, name)).isDirectory()) walk(path.join(dir, name), r);
    }
  };
  walk(root, '');
  return out.sort();
}

/** One tar entry: a header block exactly as given (no path cleaning) and its padded data. */
export function tarEntry(h: HeaderData, data: Buffer | string = ''): Buffer {
  const body = Buffer.from(data);
  const header = new Header({ mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), type: 'File', size: body.length, ...h });
  const block = Buffer.alloc(512);
  header.encode(block, 0);
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([block, padded]);
}

/** The end-of-archive marker: two zero blocks. */
export const TAR_END = Buffer.alloc(1024);

/** One entry for `makeZip`. */
export interface ZipSpec {
  name: string;
  data?: Buffer | string;
  /** 0 stored, 8 deflate (default). */
  method?: number;
  /** Unix mode (type and permission bits) put in the external attributes, made on Unix. */
  unixMode?: number;
  /** Lie about the uncompressed size in both headers. */
  declaredSize?: number;
  flags?: number;
  /** Reuse the data of an earlier entry (overlapping entries, as in the "better zip bomb"). */
  sameDataAs?: number;
}

/** A zip file written by hand, so that tests control every field. */
export function makeZip(specs: ZipSpec[], options: { declaredCount?: number; zip64?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  const compressedSizes: number[] = [];
  let offset = 0;
  specs.forEach((s) => {
    const name = Buffer.from(s.name, 'utf8');
    const data = Buffer.from(s.data ?? '');
    const method = s.method ?? 8;
    const compressed = method === 8 ? zlib.deflateRawSync(data) : data;
    const size = s.declaredSize ?? data.length;
    const crc = zlib.crc32(data);
    const flags = (s.flags ?? 0) | 0x800;
    let localOffset = offset;
    let compressedSize = compressed.length;
    if (s.sameDataAs === undefined) {
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      locals.push(local, name, compressed);
      offset += 30 + name.length + compressed.length;
    } else {
      localOffset = offsets[s.sameDataAs];
      compressedSize = compressedSizes[s.sameDataAs];
    }
    offsets.push(localOffset);
    compressedSizes.push(compressedSize);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(s.unixMode !== undefined ? (3 << 8) | 20 : 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressedSize, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(s.unixMode !== undefined ? (s.unixMode << 16) >>> 0 : 0, 38);
    central.writeUInt32LE(localOffset, 42);
    centrals.push(central, name);
  });
  const cd = Buffer.concat(centrals);
  const count = options.declaredCount ?? specs.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  if (!options.zip64) {
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    return Buffer.concat([...locals, cd, end]);
  }
  // zip64: the classic record says "see the zip64 record", which holds the real numbers.
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4);
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(cd.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...locals, cd, record, locator, end]);
}

/** Problems must be one student-facing sentence each: one line, ending in a full stop, no grader paths. */
export function expectStudentFacing(problems: Array<{ message: string }>): void {
  for (const { message } of problems) {
    expect(message).not.toMatch(/\n/);
    expect(message).toMatch(/[.]$/);
    expect(message).not.toContain(os.tmpdir());
    expect(message).not.toMatch(/at .*:\d+:\d+/);
  }
}

/** The work folder holds exactly `names`, each a regular 0644 file (nothing else, no links). */
export function expectOnly(workDir: string, names: string[]): void {
  expect(listTree(workDir)).toEqual([...names].sort());
  for (const name of names) {
    const st = fs.lstatSync(path.join(workDir, name));
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o7777).toBe(0o644);
    expect(st.uid).toBe(process.getuid ? process.getuid() : st.uid);
  }
}
