// Runs public cases on your files the way the grader runs them, on your own machine: the grader's
// runner child (grader/child/local-entry.js) in a plain child process, driven by the grader's own
// parent (grader/runner/run-calls.ts), with each case's time limit. There is no sandbox: it is
// your code on your machine. The cases run in order in one child, starting from the first case a
// test asks for, and each outcome reaches its test as soon as it is known. A case that does not
// finish in time is stopped with its child, and the cases after it go on in a fresh child.
import * as os from 'node:os';
import * as path from 'node:path';
import type { CallResult, RunnerRequest } from '../grader/child/protocol';
import { referenceEnvelope } from '../grader/runner/messages';
import { LOCAL_CHILD_ENTRY, plainLauncherOf } from '../grader/runner/plain-launch';
import { runCalls } from '../grader/runner/run-calls';
import type { PublicCase, PublicData } from './public-cases';

export interface LocalOutcome {
  result: CallResult;
  /** Seconds from the case's start to its outcome (undefined when it never started). */
  seconds?: number;
}

export interface LocalRunOptions {
  /** The folder of your files (homework/). */
  homework: string;
  /** The handout's folder: the child's working folder. */
  root: string;
  backend: RunnerRequest['backend'];
}

interface Pending {
  promise: Promise<LocalOutcome>;
  resolve: (o: LocalOutcome) => void;
  reject: (err: unknown) => void;
}

function pending(): Pending {
  let resolve!: Pending['resolve'];
  let reject!: Pending['reject'];
  const promise = new Promise<LocalOutcome>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => undefined); // a batch that fails rejects cases no test may ask for
  return { promise, resolve, reject };
}

/**
 * The local runs of one test file. `cases` in the order the tests ask for them: a batch runs a
 * case and every later one not run yet (with `npm test -- -t Q2.3`, the later ones run too until
 * `stop()`, which the tests call when they are done).
 */
export class LocalRun {
  private readonly outcomes = new Map<string, Pending>();
  private readonly started = new Map<string, number>();
  private readonly abort = new AbortController();
  /** The batch running, or the last one. */
  private batches: Promise<void> = Promise.resolve();

  constructor(
    private readonly data: PublicData,
    private readonly cases: PublicCase[],
    private readonly o: LocalRunOptions,
  ) {}

  /** The outcome of case `c`, starting a batch from it when no batch holds it. */
  outcome(c: PublicCase): Promise<LocalOutcome> {
    if (!this.outcomes.has(c.id)) this.startFrom(c);
    return this.outcomes.get(c.id)!.promise;
  }

  /** Stops the running child, if any; cases not run then say so. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.batches;
  }

  private startFrom(c: PublicCase): void {
    const from = this.cases.indexOf(c);
    const batch = (from < 0 ? [c] : this.cases.slice(from)).filter((x) => !this.outcomes.has(x.id));
    for (const x of batch) this.outcomes.set(x.id, pending());
    this.batches = this.batches.then(() => this.run(batch));
  }

  private async run(batch: PublicCase[]): Promise<void> {
    const limits = this.data.limits;
    try {
      await runCalls(
        batch.map((c) => c.call),
        {
          launcher: plainLauncherOf(LOCAL_CHILD_ENTRY),
          backend: this.o.backend,
          studentDir: this.o.homework,
          cwd: this.o.root,
          modules: this.data.submission.map((f) => f.replace(/\.ts$/, '')),
          publicModule: path.resolve(this.o.root, this.data.publicModule),
          // What each case may return, as in grading: outputs larger than the reference's travel as their shape.
          envelopes: new Map(batch.map((c) => [c.id, referenceEnvelope(c.reference.result.outputs)])),
          timeLimits: Object.fromEntries(batch.map((c) => [c.id, c.timeLimit])),
          startupCpuSeconds: limits.startupSeconds,
          // Wall-clock seconds here (a plain child): the case's limit, plus the runner's 5 s of grace.
          wallFactor: 1,
          memoryMiB: limits.memoryMiB,
          home: os.tmpdir(),
          signal: this.abort.signal,
          onMessage: (m) => {
            const { type, id } = m as { type?: string; id?: string };
            if (type === 'start' && typeof id === 'string') this.started.set(id, performance.now());
          },
          onOutcome: ({ result }) => {
            const start = this.started.get(result.id);
            this.outcomes.get(result.id)?.resolve({ result, seconds: start === undefined ? undefined : (performance.now() - start) / 1000 });
          },
        },
      );
    } catch (err) {
      for (const c of batch) this.outcomes.get(c.id)!.reject(err);
    }
  }
}
