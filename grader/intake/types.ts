/**
 * Types shared by the submission intake: what `prepareSubmission` returns, the limits it
 * enforces, and the error used internally to refuse a whole submission.
 */

/** One thing a student should know about their upload. `message` is one student-facing sentence. */
export interface IntakeProblem {
  /** The expected file this is about, when it is about one. */
  file?: string;
  message: string;
}

/**
 * The upload as a whole: `complete` (every expected file used, none empty), `incomplete` (some
 * missing, unusable or empty), `unreadable` (refused as a whole, or no expected file usable).
 */
export interface UploadCheck {
  status: 'complete' | 'incomplete' | 'unreadable';
  /** One student-facing sentence for the first line of the output; set unless complete. */
  headline?: string;
  /**
   * Each expected file not used -> why, a clause that starts a sentence ("solver.ts was not found in
   * your upload (did you mean 'SOLVER.ts'?)"); the tests of that file say it.
   */
  why: Record<string, string>;
}

/** The result of turning an upload into a clean folder of the expected files. */
export interface Intake {
  /** Expected file name -> absolute path of its clean copy inside `workDir`. */
  files: Record<string, string>;
  /** Expected files that could not be used (absent, duplicated, unsafe, too large, unreadable). */
  missing: string[];
  /**
   * Student-facing sentences about parts of the upload (a file, a skipped entry); they name entries
   * as the student submitted them, never grader paths. An upload refused as a whole has none: its
   * sentence is `upload.headline`.
   */
  problems: IntakeProblem[];
  upload: UploadCheck;
}

/** Caps applied while reading an upload. All byte counts are uncompressed unless named otherwise. */
export interface IntakeLimits {
  /** Most entries (files, folders, links...) an upload may hold; more refuses the whole upload. */
  maxEntries: number;
  /** Most bytes the whole upload may unpack to (declared sizes and bytes actually decompressed). */
  maxTotalBytes: number;
  /** Most bytes one expected file may have; a larger one is not used. */
  maxFileBytes: number;
  /** Largest uncompressed / compressed ratio tolerated once `ratioGraceBytes` have been unpacked. */
  maxRatio: number;
  /** Bytes unpacked before the ratio is checked (small files compress unpredictably). */
  ratioGraceBytes: number;
  /** Largest archive file (as uploaded, compressed) accepted. */
  maxArchiveBytes: number;
}

const MiB = 1024 * 1024;

/** The limits used when the caller gives none. */
export const DEFAULT_LIMITS: Readonly<IntakeLimits> = Object.freeze({
  maxEntries: 10_000,
  maxTotalBytes: 50 * MiB,
  maxFileBytes: 5 * MiB,
  maxRatio: 200,
  ratioGraceBytes: 1 * MiB,
  maxArchiveBytes: 50 * MiB,
});

/**
 * Thrown by the readers to refuse a whole upload (bomb, too many entries, unknown format,
 * damaged archive). `message` is the student-facing sentence.
 */
export class IntakeRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntakeRefusal';
  }
}

/** The refusal of an archive that ends too early or whose structure is broken. */
export function damagedArchive(subject: string): IntakeRefusal {
  return new IntakeRefusal(`${subject} is damaged or incomplete, so it could not be unpacked; make it again, check that it opens, and resubmit.`);
}

/** Thrown when one entry cannot be read (damaged, encrypted...): that file is unusable, the rest is fine. */
export class EntryUnreadable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EntryUnreadable';
  }
}

/** "5 MiB", "200 KiB", "12 bytes": sizes in student-facing sentences. */
export function formatBytes(n: number): string {
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
