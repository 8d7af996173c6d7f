/**
 * runSandboxed: start untrusted code bounded and isolated, talk to it over the message channel,
 * and always end every process it started. See isolation.ts for the command chain, watchdog.ts
 * for memory and CPU, kill.ts for the clean-up and channel.ts for the child's side.
 *
 * Files the student must not read (solutions, hidden fixtures, the results file) are protected
 * ONLY by file permissions: the caller must make them root-only (folders 0700, files 0600) before
 * calling this; the drop to the sandbox user is what enforces it.
 */
import { spawn } from 'child_process';
import { constants as osConstants } from 'os';
import * as fs from 'fs';
import type { Readable, Writable } from 'stream';
import { BoundedCapture, MessageDecoder } from './capture';
import { INPUT_FD, MESSAGE_FD } from '../child/channel';
import { buildLaunch, checkTools, parseTimes, probeFullIsolation, TIMES_FD } from './isolation';
import { removeFilesOf } from './files';
import { killTree, sweepUser } from './kill';
import { confineHelper } from './confine';
import { lockRootPath, lockUser } from './lock';
import * as path from 'path';
import { DEFAULT_MAX_CHANNEL_BYTES, DEFAULT_SANDBOX_USER, validateRequest } from './types';
import type { Budget, IsolationMode, SandboxOutcome, SandboxRequest, SandboxResult } from './types';
import { ensureSandboxUser, isRoot, SandboxUser } from './user';
import { Watchdog } from './watchdog';

/** How long to wait for the sandbox user to be free of another run. */
export const LOCK_TIMEOUT_MS = 15 * 60 * 1000;
/** How long to wait for output pipes to drain once every process is dead. */
const DRAIN_GRACE_MS = 2000;
/** How long to wait before a run for dead processes of earlier runs to be reaped. */
const ZOMBIE_WAIT_MS = 3000;
/** How long the root wrappers get to exit on their own once the child's processes are killed. */
const ESCALATE_MS = 2000;

function signalName(n: number): string {
  const entry = Object.entries(osConstants.signals).find(([, num]) => num === n);
  return entry ? entry[0] : `SIG${n}`;
}

/**
 * The empty folder a full-mode child's new root is mounted on, inside its own mount namespace
 * (so one folder serves every run at once). Root-only, under the lock folder.
 */
