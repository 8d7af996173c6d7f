/**
 * Resource watchdog: samples the child's process tree from /proc every ~100 ms and reports the
 * first limit it sees exceeded.
 *
 * Threats addressed:
 * - Memory bombs. `--max-old-space-size` bounds only the V8 heap, not Buffers or wasm memory, and
 *   an address-space limit would stop Node and wasm from starting at all. So the bound is on what
 *   actually costs RAM: the summed resident set of every process in the tree (shared pages are
 *   counted once per process, which over-estimates and therefore errs on the safe side).
 * - Infinite loops, including loops spread over many processes or threads: RLIMIT_CPU is per
 *   process and Node may survive its SIGXCPU, so the CPU time of the whole tree is summed here
 *   (live processes plus the children they already reaped) and compared with the limit.
 *   CPU time, not wall time, decides, so a loaded grading machine does not turn passes into fails.
 *
 * The tree is "the root process and its descendants", plus, when the child runs as a dedicated
 * user, every live process of that user started since the root (catches processes that detached
 * from the tree; their CPU time is lost from the sum once they die outside the tree).
 */
import { descendantsOf, pageBytes, ProcStat, readRealUid, StatSampler, ticksPerSecond } from './procfs';

export interface Usage {
  cpuSeconds: number;
  rssMiB: number;
  processes: number;
}

export type Exceeded = 'cpu-timeout' | 'memory';

export interface WatchdogOptions {
  rootPid: number;
  /** Dedicated sandbox user whose processes all count, or null. */
  uid: number | null;
  cpuSeconds: number;
  memoryMiB: number;
  intervalMs?: number;
  onExceeded: (reason: Exceeded, usage: Usage) => void;
}

/**
 * Which processes belong to the sandbox, sample after sample. One sample reads every process's
 * stat (parent, CPU, memory, start time); the owner needs a second read (status), so it is read
 * only where it decides something: for live processes outside the tree that started no earlier than
 * the root (anything older cannot have come from the sandbox). An owner other than root is kept
 * between samples, keyed by pid and start time: without privilege a real uid never changes (the
 * sandbox runs with no_new_privs), whereas a root process, such as setpriv, may still drop to the
 * sandbox user.
 */
export class SandboxMembers {
  private rootStart: number | null = null;
  private owners = new Map<string, number>();

  constructor(
    private readonly rootPid: number,
    private readonly uid: number | null,
    private readonly ownerOf: (pid: number) => number | null = readRealUid,
  ) {}

  /** The sandbox's processes in one snapshot of stat. */
  of(stats: ProcStat[]): ProcStat[] {
    const tree = descendantsOf(stats, this.rootPid);
    if (this.uid === null) return tree;
    if (this.rootStart === null && tree.length > 0) this.rootStart = tree[0].startTicks;
    const since = this.rootStart ?? -Infinity; // root never seen: read every owner
    const inTree = new Set(tree.map((p) => p.pid));
    const owners = new Map<string, number>();
    const out = tree.slice();
    for (const p of stats) {
      // Outside the tree only live processes count: a zombie left by an earlier run (its parent,
      // often PID 1, has not reaped it yet) still shows that run's CPU time in /proc.
      if (inTree.has(p.pid) || p.state === 'Z' || p.startTicks < since) continue;
      const key = `${p.pid}:${p.startTicks}`;
      const owner = this.owners.get(key) ?? this.ownerOf(p.pid);
      if (owner === null) continue; // ended while we looked
      if (owner !== 0) owners.set(key, owner);
      if (owner === this.uid) out.push(p);
    }
    this.owners = owners; // forget processes that are gone
    return out;
  }
}

/** Summed usage of a set of processes. */
export function usageOf(procs: ProcStat[]): Usage {
  let ticks = 0;
  let pages = 0;
  let live = 0;
  for (const p of procs) {
    ticks += p.cpuTicks + p.reapedChildTicks;
    pages += p.rssPages;
    if (p.state !== 'Z') live++;
  }
  return { cpuSeconds: ticks / ticksPerSecond(), rssMiB: (pages * pageBytes()) / (1024 * 1024), processes: live };
}

export class Watchdog {
  /** Largest values seen so far (CPU only grows, but a reaped orphan's time can vanish). */
  readonly peak: Usage = { cpuSeconds: 0, rssMiB: 0, processes: 0 };
  private timer: NodeJS.Timeout | undefined;
  private early: NodeJS.Timeout | undefined;
  private fired = false;
  private readonly members: SandboxMembers;
  private readonly stats = new StatSampler();

  constructor(private readonly opts: WatchdogOptions) {
    this.opts = { ...opts };
    this.members = new SandboxMembers(opts.rootPid, opts.uid);
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), this.opts.intervalMs ?? 100);
    this.early = setTimeout(() => this.sample(), 25); // so that short runs get a sample too
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.early);
    this.timer = this.early = undefined;
    this.stats.close();
  }

  /** Moves the CPU limit (total seconds of the tree since the start), e.g. at the start of a new case. */
  setCpuLimit(seconds: number): void {
    this.opts.cpuSeconds = seconds;
  }

  /** Takes one sample now (also called by the timer). */
  sample(): Usage {
    const usage = usageOf(this.members.of(this.stats.sample()));
    this.peak.cpuSeconds = Math.max(this.peak.cpuSeconds, usage.cpuSeconds);
    this.peak.rssMiB = Math.max(this.peak.rssMiB, usage.rssMiB);
    this.peak.processes = Math.max(this.peak.processes, usage.processes);
    if (!this.fired) {
      let reason: Exceeded | null = null;
      if (usage.cpuSeconds >= this.opts.cpuSeconds) reason = 'cpu-timeout';
      else if (usage.rssMiB > this.opts.memoryMiB) reason = 'memory';
      if (reason) {
        this.fired = true;
        this.opts.onExceeded(reason, usage);
      }
    }
    return usage;
  }
}
