/**
 * The assignment file as plain data, after schema validation and with `case_defaults` applied.
 * Produced by `loadAssignment`; consumed by the case builder, the scorer and `rlgrade validate`.
 */
import type { Visibility } from '../report/model';

export interface Tolerance {
  atol: number;
  rtol: number;
}

export type Partial = 'all-or-nothing' | 'fraction';

export interface Question {
  id: string;
  title: string;
  points: number;
  /** Empty for manual questions. */
  functions: string[];
  extraCredit: boolean;
  /** A written question staff grade by hand in Gradescope: no cases, not in results.json, not in totalPoints. */
  manual: boolean;
  /** Manual questions: the question as the handout asks it (Markdown). */
  prompt?: string;
}

export interface CaseSpec {
  id: string;
  question: string;
  /** Module and function of the student files, "module.function". */
  target: string;
  /** Shown to students; defaults to the id. */
  name: string;
  /** Share of the question's points, relative to the question's other cases. */
  weight: number;
  /** Generator name and its parameters (plain YAML values). */
  inputs: { generator: string; seed?: number; [param: string]: unknown };
  tolerance: Tolerance;
  visibility: Visibility;
  /** CPU seconds for this case. */
  timeLimit: number;
  partial: Partial;
  /** Training cases: the share of the points earned at or above each success rate. */
  thresholds?: Threshold[];
  /** Training cases: the leaderboard entry the case's success rate feeds. */
  leaderboard?: { name: string; order: 'asc' | 'desc' };
  /**
   * End-to-end cases: questions every case of which must pass for this case to earn anything (the
   * functions the run exercises). The run's own result could be forged by the code under test; the
   * function cases cannot be passed without computing the right values.
   */
  requires?: string[];
}

export interface Threshold {
  success: number;
  fraction: number;
}

export interface GradingLimits {
  memoryMiB: number;
  /** Wall-clock backstop = wallFactor x CPU limit + 10 s. */
  wallFactor: number;
  /** CPU seconds allowed for starting a child (loading TensorFlow.js and the student's files). */
  startupCpuSeconds: number;
  /**
   * Wall-clock seconds one grading may take (waiting for the sandbox user excluded): past it no
   * case starts, the cases not run are marked so, and what was earned is kept.
   */
  totalSeconds: number;
}

export interface Assignment {
  /** Folder of the assignment file. */
  dir: string;
  /**
   * Folder of the assignment's code: its public/ and private/ grading, solutions/, starter/ and
   * handout/. The same as `dir`, unless the file names a `base` (a variant of another assignment,
   * such as one with fewer cases).
   */
  codeDir: string;
  /** Path of the assignment file as given (for messages). */
  file: string;
  title: string;
  /** Points the autograder gives (questions that are neither extra credit nor manual). */
  totalPoints: number;
  files: string[];
  backend: 'wasm' | 'cpu' | 'node';
  limits: GradingLimits;
  questions: Question[];
  cases: CaseSpec[];
}

/** The assignment's reference solutions (student files with solution markers). */
export const solutionsDir = (a: Pick<Assignment, 'codeDir'>): string => `${a.codeDir}/solutions`;
/** Its generated starter. */
export const starterDir = (a: Pick<Assignment, 'codeDir'>): string => `${a.codeDir}/starter`;
/** The student modules a child loads, in the assignment file's order (file names without `.ts`). */
export const studentModules = (a: Pick<Assignment, 'files'>): string[] => a.files.map((f) => f.replace(/\.ts$/, ''));

/** One problem with the assignment file: where, and what was expected. */
export class AssignmentError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'AssignmentError';
  }
}
