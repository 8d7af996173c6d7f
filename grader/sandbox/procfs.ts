/**
 * Reading the process table from /proc (Linux only): who is the parent of whom, who owns what,
 * and how much CPU and resident memory each process uses. The watchdog and the clean-up use it
 * to see the child's whole process tree, including grandchildren the child started itself.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';

/** One process as /proc/<pid>/stat shows it (no owner: that needs a second read, of status). */
export interface ProcStat {
  pid: number;
  ppid: number;
  /** One-letter state; 'Z' is a zombie (dead, waiting to be reaped). */
  state: string;
  /** utime + stime of the process itself, in clock ticks. */
  cpuTicks: number;
  /** cutime + cstime: CPU of children it has already reaped, in clock ticks. */
  reapedChildTicks: number;
  rssPages: number;
  /** When the process started, in clock ticks after boot; with the pid it names one process. */
  startTicks: number;
}

export interface ProcInfo extends ProcStat {
  /** Real user id (from /proc/<pid>/status; unlike the folder's owner, the child cannot hide it). */
  uid: number;
}

function sysconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

let pageSize: number | undefined;
let clockTicks: number | undefined;
/** Bytes in a memory page (RSS in /proc is counted in pages). */
export function pageBytes(): number {
  return (pageSize ??= sysconf('PAGESIZE', 4096));
}
/** Clock ticks a second (CPU times in /proc are counted in ticks). */
export function ticksPerSecond(): number {
  return (clockTicks ??= sysconf('CLK_TCK', 100));
}

/** Parses /proc/<pid>/stat; the command name is in parentheses and may itself contain them. */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = text.slice(close + 2).trim().split(/\s+/);
  // f[0] is field 3 (state) of proc(5); field n is f[n - 3].
  if (f.length < 22) return null;
  const num = (field: number): number => Number(f[field - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    ppid: num(4),
    state: f[0],
    cpuTicks: num(14) + num(15),
    reapedChildTicks: num(16) + num(17),
    rssPages: num(24),
    startTicks: num(22),
  };
}

/** /proc/<pid>/stat of one process, or null if it ended while we looked. */
function readStat(pid: string): ProcStat | null {
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return null;
  }
}

/** The real user id of one process (from /proc/<pid>/status), or null if it ended. */
export function readRealUid(pid: number): number | null {
  try {
    const uid = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
    return uid ? Number(uid[1]) : null;
  } catch {
    return null;
  }
}

/** stat of every process visible in /proc: one read per process (the watchdog's sample). */
export function listStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(name);
    if (stat) out.push(stat);
  }
  return out;
}

/** At most this many stat files stay open between samples (a fork bomb must not exhaust our fds). */
const MAX_KEPT_FILES = 2048;

/**
 * listStats for a sampler that runs every ~100 ms: each process's stat file is opened once and
 * read again in place, one system call per process per sample instead of three, into one buffer.
 * An open stat file stays bound to its process: once that process is reaped, reads fail (ESRCH)
 * even if its pid is reused, so a kept file never reports another process. close() releases the
 * files; a sample after close() opens and closes each file as listStats does.
 */
export class StatSampler {
  private files = new Map<string, number>();
  private readonly buffer = Buffer.alloc(4096);
  private closed = false;

  sample(): ProcStat[] {
    const out: ProcStat[] = [];
    const kept = new Map<string, number>();
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      let fd = this.files.get(name);
      this.files.delete(name);
      try {
        fd ??= fs.openSync(`/proc/${name}/stat`, 'r');
      } catch {
        continue; // ended before we opened it
      }
      let stat: ProcStat | null = null;
      try {
        stat = parseStat(this.buffer.toString('latin1', 0, fs.readSync(fd, this.buffer, 0, this.buffer.length, 0)));
      } catch {
        // ended (ESRCH): this file is done
      }
      if (stat) out.push(stat);
      if (stat && !this.closed && kept.size < MAX_KEPT_FILES) kept.set(name, fd);
      else fs.closeSync(fd);
    }
    for (const fd of this.files.values()) fs.closeSync(fd); // processes that are gone
    this.files = kept;
    return out;
  }

  close(): void {
    this.closed = true;
    for (const fd of this.files.values()) fs.closeSync(fd);
    this.files.clear();
  }
}

/** A snapshot of every process visible in /proc, with its owner (two reads per process). */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const stat of listStats()) {
    const uid = readRealUid(stat.pid);
    if (uid !== null) out.push({ ...stat, uid });
  }
  return out;
}

/** The process `root` and all its descendants within a snapshot (empty if `root` is gone). */
export function descendantsOf<P extends ProcStat>(procs: P[], root: number): P[] {
  const children = new Map<number, P[]>();
  let top: P | undefined;
  for (const p of procs) {
    if (p.pid === root) top = p;
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  if (!top) return [];
  const out: P[] = [];
  const stack = [top];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const p = stack.pop() as P;
    if (seen.has(p.pid)) continue;
    seen.add(p.pid);
    out.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

/** Live (non-zombie) processes whose real user is `uid`. */
export function liveProcessesOf(uid: number, procs: ProcInfo[] = listProcesses()): ProcInfo[] {
  return procs.filter((p) => p.uid === uid && p.state !== 'Z');
}
