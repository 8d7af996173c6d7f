/**
 * The plain data model of a grading report. The grader fills it; `toResultsJson`,
 * `renderMarkdown` and `renderHtml` turn it into Gradescope's results.json and the reports.
 * Every string in it may come from (or quote) a student and is escaped by the renderers.
 */

/** Who may see a case, with Gradescope's meanings. */
export type Visibility = 'visible' | 'hidden' | 'after_due_date' | 'after_published';

/** One graded case (one Gradescope test). */
/** A picture in a case's report (an SVG drawn by the trusted side). */
export interface Figure {
  title: string;
  svg: string;
}

export interface CaseReport {
  id: string;
  /** Id of the question it belongs to, such as "Q1.1". */
  question: string;
  name: string;
  visibility: Visibility;
  score: number;
  maxScore: number;
  status: 'passed' | 'failed';
  /** One sentence each, shown to the student. */
  messages: string[];
  hint?: string;
  /** Expected-vs-got lines; only ever filled for visible cases (and only ever shown for them). */
  details?: string[];
  /** Charts as SVG markup; only shown for visible cases. */
  figures?: Figure[];
}

/** One question: its cases and the points they add up to. */
export interface QuestionReport {
  /** Such as "Q1.1". */
  id: string;
  /** A student function's name. */
  title: string;
  points: number;
  earned: number;
  cases: CaseReport[];
}

/** The whole report for one submission. */
export interface GradeReport {
  assignment: string;
  submission: string;
  /** Who submitted it, for the report's header (Gradescope's metadata: the names of a group, joined). */
  student?: string;
  /** ISO 8601 time of grading. */
  gradedAt?: string;
  /** TensorFlow.js backend the grading ran on (wasm, cpu, node). */
  backend: string;
  questions: QuestionReport[];
  total: number;
  maxTotal: number;
  /**
   * Set when the upload could not be read at all (`unreadable`) or lacks expected files
   * (`incomplete`): its one-sentence headline is the first line of every output.
   */
  upload?: { status: 'incomplete' | 'unreadable'; headline: string };
  /** Student-facing sentences from the intake (missing files, skipped entries...). */
  intakeProblems: string[];
  leaderboard?: { name: string; value: number; order: 'asc' | 'desc' }[];
  notes: string[];
}
