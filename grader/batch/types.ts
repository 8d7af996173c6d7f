/**
 * The plain data of a batch: the submissions found in the input, the record kept beside each
 * graded submission (grading.json), and the batch manifest (batch.json) that `merge`, `diff` and
 * `--resume` read back. Every stage passes these and nothing else.
 */

/** One student of a submission, as the Gradescope metadata names them (empty strings when absent). */
export interface Submitter {
  name: string;
  sid: string;
  email: string;
}

/** One submission of the input. */
export interface Submission {
  /** The entry's name in the input folder; also the name of its out folder. */
  name: string;
  /** Absolute path of the folder or archive (it may be missing: a metadata entry without files). */
  path: string;
  submitters: Submitter[];
}

/**
 * How a submission's grading ended: graded normally; a case (or the whole grading) ran out of
 * time; some expected files missing or unusable (`missing-files`); nothing of the upload could be
 * read or used (`bad-upload`); or the grader failed.
 */
export type Status = 'ok' | 'timeout' | 'missing-files' | 'bad-upload' | 'error';

/** Every status, in the order counts are shown. */
export const STATUSES: readonly Status[] = ['ok', 'timeout', 'missing-files', 'bad-upload', 'error'];

/** A count of zero for each status. */
export const noStatuses = (): Record<Status, number> => ({ ok: 0, timeout: 0, 'missing-files': 0, 'bad-upload': 0, error: 0 });

/** What a grading depends on; a submission is graded again when any of these changed. */
export interface Hashes {
  /** The submission's bytes (folder tree or archive). */
  submission: string;
  /** Every file of the assignment folder. */
  assignment: string;
  /** The grader code, the reference solutions, the provided modules and the bundled data. */
  grader: string;
  /** Backend, skipped training, and the course secret (hashed). */
  settings: string;
}

/** DIR/submissions/<name>/grading.json: written last, so a folder with it is complete. */
export interface GradingRecord {
  format: 1;
  submission: string;
  submitters: Submitter[];
  hashes: Hashes;
  status: Status;
  total: number;
  maxTotal: number;
  /** Points earned per question id (empty when the grader failed). */
  questions: Record<string, number>;
  /** Hints given, one per (question, hint) pair, in question order. */
  hints: { question: string; hint: string }[];
  /** Ids of cases whose run hit its time limit. */
  timedOut: string[];
  /** For staff: why the status is not ok (first line of the error). */
  reason?: string;
  /** Wall-clock seconds the grading took (timings.csv only; never in the gradebook). */
  seconds: number;
  gradedAt: string;
}

/** The question list as the gradebook shows it. */
export interface QuestionInfo {
  id: string;
  title: string;
  points: number;
}

/** I of N. */
export interface Shard {
  index: number;
  count: number;
}

/** DIR/batch.json: what this output holds and what it was graded against. */
export interface BatchManifest {
  format: 1;
  /** `dir`: the assignment folder, relative to the kit (its diagnostics name the mistakes behind hints in the summary). */
  assignment: { title: string; maxTotal: number; questions: QuestionInfo[]; dir?: string };
  /** Hashes of assignment, grader and settings (not of any one submission). */
  hashes: Omit<Hashes, 'submission'>;
  /** Every submission name of the whole input, sorted (so `merge` can find gaps). */
  input: string[];
  /** The shard this output is, or null for the whole input. */
  shard: Shard | null;
  /** The submission names this output is responsible for, sorted. */
  share: string[];
}

export const RECORD_FILE = 'grading.json';
export const MANIFEST_FILE = 'batch.json';
export const SUBMISSIONS_DIR = 'submissions';
