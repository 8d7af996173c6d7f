/**
 * The bookkeeping every reader (folder, tar, zip) shares: it counts entries and bytes against the
 * limits (throwing `IntakeRefusal`), decides which entries are candidates for an expected file,
 * remembers skipped entries, and at the end writes the chosen files into the work folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import { classifyPath } from './entry-path';
import { copyOf, nearTo } from './near-names';
import { EntryUnreadable, formatBytes, Intake, IntakeLimits, IntakeProblem, IntakeRefusal } from './types';
import { checkUpload, FileOutcome } from './upload-check';

/** What kind of thing an entry is, as far as the intake cares. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'special';

/**
 * An entry that may become an expected file: `name` is the expected name, `display` the entry as
 * the student named it, `copy` whether its own name is a numbered copy's (`solver (1).ts`).
 */
export interface Take {
  name: string;
  display: string;
  copy: boolean;
}

/** A possible copy of an expected file; `load` reads its bytes (capped) when it is chosen. */
interface Candidate {
  display: string;
  load: () => Promise<Buffer>;
}

/** Most near names quoted for one expected file. */
const MAX_NEAR = 3;

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
  /** Entries named exactly as an expected file, and those named as its numbered copy. */
  private readonly candidates = new Map<string, Candidate[]>();
  private readonly copies = new Map<string, Candidate[]>();
  private readonly fileProblems = new Map<string, IntakeProblem[]>();
  /** Expected name -> entries whose names are near it (never used; "did you mean"). */
  private readonly nearNames = new Map<string, string[]>();
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
   * Account for one entry and decide about it. Returns what the caller should offer with
   * `addCandidate` (an expected file, or a numbered copy of one); undefined when it is skipped.
   * `countBytes` is false for a folder, whose files cost nothing unless they are read.
   */
  entry(rawPath: string, kind: EntryKind, declaredSize: number, countBytes = true): Take | undefined {
    if (++this.stats.entries > this.limits.maxEntries) this.refuse(`holds more than ${this.limits.maxEntries} entries`);
    if (countBytes) this.addDeclared(declaredSize);
    const where = classifyPath(rawPath);
    if (where.kind === 'hidden' || kind === 'directory') return undefined;
    if (where.kind === 'outside') return void this.skip('outside', where.display);
    const exact = this.expected.has(where.name);
    if (kind === 'symlink' || kind === 'hardlink' || kind === 'special') {
      if (!exact) return void this.skip(kind === 'special' ? 'special' : 'link', where.display);
      const what = kind === 'symlink' ? 'a symbolic link' : kind === 'hardlink' ? 'a hard link' : 'not a regular file';
      return void this.fileProblem(where.name, `'${where.display}' is ${what}, so it was not used; submit the file itself.`);
    }
    const name = exact ? where.name : copyOf(where.name, this.expected);
    if (name === undefined) return void this.rememberNear(where.name, where.display);
    if (declaredSize > this.limits.maxFileBytes) {
      const cap = formatBytes(this.limits.maxFileBytes);
      return void this.fileProblem(name, `'${where.display}' is larger than the ${cap} allowed for one file, so it was not used.`);
    }
    return { name, display: where.display, copy: !exact };
  }

  private rememberNear(name: string, display: string): void {
    const near = nearTo(name, this.expected);
    if (near === undefined) return;
    const list = this.nearNames.get(near) ?? [];
    if (list.length < MAX_NEAR) list.push(display);
    this.nearNames.set(near, list);
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
  addCandidate(take: Take, load: () => Promise<Buffer>): void {
    const pool = take.copy ? this.copies : this.candidates;
    const list = pool.get(take.name) ?? [];
    list.push({ display: take.display, load });
    pool.set(take.name, list);
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
    const perFile: IntakeProblem[] = [];
    const outcomes: FileOutcome[] = [];
    for (const name of this.expected) {
      const { outcome, data, problems } = await this.choose(name);
      outcomes.push(outcome);
      perFile.push(...problems);
      if (data) chosen.push({ name, data });
    }
    const files = await writeAll(workDir, chosen);
    const skippedNotes = [...this.skipped].map(([kind, { first, count }]) =>
      count === 1
        ? { message: `The entry '${first}' ${SKIP_TEXT[kind][0]}.` }
        : { message: `The entry '${first}' and ${count - 1} more ${SKIP_TEXT[kind][1]}.` },
    );
    const missing = outcomes.filter((o) => o.state !== 'used' && o.state !== 'empty').map((o) => o.file);
    return { files, missing, problems: [...this.problems, ...skippedNotes, ...perFile], upload: checkUpload(outcomes) };
  }

  /**
   * The copy of `name` to grade, if any, and what to tell the student: exactly one file of that
   * name; else (and only if no file of that name was seen at all) exactly one numbered copy.
   */
  private async choose(name: string): Promise<{ outcome: FileOutcome; data?: Buffer; problems: IntakeProblem[] }> {
    const problems = [...(this.fileProblems.get(name) ?? [])];
    const say = (message: string) => problems.push({ file: name, message });
    const exact = this.candidates.get(name) ?? [];
    const copies = this.copies.get(name) ?? [];
    const shown = (cs: Candidate[]) => cs.slice(0, 3).map((c) => `'${c.display}'`).join(', ') + (cs.length > 3 ? ', ...' : '');
    let pick: Candidate | undefined;
    if (exact.length > 1) {
      say(`Found ${exact.length} files named '${name}' (${shown(exact)}), so none was used; keep exactly one and resubmit.`);
      return { outcome: { file: name, state: 'duplicate', count: exact.length }, problems };
    }
    if (exact.length === 1) {
      pick = exact[0];
      if (copies.length > 0) {
        const them = copies.length === 1 ? `'${copies[0].display}' was` : `The copies ${shown(copies)} were`;
        const which = copies.length === 1 ? 'it' : 'one of them';
        say(`${them} not used, because '${pick.display}' was found too and is the one graded; if ${which} is your latest version, name it '${name}' instead and resubmit.`);
      }
    } else if (problems.length > 0) {
      return { outcome: { file: name, state: 'unusable' }, problems }; // a file of that name was seen and refused
    } else if (copies.length === 1) {
      pick = copies[0];
      const base = pick.display.slice(pick.display.lastIndexOf('/') + 1);
      say(`'${pick.display}' was graded as '${name}', since no file named '${name}' was found and a name like '${base}' is what a browser or Gradescope gives a second copy of a file; name it '${name}' next time.`);
    } else if (copies.length > 1) {
      say(`No file named '${name}' was found, only ${copies.length} numbered copies of it (${shown(copies)}), so none was used; keep one, named '${name}', and resubmit.`);
      return { outcome: { file: name, state: 'copies', count: copies.length }, problems };
    } else {
      // A file simply not there is named by the upload's headline and its tests; a near name needs a word more.
      const near = this.nearNames.get(name) ?? [];
      if (near.length > 0) say(nearMessage(name, near));
      return { outcome: { file: name, state: 'absent', near }, problems };
    }
    try {
      const data = await pick.load();
      if (data.length > 0) return { outcome: { file: name, state: 'used' }, data, problems };
      say(`'${pick.display}' is empty (0 bytes); it was kept, but it contains no code.`);
      return { outcome: { file: name, state: 'empty' }, data, problems };
    } catch (err) {
      if (!(err instanceof EntryUnreadable)) throw err;
      say(err.message);
      return { outcome: { file: name, state: 'unusable' }, problems };
    }
  }
}

/** "No file named 'solver.ts' was found; did you mean 'src/SOLVER.ts'? ..." */
function nearMessage(name: string, near: string[]): string {
  const q = near.map((n) => `'${n}'`);
  const choices = q.length === 1 ? q[0] : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
  const caseOnly = near.every((n) => n.slice(n.lastIndexOf('/') + 1).toLowerCase() === name.toLowerCase());
  const [was, it] = near.length === 1 ? ['It was', 'it'] : ['They were', 'the one you meant'];
  return `No file named '${name}' was found; did you mean ${choices}? ${was} not used, because the grader takes only a file named exactly '${name}'${caseOnly ? ' (upper and lower case count)' : ''}: rename ${it} and resubmit.`;
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
