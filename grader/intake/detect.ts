/**
 * Recognise an uploaded file by its first bytes, never by its extension: a `.zip` that is really
 * a tar.gz is read as a tar.gz, and a file that is no archive at all is named as such.
 */
import * as fs from 'fs';
import { Header } from 'tar';

/** What the first bytes of a file say it is. */
export type Sniffed =
  | { format: 'gzip' | 'zip' | 'tar' }
  /** A known archive or compression format we do not read (named for the message). */
  | { format: 'unsupported'; name: string }
  | { format: 'unknown' };

/** Magic numbers of formats students may upload that we do not read. */
const UNSUPPORTED: Array<[magic: number[], name: string]> = [
  [[0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive'],
  [[0x42, 0x5a, 0x68], 'a bzip2-compressed file'],
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'an xz-compressed file'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd-compressed file'],
];

/** Extensions that announce an archive (so a lone file with one is read as an archive). */
const ARCHIVE_EXTENSIONS = /\.(zip|tar|tgz|gz|tbz2?|bz2|txz|xz|7z|rar|zst|tzst)$/i;

/** Whether a file name looks like an archive by its extension. */
export function hasArchiveExtension(name: string): boolean {
  return ARCHIVE_EXTENSIONS.test(name);
}

function startsWith(buf: Buffer, magic: readonly number[], at = 0): boolean {
  return buf.length >= at + magic.length && magic.every((b, i) => buf[at + i] === b);
}

/**
 * Whether a 512-byte block is a tar header: 'ustar' at offset 257 (POSIX and GNU), or an old
 * v7 header whose checksum is right.
 */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < 512) return false;
  if (block.subarray(257, 262).toString('latin1') === 'ustar') return true;
  try {
    const h = new Header(block.subarray(0, 512));
    return h.cksumValid && !h.nullBlock && !!h.path;
  } catch {
    return false;
  }
}

/** Sniff a buffer holding (at least) the first 512 bytes of a file. */
export function sniffBytes(head: Buffer): Sniffed {
  if (startsWith(head, [0x1f, 0x8b])) return { format: 'gzip' };
  // A local file header, or the end record of an empty zip.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return { format: 'zip' };
  if (isTarHeader(head)) return { format: 'tar' };
  for (const [magic, name] of UNSUPPORTED) if (startsWith(head, magic)) return { format: 'unsupported', name };
  return { format: 'unknown' };
}

/** Sniff a file on disk by its first 512 bytes. */
export async function sniffFile(file: string): Promise<Sniffed> {
  const fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await fh.read(head, 0, 512, 0);
    return sniffBytes(head.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}
