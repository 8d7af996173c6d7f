/**
 * Read a submitted folder without ever following a link: the walk uses the entry types of
 * `readdir` (lstat semantics), never descends into dot-folders or `__MACOSX`, and a chosen file is
 * opened with O_NOFOLLOW and checked again with fstat, so a file swapped for a link after the walk
 * is not read either.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Collector, EntryKind } from './collector';
import { EntryUnreadable, formatBytes } from './types';

/** Walk `root` (the folder itself may be given by the caller through a link) into the collector. */
export async function readFolder(root: string, c: Collector): Promise<void> {
  const pending: Array<{ abs: string; rel: string }> = [{ abs: root, rel: '' }];
  while (pending.length > 0) {
    const { abs, rel } = pending.pop()!;
    const dirents = await fs.promises.readdir(abs, { withFileTypes: true });
    for (const d of dirents) {
      const childAbs = path.join(abs, d.name);
      const childRel = rel ? `${rel}/${d.name}` : d.name;
      const kind: EntryKind = d.isSymbolicLink()
        ? 'symlink'
        : d.isDirectory()
          ? 'directory'
          : d.isFile()
            ? 'file'
            : 'special';
      const size = kind === 'file' ? (await fs.promises.lstat(childAbs)).size : 0;
      const take = c.entry(childRel, kind, size, false);
      if (kind === 'directory' && !d.name.startsWith('.') && d.name !== '__MACOSX') {
        pending.push({ abs: childAbs, rel: childRel });
      }
      if (take) c.addCandidate(take, () => readRegularFile(childAbs, take.display, c.limits.maxFileBytes));
    }
  }
}

/** Read a regular, singly-linked file without following links, at most `cap` bytes. */
export async function readRegularFile(file: string, display: string, cap: number): Promise<Buffer> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    throw new EntryUnreadable(`'${display}' could not be opened (it is a link or not a regular file), so it was not used.`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new EntryUnreadable(`'${display}' is not a regular file, so it was not used.`);
    // Another name for the same file (a hard link) could be anything on the machine.
    if (st.nlink > 1) throw new EntryUnreadable(`'${display}' is a hard link, so it was not used; submit the file itself.`);
    if (st.size > cap) throw new EntryUnreadable(`'${display}' is larger than the ${formatBytes(cap)} allowed for one file, so it was not used.`);
    const buf = Buffer.alloc(st.size);
    const { bytesRead } = await fh.read(buf, 0, st.size, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
