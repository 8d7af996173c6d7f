/**
 * Two runner children at once. A grading's whole runs (an end-to-end training, FQE runs) take
 * nearly all of its time, and a child computes on one core. When the grader has a second core
 * (and the memory for a second child), it splits the calls between two lanes, each with its own
 * child, sandbox user and work folder, run side by side (grade.ts). The split: the whole runs,
 * longest first by time limit, each to the lane with less; then the unit cases, all to the lane
 * with less. Within a lane the calls keep their file order. Every case builds its inputs from its
 * own seed, so a case's outcome does not depend on its lane.
 *
 * RLHW_LANES=1 or 2 overrides the choice (batch workers use 1: each worker already has a core).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunnerCall } from '../child/protocol';

/** Memory kept for the grader process itself besides its children, MiB. */
const GRADER_MIB = 512;

/** Splits `calls` into `lanes` lists (empty lanes dropped); see the file comment. */
export function splitLanes(calls: RunnerCall[], lanes: number, isWholeRun: (c: RunnerCall) => boolean, limitOf: (id: string) => number): RunnerCall[][] {
  if (lanes <= 1) return [calls];
  const load = new Array<number>(lanes).fill(0);
  const laneOf = new Map<string, number>();
  const lighter = (): number => load.indexOf(Math.min(...load));
  const whole = calls.filter(isWholeRun).sort((a, b) => limitOf(b.id) - limitOf(a.id));
  for (const c of whole) {
    const lane = lighter();
    laneOf.set(c.id, lane);
    load[lane] += limitOf(c.id);
  }
  const unitLane = lighter();
  const out = Array.from({ length: lanes }, (_, lane) => calls.filter((c) => (laneOf.get(c.id) ?? unitLane) === lane));
  return out.filter((l) => l.length > 0);
}

/** The cgroup folders of this process, innermost first (v2 unified path, and each v1 controller's). */
function cgroupDirs(controller: string): string[] {
  let lines: string[];
  try {
    lines = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n');
  } catch {
    return [];
  }
  const dirs: string[] = [];
  for (const line of lines) {
    const [, names, rel] = line.split(':');
    if (rel === undefined) continue;
    const base = names === '' ? '/sys/fs/cgroup' : names.split(',').includes(controller) ? path.join('/sys/fs/cgroup', names) : undefined;
    if (!base) continue;
    // Inside a container the cgroup path may be relative to a namespace root: try it, then its parents.
    for (let p = rel; ; p = path.dirname(p)) {
      dirs.push(path.join(base, p));
      if (p === '/' || p === '.') break;
    }
  }
  return dirs;
}

const readNumbers = (file: string): string[] | undefined => {
  try {
    return fs.readFileSync(file, 'utf8').trim().split(/\s+/);
  } catch {
    return undefined;
  }
};

/** CPUs this process may use: its cores, capped by a cgroup CPU quota (containers, Gradescope's 0.5 vCPU). */
export function cpuAllowance(): number {
  let cpus = os.availableParallelism();
  for (const dir of cgroupDirs('cpu')) {
    const v2 = readNumbers(path.join(dir, 'cpu.max'));
    if (v2 && v2[0] !== 'max' && Number(v2[1]) > 0) cpus = Math.min(cpus, Number(v2[0]) / Number(v2[1]));
    const quota = Number(readNumbers(path.join(dir, 'cpu.cfs_quota_us'))?.[0]);
    const period = Number(readNumbers(path.join(dir, 'cpu.cfs_period_us'))?.[0]);
    if (quota > 0 && period > 0) cpus = Math.min(cpus, quota / period);
  }
  return cpus;
}

/** Memory this process may use, MiB: the machine's, capped by a cgroup memory limit. */
export function memoryAllowanceMiB(): number {
  let bytes = os.totalmem();
  for (const dir of cgroupDirs('memory')) {
    for (const file of ['memory.max', 'memory.limit_in_bytes']) {
      const v = Number(readNumbers(path.join(dir, file))?.[0]);
      // cgroup v1 writes "no limit" as a page-rounded 2^63.
      if (Number.isFinite(v) && v > 0 && v < 2 ** 60) bytes = Math.min(bytes, v);
    }
  }
  return bytes / 2 ** 20;
}

/** How many lanes a grading uses: 2 with two CPUs and memory for two children of `childMiB`, else 1. */
export function laneCount(childMiB: number): 1 | 2 {
  const forced = process.env.RLHW_LANES;
  if (forced === '1' || forced === '2') return Number(forced) as 1 | 2;
  if (forced) throw new Error(`RLHW_LANES: expected 1 or 2, got '${forced}'`);
  return cpuAllowance() >= 1.9 && memoryAllowanceMiB() >= 2 * childMiB + GRADER_MIB ? 2 : 1;
}
