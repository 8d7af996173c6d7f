/**
 * Which known mistake, if any, a failing output matches. Uses only plain results (the variants'
 * outputs come from the trusted reference process with their hints), so the student handout's
 * public tests ship this file and name mistakes exactly as the grader does.
 */
import type { OutputCheck } from '../assignment/public-grading';
import type { Tolerance } from '../assignment/types';
import type { PlainTensor, VariantResult } from '../child/protocol';

/** Same shape and every element within tolerance (NaN never matches). */
export function closeTo(got: PlainTensor, want: PlainTensor, tol: Tolerance): boolean {
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return false;
  return got.data.every((x, i) => {
    const e = want.data[i] ?? NaN;
    return Math.abs(x - e) <= tol.atol + tol.rtol * Math.abs(e);
  });
}

/** "In criticTarget: Multiply ..." -> ["criticTarget", "Multiply ..."]; a hint without that prefix has no place. */
function placeOf(hint: string): [string | undefined, string] {
  const m = /^In (\w+): (.*)$/s.exec(hint);
  return m ? [m[1], m[2]] : [undefined, hint];
}

/**
 * One hint for the variants whose outputs all match, when they name one mistake: the same text,
 * or the same mistake placed in several functions ("In valueLoss or criticLoss: ..."). Variants
 * that name different mistakes make the match ambiguous: no hint.
 */
export function agreedHint(hints: string[]): string | undefined {
  const distinct = [...new Set(hints)];
  if (distinct.length <= 1) return distinct[0];
  const parts = distinct.map(placeOf);
  if (parts.some(([place, core]) => place === undefined || core !== parts[0][1])) return undefined;
  return `In ${parts.map(([place]) => place).join(' or ')}: ${parts[0][1]}`;
}

/** The hint of the first output check that matches, else the hint the matching variants agree on, if any. */
export function matchVariant(target: string, outputs: Record<string, PlainTensor>, variants: VariantResult[] | undefined, tol: Tolerance, checks: OutputCheck[] = []): string | undefined {
  const direct = checks.find((x) => x.target === target && x.matches(outputs));
  if (direct) return direct.hint;
  const matching = (variants ?? []).filter((v) => {
    const names = Object.keys(v.outputs);
    return names.length > 0 && names.every((n) => outputs[n] && closeTo(outputs[n], v.outputs[n], tol));
  });
  return agreedHint(matching.map((v) => v.hint));
}
