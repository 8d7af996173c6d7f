/**
 * The public shapes of the sandbox: what the trusted grader asks for and what it gets back.
 *
 * Trust model: everything that comes out of the child (its messages, stdout, stderr, exit code)
 * is data produced by untrusted student code. Only the fields computed by the parent itself
 * (`outcome`, `cpuSeconds`, `wallSeconds`, `peakRssMiB`, `truncated`, `mechanisms`) are facts.
 */

/** Resource bounds for one run. All numbers must be positive and finite. */
export interface SandboxLimits {
  /** CPU time (user + system, summed over the whole process tree) that decides a timeout. */
  cpuSeconds: number;
  /** Wall-clock backstop for a child that sleeps instead of computing (e.g. 3 x cpu + 10). */
  wallSeconds: number;
  /** Resident memory of the process tree (RSS watchdog); NOT an address-space limit. */
  memoryMiB: number;
  /** RLIMIT_NPROC for the sandbox user: processes AND threads (Node itself needs ~10). */
  maxProcesses: number;
  /** RLIMIT_FSIZE: the largest file the child may write. */
  maxFileMiB: number;
  /** Bytes of stdout and of stderr kept (each); the rest is read and discarded. */
  maxOutputBytes: number;
  /**
   * Total bytes the child may send on the message channel (default 64 MiB); more is cut off.
   * Parsed JSON can take ~15x its size in the grader's heap (64 MiB of `[[],[],...]` is ~1 GiB),
   * so set this to what the grader really needs.
   */
  maxChannelBytes?: number;
  /**
   * Longest message line, in bytes (default: no cap below maxChannelBytes). A longer line stops the
   * run ('output-limit') as soon as it passes the cap, before it is parsed.
   */
  maxMessageBytes?: number;
}

/** A budget that starts when it is given: CPU seconds of the whole tree and wall-clock seconds. */
export interface Budget {
  cpuSeconds: number;
  wallSeconds: number;
}

/** What `onMessage` may answer: a new budget from now, or stop the run (the message broke the caller's protocol). */
export type MessageReply = Budget | { stop: string } | undefined;

/** How much isolation to use: 'auto' picks 'full' when it works and falls back to 'reduced'. */
export type IsolationMode = 'auto' | 'full' | 'reduced';

export interface SandboxRequest {
  /** Program to run: an absolute path, or a name looked up in `env.PATH`. */
  command: string;
  args: string[];
  /** Working folder of the child. It must be reachable (x on every parent) by the sandbox user. */
  cwd: string;
  /** The WHOLE environment of the child: nothing of the parent's environment is inherited. */
  env: Record<string, string>;
  /** One JSON value delivered to the child on the input channel (see channel.ts). */
  input: unknown;
  limits: SandboxLimits;
  /**
   * Unprivileged user to run as when the parent is root (default 'rlhw-student'; created if
   * missing). It must be dedicated to the sandbox: every process it owns is killed after a run.
   */
  user?: string;
  /**
   * What the child needs to read. Documentation of intent: read access is enforced by file
   * permissions through the user drop, so the caller must make everything else the student must
   * not read (solutions, hidden fixtures, results) root-only, e.g. mode 0700 folders / 0600 files.
   */
  readablePaths?: string[];
  /** Defaults to 'auto'. 'full' throws when namespaces are unavailable. */
  isolation?: IsolationMode;
  /**
   * Budget from the start of the run until `onMessage` gives another one (default: `limits`).
   * Budgets never extend the whole-run `limits`, which stay as backstops.
   */
  budget?: Budget;
  /**
   * Called with each message as it arrives (the message is untrusted data). Returning a budget
   * replaces the current one from this moment: this is how a caller gives each of several test
   * cases run in one process its own CPU limit. Returning { stop } ends the run at once (outcome
   * 'stopped'). With onMessage, messages are not kept in the result (the caller keeps what it
   * checked), so the grader holds no more of them than it decided to.
   */
  onMessage?: (message: unknown) => MessageReply;
  /**
   * What the child may see of the file system (absolute paths). Full isolation mounts only these
   * (read-only, or read-write) in a new root, with a private /tmp, /proc and a few devices;
   * reduced isolation restricts the child to them with Landlock where the kernel has it. Absent:
   * the whole file system, as file permissions allow.
   */
  view?: FileView;
  /** The caller already holds the user's lock (lockUser) for a series of runs. */
  userLocked?: boolean;
}

