// Figures of `npm run bench`: each is the median of several runs with the min and max kept, and
// what the machine was doing is recorded beside them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
  unit: string;
}

/** Median (mean of the two middle values for an even count), min and max. */
export function stat(values: number[], unit: string): Stat {
  if (values.length === 0) throw new RangeError('stat: no values');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length, unit };
}

/** A figure computed from others (a ratio of medians): no spread of its own. */
export function derived(value: number, unit: string): Stat {
  return { median: value, min: value, max: value, n: 0, unit };
}

export interface Machine {
  date: string; // YYYY-MM-DD (UTC)
  startedAt: string; // ISO time
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  tfjs: string;
  os: string;
  /** 1-minute load average when the run started: above ~0.5 on this machine, figures are noisy. */
  loadAverage: number;
  gitCommit: string;
  gitDirty: boolean;
}

export const KIT_ROOT = path.resolve(__dirname, '..');

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: KIT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machine(): Machine {
  const now = new Date();
  const tfjs = JSON.parse(fs.readFileSync(path.join(KIT_ROOT, 'node_modules/@tensorflow/tfjs/package.json'), 'utf8')) as { version: string };
  return {
    date: now.toISOString().slice(0, 10),
    startedAt: now.toISOString(),
    cores: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    tfjs: tfjs.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage: Math.round(os.loadavg()[0] * 100) / 100,
    gitCommit: git(['rev-parse', '--short', 'HEAD']),
    // The bench's own outputs do not count: a run of some sections merges into the day's files.
    gitDirty: git(['status', '--porcelain', '--', '.', ':!bench/results', ':!docs/benchmarks.md']).length > 0,
  };
}

/** Wall seconds of an async function. */
export async function timed<T>(f: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { seconds: (performance.now() - t0) / 1000, value };
}

/** One progress line on stderr (the results go to files). */
export function say(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}
