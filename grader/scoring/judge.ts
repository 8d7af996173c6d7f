/**
 * The verdict on one case, from the student's and the reference's plain results: comparison,
 * parameter changes, tensor leaks and the diagnostic hint (from the reference's variants, or the
 * assignment's output checks). The grader (score.ts) and the student
 * handout's public tests both call this, so a case passes publicly exactly when it passes in
 * grading on the same inputs.
 */
import type { Partial as PartialCredit, Tolerance } from '../assignment/types';
import type { OutputCheck } from '../assignment/public-grading';
import { matchVariant } from '../diagnostics/match';
import type { CallError, CallResult, VariantResult } from '../child/protocol';
import { compareChanged, compareOutputs } from './compare';

export interface Verdict {
  passed: boolean;
  /** Share of the case's points earned. */
  fraction: number;
  /** One sentence each, safe for every case (no expected values). */
  messages: string[];
  /** The diagnostic hint of the known mistake the outputs match, when failed. */
  hint?: string;
  /** Expected vs got for the worst elements, when failed: show for visible cases only. */
  details: string[];
}

/** What judging needs of a case. */
export interface JudgedCase {
  target: string;
  tolerance: Tolerance;
  partial: PartialCredit;
}

/** One sentence about a call that did not return (not implemented, threw, wrong kind of value). */
export function errorMessage(e: CallError): string {
  const at = e.where ? ` (at ${e.where})` : '';
  switch (e.kind) {
    case 'not-implemented':
      return `${e.message}${at}.`;
    case 'bad-return':
      return `Wrong kind of return value: ${e.message}${at}.`;
    case 'timeout':
    case 'crashed': {
      // "skipped: ..." and "not run: ..." (grader/runner/run-calls.ts): the case never started.
      const notRun = /^(skipped|not run): /.exec(e.message);
      return notRun ? `This case was not run: ${e.message.slice(notRun[0].length)}.` : `This case did not finish: ${e.message}.`;
    }
    default:
      return `Your code threw an error: ${e.message}${at}.`;
  }
}

/** Judges a call that returned (`student.ok`) against the reference's outcome on the same inputs. */
export function judgeCase(c: JudgedCase, student: CallResult, reference: { result: CallResult; variants?: VariantResult[] }, checks: OutputCheck[] = []): Verdict {
  const cmp = compareOutputs(student.outputs, reference.result.outputs, c.tolerance);
  const changed = compareChanged(student.changed, reference.result.changed);
  const passed = cmp.passed && changed.length === 0;
  const fraction = changed.length > 0 ? 0 : c.partial === 'fraction' ? cmp.fraction : passed ? 1 : 0;
  const messages = passed ? ['Passed.'] : [...changed, ...cmp.messages];
  const extraLeak = student.leaked - reference.result.leaked;
  if (extraLeak > 0) messages.push(`Your code left ${extraLeak} more tensor(s) allocated than the reference; wrap intermediate work in tf.tidy.`);
  if (passed) return { passed, fraction, messages, details: [] };
  const hint = matchVariant(c.target, student.outputs, reference.variants, c.tolerance, checks);
  return { passed, fraction, messages, details: cmp.details, ...(hint ? { hint } : {}) };
}
