/**
 * Which known mistake, if any, a failing output matches. Uses only plain results (the variants'
 * outputs come from the trusted reference process with their hints), so the student handout's
 * public tests ship this file and name mistakes exactly as the grader does.
 */
import type { Tolerance } from '../assignment/types';
import type { PlainTensor, VariantResult } from '../child/protocol';
import { OUTPUT_CHECKS } from './output-checks';

/** Same shape and every element within tolerance (NaN never matches). */
export function closeTo(got: PlainTensor, want: PlainTensor, tol: Tolerance): boolean {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return false;
  return got.data.every((x, i) => {
    const e = want.data[i] ?? NaN;
    return Math.abs(x - e) <= tol.atol + tol.rtol * Math.abs(e);
  });
}

/** The hint of the first output check or variant whose every output matches the student's, if any. */
export function matchVariant(target: string, outputs: Record<string, PlainTensor>, variants: VariantResult[] | undefined, tol: Tolerance): string | undefined {
  const direct = OUTPUT_CHECKS.find((x) => x.target === target && x.matches(outputs));
  if (direct) return direct.hint;
  for (const v of variants ?? []) {
    const names = Object.keys(v.outputs);
    if (names.length === 0 || !names.every((n) => outputs[n] && closeTo(outputs[n], v.outputs[n], tol))) continue;
    return v.hint;
  }
  return undefined;
}
