// NumPy .npz archives: a zip of '<name>.npy' entries. Reads what numpy.savez and
// numpy.savez_compressed write; writes byte-deterministic archives (stored entries, fixed
// timestamps, entries in the caller's key order), so a SHA-256 of the file is stable.
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from '../runtime/errors';
import { decodeNpy, encodeNpy, NpyArray, NpyFormatError } from './npy';
import { readZip, writeZip, ZipFormatError } from './zip';

/** Named arrays, in archive order. */
export type NpzArrays = Record<string, NpyArray>;

/** First bytes of a zip archive (a local header, or the end record of an empty archive). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

/** Decodes .npz bytes. `file` only labels errors: every failure is a one-line DatasetError
 * naming the file and, when one array is at fault, that array as the field. */
export function decodeNpz(bytes: Uint8Array, file: string): NpzArrays {
  return decodeNpzSelected(bytes, file, () => true).arrays;
}

/** Like decodeNpz, but decodes only the arrays whose name `wanted` accepts; the others are
 * listed in `skipped` (their bytes are still CRC-checked, their dtype may be anything). */
export function decodeNpzSelected(bytes: Uint8Array, file: string, wanted: (name: string) => boolean): { arrays: NpzArrays; skipped: string[] } {
  let entries;
  try {
    entries = readZip(bytes);
  } catch (e) {
    if (e instanceof ZipFormatError) throw new DatasetError(file, undefined, `not a valid .npz file: ${e.message}`);
    throw e;
  }
  const arrays: NpzArrays = Object.create(null) as NpzArrays; // entry names are data: no prototype keys
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (!entry.name.endsWith('.npy')) throw new DatasetError(file, entry.name, 'not a .npy entry (an .npz holds only .npy arrays)');
    const name = entry.name.slice(0, -'.npy'.length);
    if (seen.has(name)) throw new DatasetError(file, name, 'appears twice in the archive');
    seen.add(name);
    if (!wanted(name)) {
      skipped.push(name);
      continue;
    }
    try {
      arrays[name] = decodeNpy(entry.data);
    } catch (e) {
      if (e instanceof NpyFormatError) throw new DatasetError(file, name, e.message);
      throw e;
    }
  }
  return { arrays, skipped };
}

/** Encodes named arrays as .npz bytes; the same arrays in the same key order give the same bytes. */
export function encodeNpz(arrays: NpzArrays): Uint8Array {
  return writeZip(Object.entries(arrays).map(([name, arr]) => ({ name: `${name}.npy`, data: encodeNpy(arr) })));
}

/** Reads a file's bytes; an unreadable file is a one-line DatasetError. */
export function readFileBytes(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new DatasetError(file, undefined, `cannot read the file (${code})`);
  }
}

/** Reads an .npz file written by NumPy or by writeNpz. */
export function readNpz(file: string): NpzArrays {
  return decodeNpz(readFileBytes(file), file);
}

/** Writes an .npz file atomically (a temporary file in the same folder, then a rename). */
export function writeNpz(file: string, arrays: NpzArrays): void {
  const bytes = encodeNpz(arrays);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
