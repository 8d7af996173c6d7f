/**
 * Runs calls against loaded modules, one at a time, each inside try/catch with a tensor count
 * before and after. Used by the runner child for student code and for the reference, and by the
 * student handout's public tests (which is why whole runs are passed in, not imported).
 */
import * as tf from '@tensorflow/tfjs';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newOwned, disposeOwned } from './encode';
import { BadReturn, callHarness, type HarnessOutput } from './harnesses';
import { splitTarget, type CallError, type CallResult, type PlainArg, type PlainTensor, type RunnerCall } from './protocol';

/** The student's modules by file name (without `.ts`), each its exports. */
export type Modules = Record<string, Record<string, unknown>>;
/** A whole run of an assignment (its public module's `runs`): the student's modules and the call's arguments. */
export type WholeRun = (modules: Modules, args: PlainArg[]) => HarnessOutput;
/** The whole runs a process can do, by name. */
export type WholeRuns = Record<string, WholeRun>;

export interface Loaded {
  dir: string;
  modules: Modules;
  /** Per module file name (without .ts), why it could not be loaded. */
  loadErrors: Record<string, CallError>;
}

/** "file.ts:42": the first stack frame inside `dir`. */
export function whereIn(err: unknown, dir: string): string | undefined {
  const stack = err instanceof Error ? String(err.stack ?? '') : '';
  const prefix = path.resolve(dir) + path.sep;
  for (const line of stack.split('\n')) {
    const i = line.indexOf(prefix);
    if (i < 0) continue;
    const m = /^([^:()\s]+):(\d+)/.exec(line.slice(i + prefix.length));
    if (m) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/** One line: "TypeError: x is not a function". */
function oneLine(err: unknown): string {
  if (!(err instanceof Error)) return `a non-Error value was thrown: ${String(err).split('\n')[0].slice(0, 200)}`;
  const head = err instanceof BadReturn || err.name === 'NotImplementedError' ? err.message : `${err.name}: ${err.message}`;
  return head.split('\n')[0].slice(0, 300);
}

export function describeError(err: unknown, dir: string): CallError {
  const kind = err instanceof BadReturn ? 'bad-return' : err instanceof Error && err.name === 'NotImplementedError' ? 'not-implemented' : 'exception';
  return { kind, message: oneLine(err), where: whereIn(err, dir) };
}

/**
 * Loads every student module of `dir`; a module that fails to load fails only its own calls.
 * `names`: the modules, in order; `skip`: modules not to load, with why (they stopped an earlier
 * process while it loaded them);
 * `onLoad` is told each module's name just before it is loaded.
 */
export function loadModules(dir: string, names: readonly string[], o: { skip?: Record<string, string>; onLoad?: (name: string) => void } = {}): Loaded {
  const modules: Modules = {};
  const loadErrors: Record<string, CallError> = {};
  for (const name of names) {
    const file = path.join(dir, `${name}.ts`);
    if (!fs.existsSync(file)) {
      loadErrors[name] = { kind: 'load', message: `${name}.ts was not submitted` };
      continue;
    }
    if (o.skip?.[name]) {
      loadErrors[name] = { kind: 'load', message: `${name}.ts could not be loaded: ${o.skip[name]}` };
      continue;
    }
    o.onLoad?.(name);
    try {
      modules[name] = require(file) as Record<string, unknown>;
    } catch (err) {
      loadErrors[name] = { kind: 'load', message: `${name}.ts could not be loaded: ${oneLine(err)}`, where: whereIn(err, dir) };
    }
  }
  return { dir, modules, loadErrors };
}

/** Calls the harness on `f` with a tensor count around it; never throws. */
export function runHarness(call: RunnerCall, f: unknown, dir: string): CallResult {
  const before = tf.memory().numTensors;
  const owned = newOwned();
  let out: HarnessOutput | undefined;
  let error: CallError | undefined;
  try {
    if (typeof f !== 'function') throw new BadReturn(`${splitTarget(call.target)[1]} is not exported as a function`);
    out = callHarness(call.harness, f as (...a: unknown[]) => unknown, call.args, owned);
  } catch (err) {
    error = describeError(err, dir);
  }
  try {
    disposeOwned(owned);
  } catch {
    // a student may already have disposed an input; the count below shows the rest
  }
  const leaked = Math.max(0, tf.memory().numTensors - before);
  if (error || !out) return { id: call.id, ok: false, outputs: {}, leaked, error };
  return { id: call.id, ok: true, outputs: capped(out.outputs, call.maxElements), changed: out.changed, leaked };
}

/** Outputs larger than the case can return travel as their shape only (the grader refuses more). */
function capped(outputs: Record<string, PlainTensor>, maxElements: number | undefined): Record<string, PlainTensor> {
  if (maxElements === undefined) return outputs;
  const entries = Object.entries(outputs).map(([name, t]) => [name, t.data.length > maxElements ? { shape: t.shape, data: [], tooLarge: true as const } : t]);
  return Object.fromEntries(entries);
}

/** Runs one call against the loaded modules; `runs` are the whole runs a 'run' harness may name. */
export function runCall(loaded: Loaded, call: RunnerCall, runs: WholeRuns = {}): CallResult {
  const [file, name] = splitTarget(call.target);
  const loadError = loaded.loadErrors[file];
  if (loadError) return { id: call.id, ok: false, outputs: {}, leaked: 0, error: loadError };
  if (call.harness.kind === 'run') {
    const run = runs[call.harness.run];
    if (!run) return { id: call.id, ok: false, outputs: {}, leaked: 0, error: { kind: 'crashed', message: `the run '${call.harness.run}' is not available in this process` } };
    // A whole run with the student's modules (the module of its target, and what that imports).
    return runHarness(call, (...args: unknown[]) => run(loaded.modules, args as PlainArg[]), loaded.dir);
  }
  return runHarness(call, loaded.modules[file]?.[name], loaded.dir);
}