/** The paths a sandboxed child may read (and run) and write; everything else does not exist for it. */
export interface FileView {
  read: string[];
  write: string[];
}

export type SandboxOutcome = 'exited' | 'cpu-timeout' | 'wall-timeout' | 'memory' | 'output-limit' | 'crashed' | 'stopped';

export interface SandboxResult {
  /** Messages the child sent on the channel, parsed, in order. */
  messages: unknown[];
  /** Channel lines that were not valid JSON (or were cut off): dropped, not in `messages`. */
  droppedMessages: number;
  stdout: string;
  stderr: string;
  truncated: { stdout: boolean; stderr: boolean };
  /** Exit status of the child as reported by the wrapper shell: a status 128+n reads as signal n. */
  exitCode: number | null;
  signal: string | null;
  outcome: SandboxOutcome;
  /** CPU time of the process tree (exact on a normal exit, the last 100 ms sample otherwise). */
  cpuSeconds: number;
  wallSeconds: number;
  /** Largest sampled sum of RSS over the process tree. */
  peakRssMiB: number;
  /** Largest sampled number of live processes in the tree. */
  peakProcesses: number;
  /** Isolation actually used, e.g. ['uid:rlhw-student', 'netns', 'ipcns', 'pidns', 'mountns', 'prlimit', ...]. */
  mechanisms: string[];
}

export const DEFAULT_SANDBOX_USER = 'rlhw-student';
export const DEFAULT_MAX_CHANNEL_BYTES = 64 * 1024 * 1024;

/** Throws a one-line error naming the first bad field of a request. */
export function validateRequest(req: SandboxRequest): void {
  const fail = (what: string): never => {
    throw new Error(`sandbox: invalid request: ${what}`);
  };
  if (typeof req.command !== 'string' || req.command === '') fail('command must be a non-empty string');
  if (req.command.includes('=')) fail(`command must not contain '=' (got ${JSON.stringify(req.command)})`);
  if (!Array.isArray(req.args) || req.args.some((a) => typeof a !== 'string' || a.includes('\0'))) {
    fail('args must be strings without NUL');
  }
  for (const [key, value] of Object.entries(req.env ?? fail('env is required'))) {
    if (!/^[^=\0]+$/.test(key)) fail(`env name ${JSON.stringify(key)} is empty or contains '=' or NUL`);
    if (typeof value !== 'string' || value.includes('\0')) fail(`env ${key} must be a string without NUL`);
  }
  const limits = req.limits ?? fail('limits are required');
  const required = ['cpuSeconds', 'wallSeconds', 'memoryMiB', 'maxProcesses', 'maxFileMiB', 'maxOutputBytes'] as const;
  for (const name of required) {
    const v = limits[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(`limits.${name} must be a positive number (got ${v})`);
  }
  for (const name of ['maxChannelBytes', 'maxMessageBytes'] as const) {
    const v = limits[name];
    if (v !== undefined && !(Number.isFinite(v) && v > 0)) fail(`limits.${name} must be a positive number (got ${v})`);
  }
  if (req.view && !(Array.isArray(req.view.read) && Array.isArray(req.view.write) && [...req.view.read, ...req.view.write].every((p) => typeof p === 'string' && p.startsWith('/') && !/[\0\n]/.test(p)))) {
    fail('view.read and view.write must be lists of absolute paths');
  }
  if (req.budget && !(req.budget.cpuSeconds > 0 && req.budget.wallSeconds > 0)) fail('budget.cpuSeconds and budget.wallSeconds must be positive');
  if (req.isolation !== undefined && !['auto', 'full', 'reduced'].includes(req.isolation)) {
    fail(`isolation must be 'auto', 'full' or 'reduced' (got ${String(req.isolation)})`);
  }
}

/**
 * How student code runs: 'auto' (the sandbox, with namespaces when root allows them), 'full'
 * (sandbox with namespaces, or fail), 'reduced' (sandbox without namespaces: user drop, limits,
 * watchdog, as in a container with only SETUID/SETGID/KILL), 'plain' (a plain child process with a
 * wall-clock limit: tests and trusted code only).
 */
export type Isolation = 'auto' | 'full' | 'reduced' | 'plain';
export const ISOLATIONS: Isolation[] = ['auto', 'full', 'reduced', 'plain'];
