// Checks on what `rlgrade grade` wrote for one hostile case: results.json validates, the score
// stays within the manifest's bound, the status and the phrase are right, and no student-facing
// text (results.json, report.md, report.html) holds an expected value of a hidden case, a path
// of the grader's own files or the course secret.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Assignment } from '../../grader/assignment/types';
import type { HostileManifest } from '../examples/hostile';
import { validateResults, type GradescopeResults } from '../../grader/results';
import type { CallOutcome } from '../../grader/runner/run-calls';

export interface Outputs {
  results: GradescopeResults | undefined;
  /** Why results.json is missing or unreadable. */
  problem?: string;
  score: number | undefined;
  /** Student-facing texts, by file. */
  texts: Record<string, string>;
  /** Bytes of each file written. */
  sizes: Record<string, number>;
}

/** HTML entities and Markdown backslashes undone, so that paths and phrases read as written. */
export function plainText(s: string): string {
  return s
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&#x60;/g, '`')
    .replace(/&#x3D;/g, '=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\\([\\`*_[\]|~#+=.()<>&!-])/g, '$1');
}

export function readOutputs(out: string): Outputs {
  const texts: Record<string, string> = {};
  const sizes: Record<string, number> = {};
  for (const f of ['report.md', 'report.html', 'results.json']) if (fs.existsSync(path.join(out, f))) sizes[f] = fs.statSync(path.join(out, f)).size;
  for (const f of ['report.md', 'report.html']) {
    const file = path.join(out, f);
    if (fs.existsSync(file)) texts[f] = plainText(fs.readFileSync(file, 'utf8'));
  }
  const file = path.join(out, 'results.json');
  if (!fs.existsSync(file)) return { results: undefined, problem: 'no results.json was written', score: undefined, texts, sizes };
  let results: GradescopeResults;
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8')) as GradescopeResults;
  } catch (err) {
    return { results: undefined, problem: `results.json is not JSON: ${(err as Error).message}`, score: undefined, texts, sizes };
  }
  const tests = results.tests ?? [];
  texts['results.json'] = plainText([results.output ?? '', ...tests.flatMap((t) => [t.name ?? '', t.output ?? ''])].join('\n'));
  const score = results.score ?? tests.reduce((s, t) => s + (t.score ?? 0), 0);
  return { results, score, texts, sizes };
}

/** Values worth looking for: finite and with at least 5 significant digits (not 0, 1, 0.5...). */
const distinctive = (x: number): boolean => Number.isFinite(x) && x.toPrecision(7).replace(/^-?0\.0*|[.-]|e.*$/g, '').replace(/0+$/, '').length >= 5;

/** Every distinctive expected value of the cases students do not see. */
export function hiddenValues(a: Assignment, reference: Map<string, CallOutcome>): number[] {
  const hidden = a.cases.filter((c) => c.visibility !== 'visible');
  const values = hidden.flatMap((c) => Object.values(reference.get(c.id)?.result.outputs ?? {}).flatMap((t) => t.data));
  return [...new Set(values.filter(distinctive))].sort((x, y) => x - y);
}

/** Numbers printed in `text` with at least 6 significant digits, each with the half-unit of its last digit. */
function printedNumbers(text: string): Array<{ token: string; value: number; halfUnit: number }> {
  const out: Array<{ token: string; value: number; halfUnit: number }> = [];
  for (const match of text.matchAll(/-?\d+\.\d+(?:e[-+]?\d+)?/gi)) {
    const token = match[0];
    const [mantissa, exponent] = token.toLowerCase().split('e');
    const digits = mantissa.replace(/^-?0*\.?0*|\./g, '').length;
    if (digits < 6) continue;
    const decimals = mantissa.split('.')[1].length - Number(exponent ?? 0);
    out.push({ token, value: Number(token), halfUnit: 0.5 * 10 ** -decimals });
  }
  return out;
}

/** Printed numbers of `text` that are a rounding of a hidden expected value. */
export function leakedValues(text: string, hidden: number[]): string[] {
  const found: string[] = [];
  for (const p of printedNumbers(text)) {
    // Binary search for the first hidden value >= p.value - halfUnit.
    let lo = 0;
    let hi = hidden.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hidden[mid] < p.value - p.halfUnit * 1.000001) lo = mid + 1;
      else hi = mid;
    }
    if (lo < hidden.length && hidden[lo] <= p.value + p.halfUnit * 1.000001) found.push(p.token);
  }
  return found;
}

export interface Expectation {
  manifest: HostileManifest;
  bound: number;
  /** Questions that must earn nothing. */
  lost: string[];
  hidden: number[];
  forbidden: string[];
}

/** Most bytes a student-facing file may have, whatever the submission sent. */
export const MAX_OUTPUT_BYTES = 2 * 1024 * 1024;

export function checkOutputs(o: Outputs, e: Expectation): string[] {
  const failures: string[] = [];
  for (const [file, bytes] of Object.entries(o.sizes)) if (bytes > MAX_OUTPUT_BYTES) failures.push(`${file} has ${bytes} bytes (at most ${MAX_OUTPUT_BYTES})`);
  if (!o.results) return [...failures, o.problem ?? 'no results'];
  const invalid = validateResults(o.results);
  if (invalid.length > 0) failures.push(`results.json does not validate: ${invalid[0]}`);
  for (const f of ['report.md', 'report.html']) if (o.texts[f] === undefined) failures.push(`${f} was not written`);
  const expect = e.manifest.expect;
  const score = o.score ?? NaN;
  if (!(score <= e.bound + 1e-6)) failures.push(`score ${score} is above the bound ${e.bound}`);
  if (expect.full_marks && !(score >= e.bound - 1e-6)) failures.push(`score ${score}, expected full marks (${e.bound})`);
  const tests = o.results.tests ?? [];
  for (const q of e.lost) {
    const earned = tests.filter((t) => t.tags?.includes(q)).reduce((s, t) => s + (t.score ?? 0), 0);
    if (earned > 1e-6) failures.push(`${q} earned ${earned} points, expected none`);
  }
  const allPassed = tests.length > 0 && tests.every((t) => t.status === 'passed');
  if (expect.status === 'passed' && !allPassed) {
    const failed = tests.filter((t) => t.status !== 'passed');
    failures.push(`expected every test to pass; ${failed.length} failed, first: ${failed[0]?.name}: ${(failed[0]?.output ?? '').split('\n')[0]}`);
  }
  if (expect.status === 'failed' && allPassed) failures.push('expected a failed test, every test passed');
  if (!o.texts['results.json'].includes(expect.output_contains)) failures.push(`the output does not say '${expect.output_contains}'`);
  for (const [file, text] of Object.entries(o.texts)) {
    const leaks = leakedValues(text, e.hidden);
    if (leaks.length > 0) failures.push(`${file} shows hidden expected values: ${leaks.slice(0, 3).join(', ')}`);
    for (const f of e.forbidden) if (text.includes(f)) failures.push(`${file} shows '${f}'`);
    if (/(^|[\s'"(/])solutions\/\w/.test(text)) failures.push(`${file} names the solutions folder`);
  }
  return failures;
}
