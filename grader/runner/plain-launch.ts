/**
 * The launcher interface and `plainLauncher`: the runner child as a plain child_process with the
 * fd 3 / fd 4 channel and wall-clock limits, for the trusted reference, for tests, and for the
 * student handout's local runs (which is why this file does not import the sandbox runner:
 * launch.ts adds `sandboxLauncher` for student code).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { MessageDecoder } from '../sandbox/capture';
import type { Budget, FileView, MessageReply, SandboxOutcome } from '../sandbox/types';
import { MAX_MESSAGE_BYTES, type RunnerRequest } from '../child/protocol';

/** The runner child's entry point: everything the child runs lives in grader/child/. */
export const CHILD_DIR = path.resolve(__dirname, '../child');
export const CHILD_ENTRY = path.join(CHILD_DIR, 'entry.js');
/** The child of a student's local runs (the handout): the same loop, never the diagnostic variants. */
export const LOCAL_CHILD_ENTRY = path.join(CHILD_DIR, 'local-entry.js');

export interface LaunchLimits {
  cpuSeconds: number;
  wallSeconds: number;
  memoryMiB: number;
}

export interface ChildRun {
  /** 'exited' or why the child was stopped ('stopped': its messages broke the protocol, or the caller aborted). */
  outcome: SandboxOutcome;
  /** The end of stderr, for the grader's own log. */
  stderr: string;
  /** Isolation mechanisms used (empty for a plain child). */
  mechanisms: string[];
  /** Largest sampled resident memory of the child's process tree, MiB (sandboxed runs only). */
  peakRssMiB?: number;
}

/**
 * The conversation with one child: `budget` holds from the start until `onMessage` returns
 * another (one per case, when the child announces it); `onMessage` may also stop the child. The
 * limits of the launch stay as a whole-run backstop. Messages are handed over one by one and not
 * kept: the caller keeps only what it checked.
 */
export interface Talk {
  budget: Budget;
  onMessage: (message: unknown) => MessageReply;
  /** What the child may see of the file system (sandboxed launches). */
  view?: FileView;
  /** The child's HOME and TMPDIR, its writable folder (default /tmp). */
  home?: string;
  /** Plain children: stops the child at once when aborted (outcome 'stopped'). */
  signal?: AbortSignal;
}

export type Launcher = (req: RunnerRequest, cwd: string, limits: LaunchLimits, talk: Talk) => Promise<ChildRun>;

/**
 * Environment of a child: never the course secret, nor the grader's PATH (under npm it names the
 * kit's folder, which a submission could print in an error message). TSX_DISABLE_CACHE: tsx
 * otherwise keeps every file it compiles in a world-readable $TMPDIR/tsx-<uid>, so the reference
 * run would leave the compiled solutions there for the sandbox user to read (and one student's
 * compiled code for the next student graded under the same user).
 */
export function childEnv(home = '/tmp'): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home, TMPDIR: home, RLHW_QUIET: '1', NODE_OPTIONS: '', TSX_DISABLE_CACHE: '1' };
}

/**
 * V8 aborts the child when its heap reaches --max-old-space-size, often before the RSS watchdog
 * samples it: that crash is the memory limit too, so the message does not depend on which came
 * first. (The stderr is the child's: a student could print this line and crash, and get the
 * memory message instead of the crash message, for the same zero.)
 */
export function heapLimitAsMemory(outcome: ChildRun['outcome'], stderr: string): ChildRun['outcome'] {
  return outcome === 'crashed' && /JavaScript heap out of memory|Reached heap limit/.test(stderr) ? 'memory' : outcome;
}

/** The runner child's V8 flags: its heap limit (the compile cache is kept per set of flags). */
export const childExecArgv = (memoryMiB: number): string[] => [`--max-old-space-size=${memoryMiB}`];

/** A plain runner child, started: it loads TensorFlow.js, then waits for its request on fd 3. */
const spawnPlain = (entry: string, memoryMiB: number, cwd: string, home?: string): ChildProcess =>
  spawn(process.execPath, [...childExecArgv(memoryMiB), entry], { cwd, env: childEnv(home), stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });

