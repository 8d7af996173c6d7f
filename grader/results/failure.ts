/**
 * The results a runner writes when the grader itself fails: always valid, zero score, and a
 * student-facing explanation without stack traces or grader paths.
 */

import type { GradescopeResults } from './types';

/** The results.json written when grading could not finish. */
export interface FailureResults extends GradescopeResults {
  score: 0;
  execution_time: number;
  output: string;
  output_format: 'text';
  stdout_visibility: 'hidden';
  tests: never[];
  extra_data: { autograder_error: true; reason: string };
}

/** Longest reason kept from the error message. */
const MAX_REASON = 200;

/**
 * Keep only the first line of an error message, without file paths or stack frames, shortened.
 * What remains is safe to show a student (it names no grader internals).
 */
export function safeReason(message: string): string {
  const first = (message.split(/\r?\n/).find((l) => l.trim() !== '' && !/^\s*at\s/.test(l)) ?? '').trim();
  const noPaths = first.replace(/(?:[A-Za-z]:)?[\\/](?:[^\s\\/'"`:]+[\\/])+[^\s\\/'"`:]*(?::\d+)*/g, '<path>');
  return noPaths.length > MAX_REASON ? `${noPaths.slice(0, MAX_REASON - 3)}...` : noPaths;
}

/**
 * Zero-score results saying that the autograder could not finish and that staff were told.
 * @param message what went wrong (only its first line is kept, with paths removed)
 * @param executionTime seconds spent before the failure (0 when unknown)
 */
export function failureResults(message: string, executionTime = 0): FailureResults {
  const reason = safeReason(message);
  const output =
    'The autograder could not finish grading this submission, so this score (0) is not a grade. ' +
    'The course staff have been told and will look into it; you do not need to do anything, but you may resubmit.' +
    (reason ? `\n\nWhat stopped it: ${reason}` : '');
  return {
    score: 0,
    execution_time: Number.isFinite(executionTime) && executionTime >= 0 ? executionTime : 0,
    output,
    output_format: 'text',
    stdout_visibility: 'hidden',
    tests: [],
    extra_data: { autograder_error: true, reason },
  };
}
