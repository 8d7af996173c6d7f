/**
 * Runs a list of calls in runner children until each has a result. Each call has its own CPU
 * budget, started when the child announces the call ('start'); loading the modules has the
 * start-up allowance. The whole child is also capped by the sum of them all (a backstop). When a
 * child dies (time, memory, crash) the call it had started fails with that reason and the
 * remaining calls run in a fresh child. Everything the child sent is checked before it is used.
 */
import type { CallResult, ChildMessage, PlainTensor, RunnerCall, RunnerRequest, VariantResult } from './protocol';
import type { ChildRun, Launcher } from './launch';

export interface RunOptions {
  launcher: Launcher;
  backend: RunnerRequest['backend'];
  studentDir: string;
  cwd: string;
  /** CPU seconds per call id. */
  timeLimits: Record<string, number>;
  startupCpuSeconds: number;
  wallFactor: number;
  memoryMiB: number;
  variants?: boolean;
  /** Told about every child run (the grader logs the isolation mechanisms used). */
  onRun?: (run: ChildRun) => void;
  /** Told about every message as it arrives, untrusted and unchecked (the grader times cases with it). */
  onMessage?: (message: unknown) => void;
}

export interface CallOutcome {
  result: CallResult;
  variants?: VariantResult[];
}

const isTensor = (t: unknown): t is PlainTensor =>
  typeof t === 'object' && t !== null && Array.isArray((t as PlainTensor).shape) && Array.isArray((t as PlainTensor).data) &&
  (t as PlainTensor).shape.every((d) => Number.isInteger(d) && d >= 0) && (t as PlainTensor).data.every((x) => typeof x === 'number' || x === null);

/** A result message that has the right shape and is about a call we asked for. */
function validResult(m: unknown, wanted: Set<string>): CallResult | undefined {
  const r = (m as { result?: CallResult }).result;
  if (typeof r !== 'object' || r === null || !wanted.has(r.id) || typeof r.ok !== 'boolean') return undefined;
  if (typeof r.outputs !== 'object' || r.outputs === null || !Object.values(r.outputs).every(isTensor)) return undefined;
  const outputs = Object.fromEntries(Object.entries(r.outputs).map(([k, t]) => [k, { shape: t.shape, data: t.data.map((x) => (x === null ? NaN : x)) }]));
  const error = r.error && { kind: r.error.kind, message: String(r.error.message).split('\n')[0].slice(0, 300), where: r.error.where ? String(r.error.where).slice(0, 100) : undefined };
  return { id: r.id, ok: r.ok && !error, outputs, changed: Array.isArray(r.changed) ? r.changed.map(String) : undefined, leaked: Number(r.leaked) || 0, error };
}

const STOPPED: Record<ChildRun['outcome'], string> = {
  exited: 'the process stopped before finishing this case',
  'cpu-timeout': 'the time limit was exceeded (an infinite loop or a very slow implementation?)',
  'wall-timeout': 'the time limit was exceeded (an infinite loop or a very slow implementation?)',
  memory: 'the memory limit was exceeded',
  'output-limit': 'too much output was produced',
  crashed: 'the process crashed',
};

/** Why a module could not be loaded, when the child died while loading it. */
const LOAD_STOPPED: Record<ChildRun['outcome'], string> = {
  exited: 'the process ended while it was being loaded',
  'cpu-timeout': 'loading it exceeded the time limit (an infinite loop or slow code outside the functions?)',
  'wall-timeout': 'loading it exceeded the time limit (an infinite loop or slow code outside the functions?)',
  memory: 'loading it exceeded the memory limit',
  'output-limit': 'loading it produced too much output',
  crashed: 'the process crashed while it was being loaded',
};

export async function runCalls(calls: RunnerCall[], o: RunOptions): Promise<Map<string, CallOutcome>> {
  const done = new Map<string, CallOutcome>();
  /** Modules whose loading stopped a child: the next children do not load them (their calls fail). */
  const unloadable: Record<string, string> = {};
  let remaining = calls;
  const budgeted = new Set<string>();
  while (remaining.length > 0) {
    const cpu = o.startupCpuSeconds + remaining.reduce((s, c) => s + (o.timeLimits[c.id] ?? 10), 0);
    const req: RunnerRequest = { backend: o.backend, studentDir: o.studentDir, calls: remaining, variants: o.variants, ...(Object.keys(unloadable).length > 0 ? { unloadable: { ...unloadable } } : {}) };
    const wanted = new Set(remaining.map((c) => c.id));
    const budgetOf = (cpuSeconds: number) => ({ cpuSeconds, wallSeconds: cpuSeconds * o.wallFactor + 5 });
    const budgets = {
      budget: budgetOf(o.startupCpuSeconds),
      onMessage: (m: unknown) => {
        o.onMessage?.(m);
        const msg = m as ChildMessage;
        // The messages are the child's: a forged 'start' could renew the budget forever. Each case
        // gets its budget once in the whole grading (a restarted child never re-runs a started case),
        // so all the children together run at most their start-ups plus the sum of the case limits.
        if (msg?.type !== 'start' || !wanted.has(msg.id) || budgeted.has(msg.id)) return undefined;
        budgeted.add(msg.id);
        return budgetOf(o.timeLimits[msg.id] ?? 10);
      },
    };
    const run = await o.launcher(req, o.cwd, { cpuSeconds: cpu, wallSeconds: cpu * o.wallFactor + 10, memoryMiB: o.memoryMiB }, budgets);
    o.onRun?.(run);
    let started: string | undefined;
    let fatal: string | undefined;
    let loading: string | undefined;
    for (const m of run.messages as ChildMessage[]) {
      if (m?.type === 'loading' && typeof m.module === 'string' && !started) loading = m.module.slice(0, 100);
      if (m?.type === 'start' && wanted.has(m.id)) started = m.id;
      if (m?.type === 'fatal') fatal = String(m.message).split('\n')[0].slice(0, 300);
      if (m?.type !== 'result') continue;
      const result = validResult(m, wanted);
      if (result && !done.has(result.id)) done.set(result.id, { result, variants: Array.isArray(m.variants) ? m.variants : undefined });
    }
    const failedId = started && !done.has(started) ? started : undefined;
    if (!started && !fatal && loading !== undefined && unloadable[loading] === undefined) {
      // The child died while loading one module: only that module's calls fail; start again without it.
      unloadable[loading] = LOAD_STOPPED[run.outcome];
      continue;
    }
    if (failedId === undefined) {
      // Nothing was running: the child failed before any call (or finished). Fail what is left.
      for (const c of remaining) {
        if (!done.has(c.id)) {
          const message = fatal ? `the grader could not run your code: ${fatal}` : STOPPED[run.outcome];
          done.set(c.id, { result: { id: c.id, ok: false, outputs: {}, leaked: 0, error: { kind: 'crashed', message } } });
        }
      }
      break;
    }
    const kind = run.outcome === 'cpu-timeout' || run.outcome === 'wall-timeout' ? 'timeout' : 'crashed';
    done.set(failedId, { result: { id: failedId, ok: false, outputs: {}, leaked: 0, error: { kind, message: STOPPED[run.outcome] } } });
    remaining = remaining.filter((c) => !done.has(c.id));
  }
  return done;
}