function viewMountPoint(): string {
  const dir = path.join(lockRootPath(), 'view');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** Whether to use namespaces; throws when 'full' is asked for but impossible. */
export function chooseFull(mode: IsolationMode, root: boolean): boolean {
  if (mode === 'reduced') return false;
  if (mode === 'full') {
    if (!root) throw new Error('sandbox: full isolation needs a root parent');
    const probe = probeFullIsolation();
    if (!probe.ok) throw new Error(`sandbox: full isolation unavailable: ${probe.reason}`);
    return true;
  }
  return root && probeFullIsolation().ok;
}

export async function runSandboxed(req: SandboxRequest): Promise<SandboxResult> {
  validateRequest(req);
  if (!fs.statSync(req.cwd, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`sandbox: cwd ${req.cwd} is not a folder`);
  const inputJson = JSON.stringify(req.input ?? null);
  if (inputJson === undefined) throw new Error('sandbox: input is not JSON-serialisable');
  const root = isRoot();
  const full = chooseFull(req.isolation ?? 'auto', root);
  checkTools(full);
  const user = root ? ensureSandboxUser(req.user ?? DEFAULT_SANDBOX_USER) : null;
  const release = user && !req.userLocked ? await lockUser(user.name, LOCK_TIMEOUT_MS) : () => undefined;
  try {
    // Leftovers of an earlier grader that died before its clean-up; and leave the child most of
    // its process budget (zombies not yet reaped by PID 1 count towards it).
    if (user) {
      await sweepUser(user.uid, user.gid, ZOMBIE_WAIT_MS, Math.floor(req.limits.maxProcesses / 4));
      removeFilesOf(user.uid);
    }
    return await execute(req, inputJson, full, user);
  } finally {
    release();
  }
}

async function execute(req: SandboxRequest, inputJson: string, full: boolean, user: SandboxUser | null): Promise<SandboxResult> {
  const { limits } = req;
  // Root only: the helper runs as root before the drop, and the view is mounted by root.
  const confine = user ? confineHelper() : null;
  const viewRoot = full && req.view ? viewMountPoint() : undefined;
  const launch = buildLaunch(req, full, user, confine, viewRoot);
  const startedAt = performance.now();
  const child = spawn(launch.file, launch.args, {
    cwd: req.cwd,
    env: launch.env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
    detached: true, // own process group, so a non-root parent can still kill the group
  });
  const stdio = child.stdio as unknown as Array<Readable & Writable>;
  for (const stream of stdio) stream?.on('error', () => undefined); // EPIPE etc. once the child is gone

  let killReason: SandboxOutcome | null = null;
  let cleanup: Promise<unknown> = Promise.resolve();
  let escalation: NodeJS.Timeout | undefined;
  let exited = false;
  const killAll = (reason: SandboxOutcome): void => {
    if (killReason) return;
    killReason = reason;
    const pid = child.pid;
    if (pid === undefined || exited) return; // after 'exit' the clean-up below runs anyway
    // As root, kill only the user's processes: the root wrapper shell then reaps the child (so no
    // zombie is left for PID 1), reports its CPU time and exits. The wrappers are killed after
    // 'exit' in any case. Without a user, kill the whole tree at once.
    cleanup = user ? sweepUser(user.uid, user.gid) : killTree(pid, true);
    escalation = setTimeout(() => void killTree(pid, true), ESCALATE_MS);
  };

  const stdout = new BoundedCapture(limits.maxOutputBytes);
  const stderr = new BoundedCapture(limits.maxOutputBytes);
  const times = new BoundedCapture(4096);
  // The current budget: a CPU limit moved on the watchdog and a wall timer, restarted whenever
  // onMessage hands out a new one.
  let budgetTimer: NodeJS.Timeout | undefined;
  const startBudget = (b: Budget, cpuNow: number): void => {
    watchdog.setCpuLimit(Math.min(limits.cpuSeconds, cpuNow + b.cpuSeconds));
    clearTimeout(budgetTimer);
    budgetTimer = setTimeout(() => killAll('wall-timeout'), Math.min(limits.wallSeconds, b.wallSeconds) * 1000);
  };
  const onMessage = (m: unknown): void => {
    if (killReason) return;
    const reply = req.onMessage!(m);
    if (reply && 'stop' in reply) {
      decoder.close();
      killAll('stopped');
    } else if (reply && !exited) {
      startBudget(reply, watchdog.sample().cpuSeconds);
    }
  };
  const decoder = new MessageDecoder(limits.maxChannelBytes ?? DEFAULT_MAX_CHANNEL_BYTES, () => killAll('output-limit'), req.onMessage ? onMessage : undefined, limits.maxMessageBytes);
  stdio[1].on('data', (b: Buffer) => stdout.push(b));
  stdio[2].on('data', (b: Buffer) => stderr.push(b));
  stdio[MESSAGE_FD].on('data', (b: Buffer) => decoder.push(b));
  stdio[TIMES_FD].on('data', (b: Buffer) => times.push(b));
  stdio[INPUT_FD].end(inputJson + '\n');

  const watchdog = new Watchdog({
    rootPid: child.pid ?? -1,
    uid: user?.uid ?? null,
    cpuSeconds: limits.cpuSeconds,
    memoryMiB: limits.memoryMiB,
    onExceeded: (reason) => killAll(reason),
  });
  const wallTimer = setTimeout(() => killAll('wall-timeout'), limits.wallSeconds * 1000);
  if (req.budget) startBudget(req.budget, 0);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const status = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`sandbox: cannot start ${launch.file}: ${err.message}`)));
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
    if (child.pid !== undefined) watchdog.start();
  }).finally(() => {
    clearTimeout(wallTimer);
    clearTimeout(budgetTimer);
    clearTimeout(escalation);
    watchdog.stop();
  });
  const wallSeconds = (performance.now() - startedAt) / 1000;

  // Nothing may outlive the run, even after a normal exit (background processes, orphans).
  const leftovers = child.pid === undefined ? Promise.resolve() : Promise.all([killTree(child.pid, true), user ? sweepUser(user.uid, user.gid) : 0]);
  await Promise.all([cleanup, leftovers]);
  // Nor any file it left where every user may write (/tmp, /dev/shm...).
  if (user) removeFilesOf(user.uid);
  let graceTimer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    closed.then(() => true),
    new Promise<boolean>((resolve) => (graceTimer = setTimeout(() => resolve(false), DRAIN_GRACE_MS))),
  ]);
  clearTimeout(graceTimer);
  if (!drained) for (const stream of stdio) stream?.destroy();
  decoder.end();

  // The wrapper shell exits with the child's status; 128+n means the child died of signal n.
  let exitCode = status.code;
  let signal: string | null = status.signal;
  if (exitCode !== null && exitCode > 128 && exitCode <= 128 + 64) {
    signal = signalName(exitCode - 128);
    exitCode = null;
  }
  const viewFailed = /^view-failed: (.*)$/m.exec(times.text());
  if (viewFailed) throw new Error(`sandbox: cannot build the child's file view: ${viewFailed[1].slice(0, 200)}`);
  const measuredCpu = parseTimes(times.text()) ?? 0;
  const cpuSeconds = Math.max(measuredCpu, watchdog.peak.cpuSeconds);
  return {
    messages: decoder.messages,
    droppedMessages: decoder.dropped,
    stdout: stdout.text(),
    stderr: stderr.text(),
    truncated: { stdout: stdout.truncated, stderr: stderr.truncated },
    exitCode,
    signal,
    outcome: killReason ?? outcomeOfStatus(signal, status.signal !== null, cpuSeconds, limits.cpuSeconds),
    cpuSeconds,
    wallSeconds,
    peakRssMiB: watchdog.peak.rssMiB,
    peakProcesses: watchdog.peak.processes,
    mechanisms: launch.mechanisms,
  };
}

/**
 * Outcome of a run the parent did not stop. RLIMIT_CPU ends a child with SIGXCPU (soft limit) or
 * SIGKILL (hard limit, if the child ignored SIGXCPU), which is a CPU timeout too.
 */
export function outcomeOfStatus(signal: string | null, wrapperKilled: boolean, cpu: number, cpuLimit: number): SandboxOutcome {
  if (signal === null) return 'exited';
  if (!wrapperKilled && (signal === 'SIGXCPU' || (signal === 'SIGKILL' && cpu >= cpuLimit))) return 'cpu-timeout';
  return 'crashed';
}
