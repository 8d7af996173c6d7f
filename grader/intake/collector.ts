/**
 * The bookkeeping every reader (folder, tar, zip) shares: it counts entries and bytes against the
 * limits (throwing `IntakeRefusal`), decides which entries are candidates for an expected file,
 * remembers skipped entries, and at the end writes the chosen files into the work folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { classifyPath } from './entry-path';
import { EntryUnreadable, formatBytes, Intake, IntakeLimits, IntakeProblem, IntakeRefusal } from './types';

/** What kind of thing an entry is, as far as the intake cares. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'special';

/** A possible copy of an expected file; `load` reads its bytes (capped) when it is chosen. */
interface Candidate {
  display: string;
  load: () => Promise<Buffer>;
}

type SkipKind = 'outside' | 'link' | 'special';
const SKIP_TEXT: Record<SkipKind, [one: string, many: string]> = {
  outside: ['points outside the archive, so it was skipped', 'point outside the archive, so they were skipped'],
  link: ['is a link, which is not allowed, so it was skipped', 'are links, which are not allowed, so they were skipped'],
  special: [
    'is a special file (a device, pipe or similar), which is not allowed, so it was skipped',
    'are special files (devices, pipes or similar), which are not allowed, so they were skipped',
  ],
};

/** Collects candidates and problems for one upload. */
export class Collector {
  /** Entries seen, declared bytes, bytes actually unpacked and compressed bytes consumed. */
  readonly stats = { entries: 0, declaredBytes: 0, unpackedBytes: 0, compressedBytes: 0 };
  private readonly expected: Set<string>;
  private readonly candidates = new Map<string, Candidate[]>();
  private readonly fileProblems = new Map<string, IntakeProblem[]>();
  private readonly nearMisses = new Map<string, string>();
  private readonly skipped = new Map<SkipKind, { first: string; count: number }>();
  private readonly problems: IntakeProblem[] = [];

  /**
   * @param expectedFiles base names to look for
   * @param limits caps to enforce
   * @param subject how messages name the upload: "The archive 'hw.zip'" or "Your submission"
   */
  constructor(
    expectedFiles: readonly string[],
    readonly limits: IntakeLimits,
    readonly subject: string,
  ) {
    this.expected = new Set(expectedFiles);
  }

  /** Refuse the whole upload: too many entries, too many bytes, suspicious ratio. */
  private refuse(what: string): never {
    throw new IntakeRefusal(`${this.subject} ${what}, so it was not unpacked; submit only the files the assignment asks for.`);
  }

  /**
   * Account for one entry and decide about it. Returns the expected name and the path to quote
   * when the caller should offer its contents with `addCandidate`; undefined when it is skipped.
   * `countBytes` is false for a folder, whose files cost nothing unless they are read.
   */
  entry(rawPath: string, kind: EntryKind, declaredSize: number, countBytes = true): { name: string; display: string } | undefined {
    if (++this.stats.entries > this.limits.maxEntries) this.refuse(`holds more than ${this.limits.maxEntries} entries`);
    if (countBytes) this.addDeclared(declaredSize);
    const where = classifyPath(rawPath);
    if (where.kind === 'hidden' || kind === 'directory') return undefined;
    if (where.kind === 'outside') return void this.skip('outside', where.display);
    const wanted = this.expected.has(where.name);
    if (kind === 'symlink' || kind === 'hardlink' || kind === 'special') {
      if (!wanted) return void this.skip(kind === 'special' ? 'special' : 'link', where.display);
      const what = kind === 'symlink' ? 'a symbolic link' : kind === 'hardlink' ? 'a hard link' : 'not a regular file';
      return void this.fileProblem(where.name, `'${where.display}' is ${what}, so it was not used; submit the file itself.`);
    }
    if (!wanted) {
      const match = [...this.expected].find((e) => e.toLowerCase() === where.name.toLowerCase());
      if (match && !this.nearMisses.has(match)) this.nearMisses.set(match, where.display);
      return undefined;
    }
    if (declaredSize > this.limits.maxFileBytes) {
      const cap = formatBytes(this.limits.maxFileBytes);
      return void this.fileProblem(where.name, `'${where.display}' is larger than the ${cap} allowed for one file, so it was not used.`);
    }
    return { name: where.name, display: where.display };
  }

  /** Refuse at once when a format announces more entries than allowed (zip's end record). */
  checkEntryCount(count: number): void {
    if (count > this.limits.maxEntries) this.refuse(`holds more than ${this.limits.maxEntries} entries`);
  }

  /** Add declared (not yet read) bytes to the running total. */
  addDeclared(bytes: number): void {
    this.stats.declaredBytes += bytes;
    if (this.stats.declaredBytes > this.limits.maxTotalBytes) this.refuse(`unpacks to more than ${formatBytes(this.limits.maxTotalBytes)}`);
  }

