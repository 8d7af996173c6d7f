/**
 * Reading the process table from /proc (Linux only): who is the parent of whom, who owns what,
 * and how much CPU and resident memory each process uses. The watchdog and the clean-up use it
 * to see the child's whole process tree, including grandchildren the child started itself.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Real user id (from /proc/<pid>/status; unlike the folder's owner, the child cannot hide it). */
  uid: number;
  /** One-letter state; 'Z' is a zombie (dead, waiting to be reaped). */
  state: string;
  /** utime + stime of the process itself, in clock ticks. */
  cpuTicks: number;
  /** cutime + cstime: CPU of children it has already reaped, in clock ticks. */
  reapedChildTicks: number;
  rssPages: number;
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
export function parseStat(text: string): Omit<ProcInfo, 'uid'> | null {
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
  };
}

function readProcess(pid: string): ProcInfo | null {
  try {
    const stat = parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = /^Uid:\s+(\d+)/m.exec(status);
    return stat && uid ? { ...stat, uid: Number(uid[1]) } : null;
  } catch {
    return null; // the process ended while we looked
  }
}

/** A snapshot of every process visible in /proc. */
export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(name);
    if (info) out.push(info);
  }
  return out;
}

/** The process `root` and all its descendants within a snapshot (empty if `root` is gone). */
export function descendantsOf(procs: ProcInfo[], root: number): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  let top: ProcInfo | undefined;
  for (const p of procs) {
    if (p.pid === root) top = p;
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  if (!top) return [];
  const out: ProcInfo[] = [];
  const stack = [top];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const p = stack.pop() as ProcInfo;
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
