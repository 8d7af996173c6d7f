// CPU time by thread of everything a batch starts, read from /proc/<pid>/task/<tid>/stat every
// 200 ms while it runs: how much of a grading's CPU is the runner child's main thread (the student
// code and TensorFlow.js), how much V8's helper threads beside it (garbage collection, compiling),
// and how much the grader's own processes. It shows why one grading keeps more than one core busy.
//
// A thread's time is its last sample, so up to 200 ms of each thread's end is missed: the figures
// are lower bounds. Only processes started after start() count (each keyed by pid and start time).
import * as fs from 'node:fs';
import { parseStat, ticksPerSecond } from '../grader/sandbox/procfs';

export type ThreadClass = 'childMain' | 'childHelpers' | 'grader' | 'other';
export type ThreadCpu = Record<ThreadClass, number>;
/** CPU seconds by class, and the processes behind 'other' (command, seconds), largest first. */
export interface ThreadCpuReport {
  cpu: ThreadCpu;
  others: Array<{ command: string; seconds: number }>;
}

/** Which part of a grading a process is, from its command line. */
function roleOf(cmdline: string): 'child' | 'grader' | 'other' {
  // Runner children (grader/child/entry.js): the student's, and the trusted one that measures a run again.
  if (cmdline.includes('/child/entry.js')) return 'child';
  if (/rlgrade|worker-entry/.test(cmdline)) return 'grader';
  return 'other';
}

const readOr = (file: string): string | null => {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return null;
  }
};

export class ThreadCpuSampler {
  private since = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Last CPU ticks per thread, keyed `pid:start:tid`, with its class. */
  private readonly last = new Map<string, { cls: ThreadClass; command: string; ticks: number }>();

  start(): void {
    this.since = parseStat(fs.readFileSync('/proc/self/stat', 'latin1'))?.startTicks ?? 0;
    this.timer = setInterval(() => this.sample(), 200);
  }

  /** Stops and returns CPU seconds per class. */
  stop(): ThreadCpuReport {
    clearInterval(this.timer);
    this.sample();
    const cpu: ThreadCpu = { childMain: 0, childHelpers: 0, grader: 0, other: 0 };
    const others = new Map<string, number>();
    for (const { cls, command, ticks } of this.last.values()) {
      cpu[cls] += ticks / ticksPerSecond();
      if (cls === 'other') others.set(command, (others.get(command) ?? 0) + ticks / ticksPerSecond());
    }
    return { cpu, others: [...others].map(([command, seconds]) => ({ command, seconds })).sort((a, b) => b.seconds - a.seconds).slice(0, 5) };
  }

  private sample(): void {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
      const statText = readOr(`/proc/${pid}/stat`) ?? '';
      const stat = parseStat(statText);
      if (!stat || stat.startTicks < this.since) continue;
      const cmdline = (readOr(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ').trim();
      const role = roleOf(cmdline);
      // Kernel threads (and processes that just ended) have no command line: name them by stat's comm.
      const command = (cmdline || `[${/\((.*)\)/.exec(statText)?.[1] ?? '?'}]`).slice(0, 60);
      let tids: string[];
      try {
        tids = fs.readdirSync(`/proc/${pid}/task`);
      } catch {
        continue;
      }
      for (const tid of tids) {
        const t = parseStat(readOr(`/proc/${pid}/task/${tid}/stat`) ?? '');
        if (!t) continue;
        const cls: ThreadClass = role === 'child' ? (tid === pid ? 'childMain' : 'childHelpers') : role;
        this.last.set(`${pid}:${stat.startTicks}:${tid}`, { cls, command, ticks: t.cpuTicks });
      }
    }
  }
}