  /**
   * Add bytes actually produced by a decompressor (or read from a plain archive). With
   * `compressedSoFar`, also checks the compression ratio once the grace amount is passed.
   */
  addUnpacked(bytes: number, compressedSoFar?: number): void {
    const s = this.stats;
    s.unpackedBytes += bytes;
    if (s.unpackedBytes > this.limits.maxTotalBytes) this.refuse(`unpacks to more than ${formatBytes(this.limits.maxTotalBytes)}`);
    if (compressedSoFar === undefined) return;
    s.compressedBytes = compressedSoFar;
    if (s.unpackedBytes > this.limits.ratioGraceBytes && s.unpackedBytes > this.limits.maxRatio * Math.max(1, compressedSoFar)) {
      this.refuse(`expands to more than ${this.limits.maxRatio} times its compressed size, which looks like a compression bomb`);
    }
  }

  /** Check one entry's declared sizes against the ratio cap (zip declares both up front). */
  checkDeclaredRatio(display: string, size: number, compressedSize: number): void {
    if (size > this.limits.ratioGraceBytes && size > this.limits.maxRatio * Math.max(1, compressedSize)) {
      this.refuse(`has an entry ('${display}') that expands to more than ${this.limits.maxRatio} times its compressed size, which looks like a compression bomb`);
    }
  }

  /** Offer the contents of an entry that `entry()` accepted. */
  addCandidate(name: string, display: string, load: () => Promise<Buffer>): void {
    const list = this.candidates.get(name) ?? [];
    list.push({ display, load });
    this.candidates.set(name, list);
  }

  /** A problem about one expected file that makes this copy unusable. */
  fileProblem(file: string, message: string): void {
    const list = this.fileProblems.get(file) ?? [];
    list.push({ file, message });
    this.fileProblems.set(file, list);
  }

  /** A problem about the upload as a whole that does not stop it from being graded. */
  note(message: string): void {
    this.problems.push({ message });
  }

  private skip(kind: SkipKind, display: string): void {
    const seen = this.skipped.get(kind);
    if (seen) seen.count++;
    else this.skipped.set(kind, { first: display, count: 1 });
  }

  /**
   * Choose one copy of each expected file, write it into `workDir` (a regular file, mode 0644),
   * and assemble the result. If writing fails, the files written so far are removed.
   */
  async finish(workDir: string): Promise<Intake> {
    const chosen: Array<{ name: string; data: Buffer }> = [];
    const missing: string[] = [];
    const perFile: IntakeProblem[] = [];
    for (const name of this.expected) {
      const earlier = this.fileProblems.get(name) ?? [];
      perFile.push(...earlier);
      const found = this.candidates.get(name) ?? [];
      if (found.length === 1) {
        try {
          const data = await found[0].load();
          chosen.push({ name, data });
          if (data.length === 0) perFile.push({ file: name, message: `'${found[0].display}' is empty (0 bytes); it was kept, but it contains no code.` });
          continue;
        } catch (err) {
          if (!(err instanceof EntryUnreadable)) throw err;
          perFile.push({ file: name, message: err.message });
        }
      } else if (found.length > 1) {
        const listed = found.slice(0, 3).map((c) => `'${c.display}'`).join(', ') + (found.length > 3 ? ', ...' : '');
        perFile.push({ file: name, message: `Found ${found.length} files named '${name}' (${listed}), so none was used; keep exactly one and resubmit.` });
      } else if (earlier.length === 0) {
        const near = this.nearMisses.get(name);
        perFile.push({
          file: name,
          message: near
            ? `No file named '${name}' was found, but '${near}' was; file names are case-sensitive, so rename it.`
            : `No file named '${name}' was found in your submission.`,
        });
      }
      missing.push(name);
    }
    const files = await writeAll(workDir, chosen);
    const skippedNotes = [...this.skipped].map(([kind, { first, count }]) =>
      count === 1
        ? { message: `The entry '${first}' ${SKIP_TEXT[kind][0]}.` }
        : { message: `The entry '${first}' and ${count - 1} more ${SKIP_TEXT[kind][1]}.` },
    );
    return { files, missing, problems: [...this.problems, ...skippedNotes, ...perFile] };
  }
}

/** Write each chosen file as a fresh regular file; on any failure remove what was written. */
async function writeAll(workDir: string, chosen: Array<{ name: string; data: Buffer }>): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const written: string[] = [];
  try {
    for (const { name, data } of chosen) {
      const target = path.join(workDir, name);
      await fs.promises.rm(target, { force: true }); // never write through something already there
      const fh = await fs.promises.open(target, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
      written.push(target);
      try {
        await fh.writeFile(data);
        await fh.chmod(0o644); // the umask may have removed bits
      } finally {
        await fh.close();
      }
      files[name] = target;
    }
    return files;
  } catch (err) {
    await Promise.all(written.map((f) => fs.promises.rm(f, { force: true })));
    throw err;
  }
}
