/**
 * Read a zip upload: the central directory is read first and every entry's declared sizes are
 * checked (entry count, total size, per-file size, compression ratio) before anything is inflated.
 * Only the one chosen copy of each expected file is ever inflated, lazily, with its output capped
 * at its declared size (so a lying header cannot expand further) and its CRC checked.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { Collector, EntryKind } from './collector';
import { displayPath } from './entry-path';
import { damagedArchive, EntryUnreadable, IntakeRefusal } from './types';
import { centralEntries, readAt, readDirectoryEnd, readEntryData, ZipEntry, ZipFormatError } from './zip-format';

const S_IFMT = 0o170000;

/** What a central directory record describes. */
function kindOf(e: ZipEntry): EntryKind {
  const type = e.unixMode !== undefined ? e.unixMode & S_IFMT : 0;
  if (type === 0o120000) return 'symlink';
  if (type === 0o040000 || e.dosDirectory) return 'directory';
  if (type === 0 || type === 0o100000) return 'file';
  return 'special';
}

/** Read the zip at `file` into the collector; throws `IntakeRefusal` when it must be refused. */
export async function readZip(file: string, c: Collector): Promise<void> {
  const damaged = () => damagedArchive(c.subject);
  const fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const { size: fileSize } = await fh.stat();
    const dir = await readDirectoryEnd(fh, fileSize);
    c.checkEntryCount(dir.count); // 100 000 entries are refused here, before the directory is read
    const cd = await readAt(fh, dir.offset, dir.size);
    let seen = 0;
    for (const entry of centralEntries(cd)) {
      if (++seen > dir.count) throw damaged();
      const kind = kindOf(entry);
      const take = c.entry(entry.name, kind, entry.size);
      if (kind === 'file') c.checkDeclaredRatio(displayPath(entry.name), entry.size, entry.compressedSize);
      if (take) c.addCandidate(take, () => inflateEntry(file, entry, dir.offset, take.display, c));
    }
    if (seen !== dir.count) throw damaged();
  } catch (err) {
    if (err instanceof ZipFormatError) {
      throw err.split ? new IntakeRefusal(`${c.subject} is split into several parts, which is not supported; upload it as one .zip file.`) : damaged();
    }
    throw err;
  } finally {
    await fh.close();
  }
}

/** Inflate one entry (stored or deflate), capped at its declared size, and check its CRC. */
async function inflateEntry(file: string, e: ZipEntry, dataLimit: number, display: string, c: Collector): Promise<Buffer> {
  const unreadable = (why: string) => new EntryUnreadable(`'${display}' ${why}, so it could not be read.`);
  if (e.flags & 0x1) throw unreadable('is password-protected in the archive');
  if (e.method !== 0 && e.method !== 8) throw unreadable('uses a zip compression method other than deflate');
  // Deflate never grows data by more than a few bytes per 16 KiB block.
  if (e.compressedSize > e.size + Math.ceil(e.size / 8) + 1024) throw unreadable('is damaged in the archive');
  const fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  let raw: Buffer;
  try {
    raw = await readEntryData(fh, e, dataLimit);
  } catch (err) {
    if (err instanceof ZipFormatError) throw unreadable('is damaged in the archive');
    throw err;
  } finally {
    await fh.close();
  }
  let data: Buffer;
  if (e.method === 0) {
    data = raw;
  } else {
    try {
      // maxOutputLength makes zlib stop as soon as the output passes the declared size.
      data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, e.size) });
    } catch {
      throw unreadable('is damaged in the archive (or larger than its header says)');
    }
  }
  c.addUnpacked(data.length);
  if (data.length !== e.size) throw unreadable('is damaged in the archive');
  if (typeof zlib.crc32 === 'function' && zlib.crc32(data) >>> 0 !== e.crc >>> 0) throw unreadable('is damaged in the archive');
  return data;
}
