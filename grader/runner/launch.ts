/**
 * Starting the runner child. Two launchers behind one interface: `sandboxLauncher` (the
 * grader/sandbox module: separate user, namespaces, CPU/memory watchdog) for student code, and
 * `plainLauncher` (a plain child_process with the same fd 3 / fd 4 channel) for the trusted
 * reference, for tests, and where the sandbox cannot run.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { runSandboxed, type Budget, type IsolationMode } from '../sandbox';
import type { RunnerRequest } from './protocol';

export const CHILD_ENTRY = path.join(__dirname, 'child-entry.js');

export interface LaunchLimits {
  cpuSeconds: number;
  wallSeconds: number;
  memoryMiB: number;
}

export interface ChildRun {
  messages: unknown[];
  /** 'exited' or why the child was stopped. */
  outcome: 'exited' | 'cpu-timeout' | 'wall-timeout' | 'memory' | 'output-limit' | 'crashed';
  /** The end of stderr, for the grader's own log. */
  stderr: string;
  /** Isolation mechanisms used (empty for a plain child). */
  mechanisms: string[];
  /** Largest sampled resident memory of the child's process tree, MiB (sandboxed runs only). */
  peakRssMiB?: number;
}

/**
 * Per-case budgets: `budget` holds from the start until `onMessage` returns another (one per case,
 * when the child announces it). The limits of the launch stay as a whole-run backstop.
 */
export interface Budgets {
  budget: Budget;
  onMessage: (message: unknown) => Budget | undefined;
}

export type Launcher = (req: RunnerRequest, cwd: string, limits: LaunchLimits, budgets?: Budgets) => Promise<ChildRun>;

/**
 * Environment of a child: never the course secret, nor the grader's PATH (under npm it names the
 * kit's folder, which a submission could print in an error message). TSX_DISABLE_CACHE: tsx
 * otherwise keeps every file it compiles in a world-readable $TMPDIR/tsx-<uid>, so the reference
 * run would leave the compiled solutions there for the sandbox user to read (and one student's
 * compiled code for the next student graded under the same user).
 */
function childEnv(): Record<string, string> {
  return { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', RLHW_QUIET: '1', NODE_OPTIONS: '', TSX_DISABLE_CACHE: '1' };
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

/** A plain child process; wall-clock limits only (trusted code, tests). */
export const plainLauncher: Launcher = (req, cwd, limits, budgets) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${limits.memoryMiB}`, CHILD_ENTRY], {
      cwd,
      env: childEnv(),
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const stdio = child.stdio as unknown as (NodeJS.ReadableStream & NodeJS.WritableStream)[];
    let buffer = '';
    let stderr = '';
    const messages: unknown[] = [];
    let outcome: ChildRun['outcome'] = 'exited';
    stdio[4].setEncoding('utf8');
    stdio[4].on('data', (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let message: unknown;
        try {
          message = JSON.parse(line);
        } catch {
          continue; // not a message
        }
        messages.push(message);
        const next = budgets?.onMessage(message);
        if (next) startBudget(next);
      }
    });
    stdio[2].setEncoding('utf8');
    stdio[2].on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    stdio[3].on('error', () => undefined);
    stdio[3].end(JSON.stringify(req) + '\n');
    const stop = (): void => {
      outcome = 'wall-timeout';
      child.kill('SIGKILL');
    };
    const timer = setTimeout(stop, limits.wallSeconds * 1000);
    let budgetTimer: NodeJS.Timeout | undefined;
    function startBudget(b: Budget): void {
      clearTimeout(budgetTimer);
      budgetTimer = setTimeout(stop, Math.min(b.wallSeconds, limits.wallSeconds) * 1000);
    }
    if (budgets) startBudget(budgets.budget);
    child.on('error', (err) => {
      clearTimeout(timer);
      clearTimeout(budgetTimer);
      reject(new Error(`cannot start the runner: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(budgetTimer);
      if (outcome === 'exited' && code !== 0 && signal) outcome = 'crashed';
      resolve({ messages, outcome: heapLimitAsMemory(outcome, stderr), stderr, mechanisms: [] });
    });
  });

/** The grader/sandbox module: separate user when root, CPU and memory watchdog, per-case budgets. */
export const sandboxLauncher =
  (o: { isolation?: IsolationMode; user?: string } = {}): Launcher =>
  async (req, cwd, limits, budgets) => {
    const r = await runSandboxed({
      command: process.execPath,
      args: [`--max-old-space-size=${limits.memoryMiB}`, CHILD_ENTRY],
      cwd,
      env: childEnv(),
      input: req,
      isolation: o.isolation,
      user: o.user,
      budget: budgets?.budget,
      onMessage: budgets?.onMessage,
      limits: { ...limits, maxProcesses: 64, maxFileMiB: 16, maxOutputBytes: 64 * 1024, maxChannelBytes: 8 * 1024 * 1024 },
    });
    return { messages: r.messages, outcome: heapLimitAsMemory(r.outcome, r.stderr), stderr: r.stderr.slice(-4000), mechanisms: r.mechanisms, peakRssMiB: r.peakRssMiB };
  };
