/**
 * Runs a list of calls in runner children until each has an outcome. Each call has its own CPU
 * budget, started when the child announces the call ('start'), once in the whole grading; loading
 * the modules has the start-up allowance; the whole child is capped by the sum of them all (a
 * backstop), and the grading by its deadline. Every message goes through a Conversation (the
 * protocol's state machine): a child that breaks the protocol is stopped. When a child stops
 * (time, memory, crash, protocol), the call it had started fails with that reason, or the module it
 * was loading becomes unloadable, and the remaining calls run in a fresh child. Every child run
 * retires at least one call or one module, and the number of children is capped, so grading ends.
 */
import { splitTarget, type CallError, type RunnerCall, type RunnerRequest } from '../child/protocol';
import { Conversation, type CallOutcome } from './conversation';
import type { ChildRun, Launcher } from './plain-launch';
import type { Envelope } from './messages';
import type { FileView } from '../sandbox/types';

export type { CallOutcome } from './conversation';

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
  /** Module names the child loads (the submission's files without `.ts`), in order. */
  modules: string[];
  /** The assignment's public grading module, for calls that are whole runs. */
  publicModule?: string;
  /**
   * Student code: what each call may return (see messages.ts). Absent only for the trusted
   * reference and verification children, whose diagnostic variants are then accepted too.
   */
  envelopes?: ReadonlyMap<string, Envelope>;
  /** Trusted reference runs only: the assignment's private grading module, whose diagnostic variants run on every call. */
  privateModule?: string;
  /** performance.now() after which no call starts and the running child is stopped. */
  deadline?: number;
  /** What a sandboxed child may see of the file system. */
  view?: FileView;
  /** The child's writable folder (its HOME and TMPDIR). */
  home?: string;
  /** Told about every child run (the grader logs the isolation mechanisms used). */
  onRun?: (run: ChildRun) => void;
  /** Told about every message the protocol accepts, as it arrives (the grader times cases with it). */
  onMessage?: (message: unknown) => void;
  /** Told about each call's outcome as soon as it is final (a student's local run shows it at once). */
  onOutcome?: (outcome: CallOutcome) => void;
  /** Plain children: when aborted, the running child is stopped and no call starts any more (its outcome says so). */
  signal?: AbortSignal;
}

const STOPPED: Record<ChildRun['outcome'], string> = {
  exited: 'the process stopped before finishing this case',
  'cpu-timeout': 'the time limit was exceeded (an infinite loop or a very slow implementation?)',
  'wall-timeout': 'the time limit was exceeded (an infinite loop or a very slow implementation?)',
  memory: 'the memory limit was exceeded',
  'output-limit': 'it sent the grader more data than this case can return',
  crashed: 'the process crashed',
  stopped: 'the grader stopped the run',
};

/** Why a module could not be loaded, when the child stopped while loading it. */
const LOAD_STOPPED: Record<ChildRun['outcome'], string> = {
  exited: 'the process ended while it was being loaded',
  'cpu-timeout': 'loading it exceeded the time limit (an infinite loop or slow code outside the functions?)',
  'wall-timeout': 'loading it exceeded the time limit (an infinite loop or slow code outside the functions?)',
  memory: 'loading it exceeded the memory limit',
  'output-limit': 'loading it sent the grader too much data',
  crashed: 'the process crashed while it was being loaded',
  stopped: 'the grader stopped the run while it was being loaded',
};

const failed = (id: string, kind: CallError['kind'], message: string): CallOutcome => ({ result: { id, ok: false, outputs: {}, leaked: 0, error: { kind, message } } });

