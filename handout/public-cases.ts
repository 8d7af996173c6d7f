// The public cases of the handout (tests/public-cases.json) and how a failing case is explained.
// The JSON is written by the kit's handout builder: for every visible case, the inputs, the
// reference's outputs and the outputs of the known mistakes (with their hints), all computed by
// the grader's reference process. The tests call your function with the grader's own harness, in
// a child process with each case's time limit (local-run.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitTarget, type CallError, type PlainArg, type PlainTensor, type RunnerCall, type CallResult, type VariantResult } from '../grader/child/protocol';
import { errorMessage, type Verdict } from '../grader/scoring/judge';

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
  /** Seconds the case may run (the grader counts CPU seconds; a local run stops it a few seconds after). */
  timeLimit: number;
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

/** What a submission file carries: the questions that score 0 while it does not load. */
export interface FileStake {
  questions: string[];
  /** "Q2.1–Q2.10 (35 points)". */
  summary: string;
  points: number;
}

export interface PublicData {
  title: string;
  /** The TensorFlow.js backend the grader uses (and these tests, unless RLHW_BACKEND says otherwise). */
  backend: 'wasm' | 'cpu' | 'node';
  /** The files npm run submit puts into submission.zip. */
  submission: string[];
  /** The assignment's public grading module (its whole runs), relative to the handout's top folder. */
  publicModule: string;
  /** The grader's limits: seconds to start a child and load your files, and its memory. */
  limits: { startupSeconds: number; memoryMiB: number };
  /** By submission file (such as "solver.ts"). */
  stakes: Record<string, FileStake>;
  questions: PublicQuestion[];
}

/** Where the public cases are, from the handout's folder. */
export const PUBLIC_CASES_PATH = 'tests/public-cases.json';
export const PUBLIC_CASES_FILE = path.join(__dirname, 'public-cases.json');

export const readPublicData = (file = PUBLIC_CASES_FILE): PublicData => JSON.parse(fs.readFileSync(file, 'utf8')) as PublicData;

/** "Q1.1 f": the name of a question's test group (`npm test -- -t Q1.1`). */
export const groupName = (q: PublicQuestion): string => `${q.id} ${q.functions.join(', ') || q.title}`;

const isTensor = (v: PlainArg): v is PlainTensor => typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as PlainTensor).shape) && Array.isArray((v as PlainTensor).data);

/** Tensors with at most this many elements are shown with their values. */
const SHOWN_ELEMENTS = 16;
const num = (x: number | null): string => (x === null ? 'NaN' : String(Number(x.toPrecision(6))));

/** "[1, -2, 0.5]", "[[1, 2], [3, 4]]", or undefined when the tensor is too large to show. */
function values(t: PlainTensor): string | undefined {
  if (t.data.length > SHOWN_ELEMENTS || t.shape.length > 2) return undefined;
  if (t.shape.length === 0) return num(t.data[0]);
  if (t.shape.length === 1) return `[${t.data.map(num).join(', ')}]`;
  const cols = t.shape[1];
  const rows = Array.from({ length: t.shape[0] }, (_, r) => `[${t.data.slice(r * cols, (r + 1) * cols).map(num).join(', ')}]`);
  return `[${rows.join(', ')}]`;
}

/** "u [4] = [1, -2, 0.5, 0]" (or "u [4]" without `withValues`), "rate = 0.7", "policy: GaussianPolicy [3, 8, 2]", "batch { observations [8, 2], ... }". */
function describeArg(name: string, v: PlainArg, withValues: boolean): string {
  if (typeof v === 'number' || typeof v === 'boolean') return `${name} = ${v}`;
  if (Array.isArray(v)) return `${name} = [${v.join(', ')}]`;
  if (isTensor(v)) {
    const shown = withValues ? values(v) : undefined;
    return `${name} [${v.shape.join(', ')}]${shown === undefined ? '' : ` = ${shown}`}`;
  }
  if (typeof v === 'object' && v !== null && typeof (v as { net?: unknown }).net === 'string') {
    const net = v as { net: string; sizes: number[] };
    return `${name}: ${net.net === 'policy' ? 'GaussianPolicy' : 'Mlp'} [${net.sizes.join(', ')}]`;
  }
  return `${name} { ${Object.entries(v).map(([k, x]) => describeArg(k, x, withValues)).join(', ')} }`;
}

/** Longest "Called with" line that shows values; a longer one shows shapes only (the file has the values). */
const MAX_INPUT_CHARS = 400;

export function describeInputs(c: PublicCase): string {
  const describe = (withValues: boolean): string => c.call.args.map((a, i) => describeArg(c.argNames[i] ?? `arg${i}`, a, withValues)).join(', ');
  const full = describe(true);
  return full.length <= MAX_INPUT_CHARS ? full : describe(false);
}

/** The two lines that show a case's inputs: small tensors with their values, and where all of them are. */
export function inputLines(c: PublicCase): string[] {
  const order = c.argNames.length > 0 ? `, in the order ${c.argNames.join(', ')}` : '';
  return [`Called with: ${describeInputs(c)}`, `All inputs: ${PUBLIC_CASES_PATH}, the case with "id": "${c.id}" (its call.args${order}).`];
}

/** The lines shown for a failing case: what it was called with, what is wrong, expected vs got, the hint. */
export function failureText(c: PublicCase, verdict: Verdict): string {
  const lines = [...inputLines(c), ...verdict.messages];
  if (verdict.details.length > 0) lines.push('Worst elements:', ...verdict.details.map((d) => `  ${d}`));
  if (verdict.hint) lines.push(`Hint: ${verdict.hint}`);
  if (c.partial === 'fraction' && verdict.fraction > 0) lines.push(`Partial credit: ${(verdict.fraction * 100).toFixed(1)}% of this case's points.`);
  return lines.join('\n');
}

/** The submission file a case calls ("solver.ts"). */
export const fileOf = (c: PublicCase): string => `${splitTarget(c.call.target)[0]}.ts`;

/** Why a file did not load, without the "solver.ts could not be loaded: " the child puts first. */
function loadReason(e: CallError): string {
  const reason = e.message.replace(/^\S+\.ts could not be loaded: /, '');
  return e.where && !reason.includes(e.where) ? `${reason} (at ${e.where})` : reason;
}

/**
 * A case whose file did not load: the whole story for the first such case of the file (what is
 * wrong, where, and what it costs), one line for the others.
 */
export function loadFailureText(c: PublicCase, e: CallError, data: PublicData, firstOfFile: boolean): string {
  const file = fileOf(c);
  if (!firstOfFile) return `${file} does not load (the first failing case of ${file} above says why).`;
  const stake = data.stakes[file];
  const cost = stake ? `Until it loads, ${stake.summary} score 0` : 'Until it loads, its questions score 0';
  return [`homework/${file} does not load: ${loadReason(e)}`, `${cost}: every case that calls ${file} fails (this is said once; its other cases only refer to it).`].join('\n');
}

/** A call that did not return: the error, and the inputs unless it is a stub or never ran. */
export function errorText(c: PublicCase, e: CallError, seconds: number | undefined): string {
  if (e.kind === 'not-implemented') return e.message;
  const lines = [errorMessage(e)];
  if (e.kind === 'timeout' && !/^(skipped|not run): /.test(e.message)) {
    lines.push(`It was stopped after ${seconds === undefined ? 'its time limit' : `${seconds.toFixed(1)} s`}; its time limit is ${c.timeLimit} s (the grader counts CPU seconds). The other cases go on in a fresh process.`);
  }
  if (!/^(skipped|not run): /.test(e.message)) lines.push(...inputLines(c));
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
