// The public cases of the handout (tests/public-cases.json) and how a failing case is explained.
// The JSON is written by the kit's handout builder: for every visible case, the inputs, the
// reference's outputs and the outputs of the known mistakes (with their hints), all computed by
// the grader's reference process. The tests call your function with the grader's own harness.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlainArg, PlainTensor, RunnerCall, CallResult, VariantResult } from '../grader/child/protocol';
import type { Verdict } from '../grader/scoring/judge';

export interface PublicCase {
  id: string;
  /** The test's name. */
  name: string;
  call: RunnerCall;
  /** The names of the function's arguments, in order (for messages). */
  argNames: string[];
  tolerance: { atol: number; rtol: number };
  partial: 'all-or-nothing' | 'fraction';
  /** The case's share of its question's points. */
  maxScore: number;
  /** What the reference returned on these inputs, and what each known mistake returns. */
  reference: { result: CallResult; variants?: VariantResult[] };
  /** A whole run (tens of seconds): in `npm run test:runs`, not in `npm test`. */
  wholeRun?: boolean;
}

export interface PublicQuestion {
  id: string;
  title: string;
  points: number;
  extraCredit: boolean;
  functions: string[];
  /** cases: checked by npm test (whole runs by npm run test:runs); training: checked with npm run train; written: answered in words. */
  kind: 'cases' | 'training' | 'written';
  /** Points of the public cases (the other cases are hidden and graded after you submit). */
  publicPoints: number;
  cases: PublicCase[];
  /** How a training question is scored, or a written question's prompt. */
  note?: string;
  /** The command that checks a whole-run question locally (the assignment's own, such as npm run train). */
  check?: string;
}

export interface PublicData {
  title: string;
  /** The TensorFlow.js backend the grader uses (and these tests, unless RLHW_BACKEND says otherwise). */
  backend: 'wasm' | 'cpu' | 'node';
  /** The files npm run submit puts into submission.zip. */
  submission: string[];
  /** The assignment's public grading module (its whole runs), relative to the handout's top folder. */
  publicModule: string;
  questions: PublicQuestion[];
}

export const PUBLIC_CASES_FILE = path.join(__dirname, 'public-cases.json');

export const readPublicData = (file = PUBLIC_CASES_FILE): PublicData => JSON.parse(fs.readFileSync(file, 'utf8')) as PublicData;

/** "Q1.1 f": the name of a question's test group (`npm test -- -t Q1.1`). */
export const groupName = (q: PublicQuestion): string => `${q.id} ${q.functions.join(', ') || q.title}`;

const isTensor = (v: PlainArg): v is PlainTensor => typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as PlainTensor).shape) && Array.isArray((v as PlainTensor).data);

/** "u [8]", "tau = 0.7", "policy: policy network [3, 8, 2]", "batch { observations [8, 2], ... }". */
function describeArg(name: string, v: PlainArg): string {
  if (typeof v === 'number') return `${name} = ${v}`;
  if (Array.isArray(v)) return `${name} = [${v.join(', ')}]`;
  if (isTensor(v)) return `${name} [${v.shape.join(', ')}]`;
  if (typeof v === 'object' && v !== null && typeof (v as { net?: unknown }).net === 'string') {
    const net = v as { net: string; sizes: number[] };
    return `${name}: ${net.net === 'policy' ? 'GaussianPolicy' : 'Mlp'} [${net.sizes.join(', ')}]`;
  }
  return `${name} { ${Object.entries(v).map(([k, x]) => describeArg(k, x)).join(', ')} }`;
}

export const describeInputs = (c: PublicCase): string => c.call.args.map((a, i) => describeArg(c.argNames[i] ?? `arg${i}`, a)).join(', ');

/** The lines shown for a failing case: what it was called with, what is wrong, expected vs got, the hint. */
export function failureText(c: PublicCase, verdict: Verdict): string {
  const lines = [`Called with: ${describeInputs(c)}`, ...verdict.messages];
  if (verdict.details.length > 0) lines.push('Worst elements:', ...verdict.details.map((d) => `  ${d}`));
  if (verdict.hint) lines.push(`Hint: ${verdict.hint}`);
  if (c.partial === 'fraction' && verdict.fraction > 0) lines.push(`Partial credit: ${(verdict.fraction * 100).toFixed(1)}% of this case's points.`);
  return lines.join('\n');
}

/**
 * An error that Jest prints as exactly its message, every line of it: Jest takes the message to
 * end where the first "at file:line:column" frame begins, and noStackTrace (jest.config.js) hides
 * the frames.
 */
export function caseFailure(message: string): Error {
  const err = new Error(message);
  err.stack = `${message}\n    at publicCase (tests/public.test.ts:1:1)`;
  return err;
}