export async function runCalls(calls: RunnerCall[], o: RunOptions): Promise<Map<string, CallOutcome>> {
  const done = new Map<string, CallOutcome>();
  /** Modules whose loading stopped a child: the next children do not load them (their calls fail). */
  const unloadable: Record<string, string> = {};
  // The trusted children are told nothing they could misreport: any module name is accepted.
  const modules = o.envelopes ? new Set(o.modules) : undefined;
  /** Each case gets its budget once in the whole grading, whatever the children say. */
  const budgeted = new Set<string>();
  const maxChildren = o.modules.length + calls.length + 2;
  const limitOf = (id: string): number => o.timeLimits[id] ?? 10;
  const budgetOf = (cpuSeconds: number) => ({ cpuSeconds, wallSeconds: cpuSeconds * o.wallFactor + 5 });

  /** Calls whose outcome onOutcome was given (a result as it arrived, or its final outcome). */
  const told = new Set<string>();
  const tell = (outcome: CallOutcome): void => {
    if (told.has(outcome.result.id)) return;
    told.add(outcome.result.id);
    o.onOutcome?.(outcome);
  };
  const settle = (outcome: CallOutcome): void => {
    done.set(outcome.result.id, outcome);
    tell(outcome);
  };
  /** A call that ran out of time fails its target's later calls at once. */
  const finish = (outcome: CallOutcome): void => {
    const { id, error } = outcome.result;
    settle(outcome);
    if (error?.kind !== 'timeout') return;
    const target = calls.find((c) => c.id === id)?.target;
    for (const c of calls) {
      if (c.target === target && !done.has(c.id)) settle(failed(c.id, 'timeout', `skipped: ${splitTarget(target!)[1]} already ran out of time on case ${id}`));
    }
  };

  for (let children = 0; ; children++) {
    const remaining = calls.filter((c) => !done.has(c.id));
    if (remaining.length === 0) break;
    const left = o.deadline === undefined ? Infinity : (o.deadline - performance.now()) / 1000;
    if (left <= 0 || children >= maxChildren || o.signal?.aborted) {
      const why = o.signal?.aborted ? 'not run: the run was stopped' : left <= 0 ? "not run: the grading's total time ran out before this case" : 'not run: the runner was restarted too many times';
      for (const c of remaining) settle(failed(c.id, 'timeout', why));
      break;
    }
    const cpu = o.startupCpuSeconds + remaining.reduce((s, c) => s + limitOf(c.id), 0);
    const wall = Math.min(cpu * o.wallFactor + 10, left);
    const req: RunnerRequest = {
      backend: o.backend,
      studentDir: o.studentDir,
      modules: o.modules,
      ...(o.publicModule ? { publicModule: o.publicModule } : {}),
      ...(o.privateModule ? { privateModule: o.privateModule } : {}),
      calls: remaining.map((c) => (o.envelopes ? { ...c, maxElements: o.envelopes.get(c.id)?.maxElements ?? 0 } : c)),
      ...(Object.keys(unloadable).length > 0 ? { unloadable: { ...unloadable } } : {}),
    };
    const talk = new Conversation(remaining, modules, o.envelopes);
    const run = await o.launcher(req, o.cwd, { cpuSeconds: cpu, wallSeconds: wall, memoryMiB: o.memoryMiB }, {
      budget: budgetOf(o.startupCpuSeconds),
      view: o.view,
      home: o.home,
      signal: o.signal,
      onMessage: (m) => {
        const running = talk.running;
        const reply = talk.accept(m);
        if (reply && 'stop' in reply) return reply;
        o.onMessage?.(m);
        // A result the protocol accepted is final: tell it now, not when the child ends.
        const result = running === undefined ? undefined : talk.outcomes.get(running);
        if (result) tell(result);
        if (!reply) return undefined;
        if (budgeted.has(reply.budgetFor)) return undefined;
        budgeted.add(reply.budgetFor);
        return budgetOf(limitOf(reply.budgetFor));
      },
    });
    o.onRun?.(run);
    for (const outcome of talk.outcomes.values()) finish(outcome);
    const outOfTime = o.deadline !== undefined && run.outcome === 'wall-timeout' && performance.now() >= o.deadline - 1000;
    const why = talk.violation ? `the grader stopped the run: your code ${talk.violation}` : outOfTime ? "the grading's total time ran out during this case" : STOPPED[run.outcome];
    if (talk.running !== undefined) {
      finish(failed(talk.running, run.outcome === 'cpu-timeout' || run.outcome === 'wall-timeout' ? 'timeout' : 'crashed', why));
    } else if (talk.loading !== undefined && !talk.finished && unloadable[talk.loading] === undefined) {
      // The child stopped while loading one module: only that module's calls fail; start again without it.
      unloadable[talk.loading] = talk.violation ? `while it was being loaded, ${why}` : LOAD_STOPPED[run.outcome];
    } else if (talk.fatal !== undefined) {
      // The harness itself failed (no backend, no input): every call left fails the same way.
      for (const c of remaining) if (!done.has(c.id)) settle(failed(c.id, 'crashed', `the grader could not run your code: ${talk.fatal}`));
    } else {
      // Stopped between two calls, or before the first one: the next call is the one that is lost.
      const next = remaining.find((c) => !done.has(c.id));
      if (next) finish(failed(next.id, 'crashed', talk.violation || outOfTime ? why : `${STOPPED[run.outcome]} (it stopped between two cases: a timer or background task in your code?)`));
    }
  }
  return done;
}
