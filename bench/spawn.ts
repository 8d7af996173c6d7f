// Running the programs a benchmark times: wall time, exit status, output, and the JSON line a
// bench worker prints last.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { KIT_ROOT } from './stats';

export interface Ran {
  code: number | null;
  signal: string | null;
  seconds: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutSeconds?: number;
}

/** Runs `file args` to the end (never throws for a non-zero exit; see `check`). */
export function run(file: string, args: string[], o: RunOptions = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { cwd: o.cwd ?? KIT_ROOT, env: { ...process.env, RLHW_QUIET: '1', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-20_000)));
    const timer = o.timeoutSeconds ? setTimeout(() => child.kill('SIGKILL'), o.timeoutSeconds * 1000) : undefined;
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${file}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, seconds: (performance.now() - t0) / 1000, stdout, stderr });
    });
  });
}

/** The last lines of a failed run, for a one-line reason. */
export function tail(r: Ran, lines = 3): string {
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n').filter((l) => !/^npm warn/i.test(l));
  return text.slice(-lines).join(' | ').slice(0, 400);
}

/** Throws with the end of stderr unless the run exited 0. */
export function check(r: Ran, what: string): Ran {
  if (r.code !== 0) throw new Error(`${what} failed (${r.signal ?? `exit ${r.code}`}): ${tail(r)}`);
  return r;
}

/** Runs a TypeScript bench worker (tsx) and returns the JSON object of its last stdout line. */
export async function worker<T>(rel: string, args: string[], o: RunOptions = {}): Promise<T> {
  const r = check(await run(process.execPath, ['--import', 'tsx', path.join(KIT_ROOT, rel), ...args], o), rel);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`${rel} printed no JSON result: ${last.slice(0, 200)}`);
  }
}
