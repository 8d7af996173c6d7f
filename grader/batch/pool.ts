/**
 * The parent side of the grading workers: N child processes (worker-entry.js), each in its own
 * process group and with its own sandbox user, fed one task at a time. A worker that dies, or
 * takes longer than the per-submission limit, is killed with its group and replaced; its task
 * comes back as 'crashed' or 'timeout' so the batch records it and goes on.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { FromWorker, Outcome, ToWorker, WorkerSettings, WorkerTask } from './worker';

export const WORKER_ENTRY = path.join(__dirname, 'worker-entry.js');

export type TaskResult = { kind: 'done'; outcome: Outcome } | { kind: 'crashed' | 'timeout'; reason: string; seconds: number };

/** Every live worker, so that a signal to the batch can end them all. */
const live = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  live.delete(child);
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** Ends every worker and its children now (signal handlers, fatal errors). */
export function killAllWorkers(): void {
  for (const child of [...live]) killGroup(child);
}

/** The last line of what a worker wrote to stderr, for staff. */
const lastLine = (text: string): string => text.trim().split('\n').pop()?.slice(0, 300) ?? '';

class Worker {
  private stderr = '';

  private constructor(private readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    child.stdout?.resume(); // the grader's own logging; not needed
    child.on('error', () => undefined); // a failed send or kill; the 'exit' that follows is what counts
  }

  /** Forks a worker and waits until it is ready (a worker that cannot start is a grader problem). */
  static start(settings: WorkerSettings): Promise<Worker> {
    const env = { ...process.env };
    delete env.RLHW_COURSE_SECRET; // the secret goes over the IPC channel only
    const child = fork(WORKER_ENTRY, [], { detached: true, execArgv: [], env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    live.add(child);
    const worker = new Worker(child);
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => fail(err.message);
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => fail(signal ? `killed by ${signal}` : `exit status ${code}`);
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') {
          detach();
          resolve(worker);
        } else fail('unexpected first message');
      };
      const detach = () => {
        child.removeListener('error', onError);
        child.removeListener('exit', onExit);
        child.removeListener('message', onMessage);
      };
      const fail = (why: string) => {
        detach();
        killGroup(child);
        reject(new Error(`a grading worker could not start (${why})${worker.stderr ? `: ${lastLine(worker.stderr)}` : ''}`));
      };
      child.on('error', onError);
      child.once('exit', onExit);
      child.on('message', onMessage);
      child.send({ type: 'init', settings } satisfies ToWorker);
    });
  }

  /** Grades one task; never rejects. After 'crashed' or 'timeout' the worker is gone. */
  grade(task: WorkerTask, timeoutMs: number): Promise<TaskResult> {
    const started = performance.now();
    const seconds = () => Math.round(performance.now() - started) / 1000;
    return new Promise((resolve) => {
      const finish = (r: TaskResult) => {
        clearTimeout(timer);
        this.child.removeListener('message', onMessage);
        this.child.removeListener('exit', onExit);
        if (r.kind !== 'done') killGroup(this.child);
        resolve(r);
      };
      const onMessage = (m: FromWorker) => {
        if (m.type === 'done' && m.name === task.name) finish({ kind: 'done', outcome: m.outcome });
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        const how = signal ? `was killed by ${signal}` : `exited with status ${code}`;
        const detail = lastLine(this.stderr);
        finish({ kind: 'crashed', reason: `the grading process ${how}${detail ? `: ${detail}` : ''}`, seconds: seconds() });
      };
      const timer = setTimeout(
        () => finish({ kind: 'timeout', reason: `grading took longer than the batch's limit of ${timeoutMs / 1000} s per submission`, seconds: seconds() }),
        timeoutMs,
      );
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.stderr = '';
      try {
        this.child.send({ type: 'grade', task } satisfies ToWorker);
      } catch (err) {
        finish({ kind: 'crashed', reason: `the grading process could not be reached: ${(err as Error).message}`, seconds: 0 });
      }
    });
  }

  /** Lets an idle worker end (it ends its group when the channel closes). */
  stop(): void {
    live.delete(this.child);
    if (this.child.connected) this.child.disconnect();
  }
}

export interface PoolOptions<T> {
  workers: number;
  /** Settings of every worker; `sandboxUser` is chosen per worker. */
  settings: Omit<WorkerSettings, 'sandboxUser'>;
  /** One sandbox user per worker: runs on one user are serialised (grader/sandbox/lock.ts). */
  sandboxUserOf: (slot: number) => string | undefined;
  /** Per submission: a worker busy for longer is killed and the submission recorded as 'timeout'. */
  submissionTimeoutMs: number;
  /** Called just before a task goes to a worker (to make its out folder). */
  beforeTask?: (task: T) => void;
}

/**
 * Grades every task on `o.workers` workers and calls `onResult` as each ends (in the parent, in
 * completion order). The first task is graded alone, so that it fills the reference cache the
 * others then read instead of every worker computing the reference at once. Rejects only for
 * grader problems: a worker that cannot start, or an exception from `onResult`; the workers are
 * then ended.
 */
export async function runPool<T extends WorkerTask>(tasks: T[], o: PoolOptions<T>, onResult: (task: T, r: TaskResult) => void): Promise<void> {
  const queue = [...tasks];
  let failed: unknown;
  let firstDone!: () => void;
  const first = new Promise<void>((resolve) => (firstDone = resolve));
  let results = 0;
  const slot = async (k: number): Promise<void> => {
    const settings: WorkerSettings = { ...o.settings, sandboxUser: o.sandboxUserOf(k) };
    let worker: Worker | undefined;
    try {
      if (k > 0) {
        if (queue.length > 1) worker = await Worker.start(settings); // ready by the time the first task ends
        await first;
      }
      while (queue.length > 0 && failed === undefined) {
        const task = queue.shift()!;
        worker ??= await Worker.start(settings);
        o.beforeTask?.(task);
        const r = await worker.grade(task, o.submissionTimeoutMs);
        if (r.kind !== 'done') worker = undefined; // replaced on the next task
        onResult(task, r);
        if (++results === 1) firstDone();
      }
    } catch (err) {
      failed ??= err;
      killAllWorkers();
    } finally {
      worker?.stop();
      if (k === 0) firstDone(); // never leave the other slots waiting
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.workers, tasks.length)) }, (_, k) => slot(k)));
  if (failed !== undefined) throw failed;
}
