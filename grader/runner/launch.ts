/**
 * Starting the runner child. Two launchers behind one interface: `sandboxLauncher` (the
 * grader/sandbox module: separate user, namespaces, CPU/memory watchdog) for student code, and
 * `plainLauncher` (plain-launch.ts: a plain child_process with the same fd 3 / fd 4 channel) for
 * the trusted reference, for tests, and where the sandbox cannot run.
 */
import { runSandboxed, type IsolationMode } from '../sandbox';
import { MAX_MESSAGE_BYTES } from '../child/protocol';
import { CHILD_ENTRY, childEnv, childExecArgv, heapLimitAsMemory, type Launcher } from './plain-launch';

export { CHILD_DIR, CHILD_ENTRY, heapLimitAsMemory, plainLauncher, warmPlainLauncher, type ChildRun, type LaunchLimits, type Launcher, type Talk } from './plain-launch';

/** The grader/sandbox module: separate user when root, CPU and memory watchdog, per-case budgets. */
export const sandboxLauncher =
  (o: { isolation?: IsolationMode; user?: string; userLocked?: boolean } = {}): Launcher =>
  async (req, cwd, limits, talk) => {
    const r = await runSandboxed({
      command: process.execPath,
      args: [...childExecArgv(limits.memoryMiB), CHILD_ENTRY],
      cwd,
      // swc cannot unpack its addon under the sandbox (ts-loader.js): trying costs about 0.1 s
      env: { ...childEnv(talk.home), RLHW_TS_STRIPPER: 'sucrase' },
      input: req,
      isolation: o.isolation,
      user: o.user,
      userLocked: o.userLocked,
      budget: talk.budget,
      onMessage: talk.onMessage,
      view: talk.view,
      limits: { ...limits, maxProcesses: 64, maxFileMiB: 16, maxOutputBytes: 64 * 1024, maxChannelBytes: 8 * 1024 * 1024, maxMessageBytes: MAX_MESSAGE_BYTES },
    });
    return { outcome: heapLimitAsMemory(r.outcome, r.stderr), stderr: r.stderr.slice(-4000), mechanisms: r.mechanisms, peakRssMiB: r.peakRssMiB };
  };
