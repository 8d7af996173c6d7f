/**
 * Output comparison: shape, finiteness, then |got - expected| <= atol + rtol |expected| for every
 * element. Produces student-facing sentences (no expected numbers) and, separately, the
 * expected-vs-got lines that only visible cases may show.
 */
import type { Tolerance } from '../assignment/types';
import type { PlainTensor } from '../child/protocol';

export interface Comparison {
  /** Elements within tolerance / all elements (0 when a shape is wrong or an output is missing). */
  fraction: number;
  passed: boolean;
  /** Safe for every case: counts and shapes, never expected values. */
  messages: string[];
  /** Expected vs got for the worst elements: visible cases only. */
  details: string[];
}

const fmt = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(7)).toString() : String(x));
const shapeText = (s: number[]): string => `[${s.join(', ')}]`;
const label = (name: string): string => (name === 'result' ? 'the result' : `'${name}'`);

function index(shape: number[], flat: number): string {
  if (shape.length <= 1) return shape.length === 0 ? '' : `[${flat}]`;
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join(', ')}]`;
}

export function compareOutputs(got: Record<string, PlainTensor>, want: Record<string, PlainTensor>, tol: Tolerance, worst = 3): Comparison {
  const messages: string[] = [];
  const details: string[] = [];
  let good = 0;
  let total = 0;
  for (const [name, e] of Object.entries(want)) {
    const n = e.data.length;
    total += n;
    const g = got[name];
    if (!g) {
      messages.push(`${label(name)} is missing.`);
      continue;
    }
    if (g.shape.length !== e.shape.length || g.shape.some((d, i) => d !== e.shape[i])) {
      messages.push(`${label(name)} has shape ${shapeText(g.shape)}, expected ${shapeText(e.shape)}${e.shape.length === 1 && g.shape.length === 2 && g.shape[0] === g.shape[1] ? ' (a [B] and a [B,1] tensor broadcast to [B,B]?)' : ''}.`);
      continue;
    }
    const bad: { i: number; err: number }[] = [];
    let nonFinite = 0;
    g.data.forEach((x, i) => {
      if (!Number.isFinite(x)) nonFinite++;
      const err = Math.abs(x - e.data[i]);
      if (err <= tol.atol + tol.rtol * Math.abs(e.data[i])) good++;
      else bad.push({ i, err: Number.isFinite(err) ? err : Infinity });
    });
    if (nonFinite > 0) messages.push(`${label(name)} has ${nonFinite} value(s) that are NaN or infinite.`);
    if (bad.length === 0) continue;
    messages.push(n === 1 ? `${label(name)} is not within tolerance.` : `${bad.length} of ${n} values of ${label(name)} are not within tolerance.`);
    bad.sort((a, b) => b.err - a.err || a.i - b.i);
    for (const { i } of bad.slice(0, worst)) details.push(`${name}${index(e.shape, i)}: expected ${fmt(e.data[i])}, got ${fmt(g.data[i])}`);
  }
  const fraction = total === 0 ? 1 : good / total;
  return { fraction, passed: good === total && messages.length === 0, messages, details };
}

/** Sentences about networks that changed when they should not have (or the reverse). */
export function compareChanged(got: string[] | undefined, want: string[] | undefined): string[] {
  if (!want) return [];
  const g = new Set(got ?? []);
  const w = new Set(want);
  const out: string[] = [];
  for (const n of g) if (!w.has(n)) out.push(`Your code changed the parameters of '${n}', which this step must leave unchanged.`);
  for (const n of w) if (!g.has(n)) out.push(`Your code did not change the parameters of '${n}', which this step must update.`);
  return out;
}