/** Sends `req` to a started child and talks with it until it ends; wall-clock limits only. */
const talkTo = (child: ChildProcess, req: RunnerRequest, limits: LaunchLimits, talk: Talk): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const stdio = child.stdio as unknown as (NodeJS.ReadableStream & NodeJS.WritableStream)[];
    let stderr = '';
    let outcome: ChildRun['outcome'] = 'exited';
    const stop = (why: ChildRun['outcome']): void => {
      if (outcome === 'exited') outcome = why;
      child.kill('SIGKILL');
    };
    const decoder = new MessageDecoder(
      Infinity,
      () => stop('output-limit'),
      (message) => {
        const reply = talk.onMessage(message);
        if (reply && 'stop' in reply) (decoder.close(), stop('stopped'));
        else if (reply) startBudget(reply);
      },
      req.calls.some((c) => c.maxElements !== undefined) ? MAX_MESSAGE_BYTES : Infinity,
    );
    stdio[4].on('data', (chunk: Buffer) => decoder.push(chunk));
    stdio[2].setEncoding('utf8');
    stdio[2].on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    stdio[3].on('error', () => undefined);
    stdio[3].end(JSON.stringify(req) + '\n');
    const timer = setTimeout(() => stop('wall-timeout'), limits.wallSeconds * 1000);
    let budgetTimer: NodeJS.Timeout | undefined;
    function startBudget(b: Budget): void {
      clearTimeout(budgetTimer);
      budgetTimer = setTimeout(() => stop('wall-timeout'), Math.min(b.wallSeconds, limits.wallSeconds) * 1000);
    }
    startBudget(talk.budget);
    const abort = (): void => stop('stopped');
    if (talk.signal?.aborted) abort();
    talk.signal?.addEventListener('abort', abort);
    const settle = (): void => {
      clearTimeout(timer);
      clearTimeout(budgetTimer);
      talk.signal?.removeEventListener('abort', abort);
    };
    child.on('error', (err) => {
      settle();
      reject(new Error(`cannot start the runner: ${err.message}`));
    });
    const closed = (code: number | null, signal: NodeJS.Signals | null): void => {
      settle();
      decoder.end();
      if (outcome === 'exited' && code !== 0 && signal) outcome = 'crashed';
      resolve({ outcome: heapLimitAsMemory(outcome, stderr), stderr, mechanisms: [] });
    };
    // A child started ahead may have ended already (its 'close' then came before this talk).
    if (child.exitCode !== null || child.signalCode !== null) setImmediate(() => closed(child.exitCode, child.signalCode));
    else child.on('close', closed);
  });

/** A plain child process running `entry`; wall-clock limits only (trusted code, tests, a student's own machine). */
export const plainLauncherOf =
  (entry: string): Launcher =>
  (req, cwd, limits, talk) => {
    return talkTo(spawnPlain(entry, limits.memoryMiB, cwd, talk.home), req, limits, talk);
  };

/**
 * The grader's trusted runner child, started now so that it loads TensorFlow.js while something
 * else runs: the first launch talks to it (it runs in `cwd` with HOME /tmp and the memory cap
 * `memoryMiB`, whatever that launch asks), later ones start their own. `dispose` ends it if no
 * launch used it.
 */
export function warmPlainLauncher(memoryMiB: number, cwd: string): { launcher: Launcher; dispose(): void } {
  let waiting: ChildProcess | undefined = spawnPlain(CHILD_ENTRY, memoryMiB, cwd);
  waiting.on('error', () => undefined);
  const dispose = (): void => {
    waiting?.kill('SIGKILL');
    waiting = undefined;
  };
  const launcher: Launcher = (req, cwd, limits, talk) => {
    const child = waiting;
    waiting = undefined;
    return child ? talkTo(child, req, limits, talk) : plainLauncher(req, cwd, limits, talk);
  };
  return { launcher, dispose };
}

/** The grader's runner child (entry.js) in a plain process. */
export const plainLauncher: Launcher = plainLauncherOf(CHILD_ENTRY);
