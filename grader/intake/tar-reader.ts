/**
 * Read a tar or tar.gz upload as a stream, checking every entry before keeping any byte.
 *
 * The gzip layer is ours (not node-tar's), so that every decompressed byte is counted against
 * the total cap and the compression ratio, and reading stops as soon as a cap is passed: a bomb
 * is never expanded beyond ~`maxTotalBytes`. node-tar's `Parser` only parses headers; nothing is
 * extracted to disk. Only regular files whose base name is expected (or a numbered copy of one,
 * `solver (1).ts`) are kept (in memory, each at
 * most `maxFileBytes`); links, devices and unsafe paths are skipped by the collector.
 */
import * as fs from 'fs';
import { pipeline } from 'stream';
import * as zlib from 'zlib';
import { Parser, ReadEntry } from 'tar';
import { Collector, EntryKind } from './collector';
import { isTarHeader } from './detect';
import { damagedArchive, IntakeRefusal } from './types';

/** How node-tar names entry types -> what the intake makes of them. */
function kindOf(type: string): EntryKind {
  switch (type) {
    case 'File':
    case 'OldFile':
    case 'ContiguousFile':
      return 'file';
    case 'Directory':
    case 'GNUDumpDir':
      return 'directory';
    case 'SymbolicLink':
      return 'symlink';
    case 'Link':
      return 'hardlink';
    default:
      return 'special';
  }
}

/**
 * Read `file` (plain tar, or gzip-compressed when `gzipped`) into the collector.
 * Throws `IntakeRefusal` for a damaged archive, a gzip file without a tar inside, or a passed cap.
 */
export async function readTar(file: string, gzipped: boolean, c: Collector): Promise<void> {
  const damaged = () => damagedArchive(c.subject);
  let failure: Error | undefined;
  let sawEof = false;

  const onEntry = (entry: ReadEntry): void => {
    if (failure) return void entry.resume();
    const kind = kindOf(entry.type);
    let take: ReturnType<Collector['entry']>;
    try {
      take = c.entry(entry.path, kind, entry.size);
    } catch (err) {
      failure = err as Error;
    }
    if (!take || kind !== 'file' || failure) return void entry.resume();
    const keep = take;
    const chunks: Buffer[] = [];
    entry.on('data', (d: Buffer) => chunks.push(d));
    entry.on('end', () => {
      const data = Buffer.concat(chunks);
      c.addCandidate(keep, async () => data);
    });
  };

  // Small meta (pax) entries only: a long file name never needs more than a few KiB.
  const parser = new Parser({ strict: true, brotli: false, zstd: false, maxMetaEntrySize: 64 * 1024, onReadEntry: onEntry });
  parser.on('error', () => (failure ??= damaged()));
  parser.on('eof', () => (sawEof = true));
  // Entries of types node-tar does not know (sparse files, tape volumes...) still count.
  parser.on('ignoredEntry', (entry: ReadEntry) => {
    if (failure) return;
    try {
      c.entry(entry.path, 'special', entry.size);
    } catch (err) {
      failure = err as Error;
    }
  });

  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  const source = handle.createReadStream({ highWaterMark: 64 * 1024 }); // closes the handle when done
  const gunzip = gzipped ? zlib.createGunzip() : undefined;
  const stream: AsyncIterable<Buffer> = gunzip ? pipeline(source, gunzip, () => undefined) : source;

  const head: Buffer[] = [];
  let headBytes = 0;
  let started = false;
  try {
    for await (const chunk of stream) {
      c.addUnpacked(chunk.length, gunzip ? gunzip.bytesWritten : undefined);
      let data = chunk;
      if (!started) {
        // Look at the first whole block before handing anything to the parser, so that a gzip
        // of something else (or a gzip inside a gzip) is refused rather than parsed.
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < 512) continue;
        data = Buffer.concat(head);
        if (!isTarHeader(data)) throw notTar(c, gzipped);
        started = true;
      }
      if (!parser.write(data) && !failure && !sawEof) await settle(parser, 'drain');
      if (failure) throw failure;
      if (sawEof) break; // whatever follows the end-of-archive marker is never read
    }
  } catch (err) {
    if (err instanceof IntakeRefusal) throw err;
    throw damaged(); // a read or gunzip error: corrupt data
  } finally {
    source.destroy(); // stop reading (and close the file) whether we finished, broke off or failed
  }
  if (!started) throw headBytes === 0 ? damaged() : notTar(c, gzipped);
  const ended = settle(parser, 'end');
  parser.end();
  await ended;
  if (failure) throw failure;
}

function notTar(c: Collector, gzipped: boolean): IntakeRefusal {
  return gzipped
    ? new IntakeRefusal(`${c.subject} is gzip-compressed but holds no tar archive; upload a .zip, .tar or .tar.gz file instead.`)
    : damagedArchive(c.subject);
}

/** Resolve at the first of `event`, 'error' or 'close' from the parser. */
function settle(parser: Parser, event: 'drain' | 'end'): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const e of [event, 'error', 'close']) parser.off(e, done);
      resolve();
    };
    for (const e of [event, 'error', 'close']) parser.on(e, done);
  });
}
