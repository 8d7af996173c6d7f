/**
 * File permissions around a sandboxed run. The drop to the sandbox user is what keeps student code
 * away from the solutions, the reference cache, the course secret and the results; it only works
 * if those are not readable by other users, and if what the child needs (the kit's provided code,
 * the grader's runner, node_modules) is. Both are checked here before any student code runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Paths under the kit that a student process must never read. */
export const SECRET_KIT_PATHS = ['solutions', '.git'];

/**
 * tsx's compile cache of the grader's own user: world-readable as tsx makes it, and it holds the
 * compiled solutions after any earlier tsx run that loaded them (tests, training, validate).
 */
export const graderCompileCache = (): string => path.join(os.tmpdir(), `tsx-${process.getuid?.() ?? 0}`);

/**
 * Makes each existing path unreadable to group and others (folders keep only the owner's rwx,
 * files the owner's rw). Removing access from a folder is enough to hide what it holds.
 * Returns a line per path changed, for the grader's log.
 */
export function protectFromStudent(paths: string[]): string[] {
  const changed: string[] = [];
  for (const p of paths) {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st || (st.mode & 0o077) === 0) continue;
    const mode = st.isDirectory() ? st.mode & 0o700 : st.mode & 0o600;
    fs.chmodSync(p, mode);
    changed.push(`${p}: ${(st.mode & 0o777).toString(8)} -> ${mode.toString(8)}`);
  }
  return changed;
}

/**
 * Throws a one-line error when another user could not reach `target`: every folder on the way
 * needs o+x and the target o+r (plus o+x for a folder).
 */
export function checkReachableByOthers(target: string): void {
  const real = fs.realpathSync(target);
  const parts = real.split(path.sep).filter(Boolean);
  let current: string = path.sep;
  for (let i = 0; i <= parts.length; i++) {
    const st = fs.statSync(current);
    const last = i === parts.length;
    const need = last ? (st.isDirectory() ? 0o005 : 0o004) : 0o001;
    if ((st.mode & need) !== need) {
      throw new Error(`the sandbox user cannot reach ${real}: ${current} has mode ${(st.mode & 0o777).toString(8)} (needs o+${last ? 'r' : 'x'}); move the kit or chmod it`);
    }
    if (!last) current = path.join(current, parts[i]);
  }
}

/**
 * Reduced isolation (no mount namespace): makes everything under `kitRoot` that the child does not
 * need root-only, so that only the allowed paths (kit-relative, such as 'grader/child') stay
 * readable by other users. A folder on the way to an allowed path keeps its mode (the sandbox
 * user must pass through it); each of its other entries loses every right of group and others.
 * Returns a line per path changed, for the grader's log.
 */
export function lockAwayKit(kitRoot: string, allowed: string[]): string[] {
  const keep = new Set(allowed.map((p) => path.normalize(p)));
  const onTheWay = new Set<string>();
  for (const p of keep) for (let d = path.dirname(p); d !== '.'; d = path.dirname(d)) onTheWay.add(d);
  const hide: string[] = [];
  const visit = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(kitRoot, rel))) {
      const child = rel === '' ? name : path.join(rel, name);
      if (keep.has(child)) continue;
      if (onTheWay.has(child) && fs.lstatSync(path.join(kitRoot, child)).isDirectory()) visit(child);
      else hide.push(path.join(kitRoot, child));
    }
  };
  visit('');
  return protectFromStudent(hide.filter((p) => !fs.lstatSync(p).isSymbolicLink()));
}
