/**
 * The confine helper (confine.c): a seccomp filter that takes sockets away from the child, and a
 * Landlock ruleset that limits which files it can read and write, both without a namespace or a
 * capability. Found, in order, at $RLHW_CONFINE_HELPER, at INSTALLED (where system-setup.sh puts
 * it in the grader image and on Gradescope), or built here from confine.c with the system's C
 * compiler into a root-only folder. Where none of these works, the sandbox runs without it and
 * says "network-open" among its mechanisms.
 */
import { execFileSync, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { lockRootPath } from './lock';

export const CONFINE_SOURCE = path.join(__dirname, 'confine.c');
/** Where grader/gradescope/system-setup.sh installs the helper. */
export const INSTALLED = '/usr/local/lib/rlhw/rlhw-confine';
/** The helper version this grader speaks (confine.c's VERSION). */
const VERSION = '2';

export interface Confine {
  path: string;
  /** Landlock ABI version of the running kernel (0: none). */
  landlockAbi: number;
}

/** What the helper says it can do, or null when it cannot run, is another version, or others could replace it. */
function probe(file: string): Confine | null {
  const st = fs.statSync(file);
  if (st.uid !== 0 || (st.mode & 0o022) !== 0) return null; // root runs it: only root may write it
  const r = spawnSync(file, ['--probe'], { encoding: 'utf8', timeout: 10_000, env: {} });
  const m = /^rlhw-confine (\S+) seccomp=1 landlock=(\d+)/.exec(r.stdout ?? '');
  return r.status === 0 && m && m[1] === VERSION ? { path: file, landlockAbi: Number(m[2]) } : null;
}

/** Builds the helper from confine.c into a root-only folder; null when there is no compiler. */
function build(): string | null {
  const source = fs.readFileSync(CONFINE_SOURCE);
  const dir = path.join(lockRootPath(), 'confine');
  const file = path.join(dir, `rlhw-confine-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
  if (fs.existsSync(file)) return file;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = `${file}.${process.pid}.tmp`;
    execFileSync('cc', ['-O2', '-o', temp, CONFINE_SOURCE], { stdio: 'pipe', timeout: 60_000 });
    fs.chmodSync(temp, 0o755);
    fs.renameSync(temp, file);
    return file;
  } catch {
    return null;
  }
}

let found: Confine | null | undefined;

/**
 * The helper to use, or null. Built and probed once per process. Only a root grader uses it (it
 * must not be writable by the sandbox user: the installed path and the build folder are root's).
 */
export function confineHelper(): Confine | null {
  if (found !== undefined) return found;
  const candidates = [process.env.RLHW_CONFINE_HELPER, INSTALLED].filter((p): p is string => !!p && fs.existsSync(p));
  for (const file of candidates) if ((found = probe(file))) return found;
  const built = fs.existsSync(CONFINE_SOURCE) ? build() : null;
  found = built ? probe(built) : null;
  return found;
}
