/**
 * File permissions around a sandboxed run. The drop to the sandbox user is what keeps student code
 * away from the solutions, the reference cache, the course secret and the results; it only works
 * if those are not readable by other users, and if what the child needs (the kit's provided code,
 * the grader's runner, node_modules) is. Both are checked here before any student code runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Paths under the kit that a student process must never read: the git history, and every
 * assignment's solutions, private grading code and buggy submissions (which quote the reference).
 */
export function secretKitPaths(kitRoot = path.resolve(__dirname, '../..')): string[] {
  const assignments = path.join(kitRoot, 'assignments');
  const each = fs.existsSync(assignments) ? fs.readdirSync(assignments).flatMap((a) => ['solutions', 'private', 'buggy'].map((p) => path.join(assignments, a, p))) : [];
  return [path.join(kitRoot, '.git'), ...each];
}

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
 * Makes the allowed paths under `kitRoot` (kit-relative, such as 'grader/child') readable by the
 * sandbox user again, with x on every folder on the way: an earlier grading of another assignment
 * may have locked them away. Only the top of each path is changed (what it holds keeps its modes).
 */
export function openForChild(kitRoot: string, allowed: string[]): string[] {
  const changed: string[] = [];
  const widen = (p: string, bits: number): void => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st || (st.mode & bits) === bits) return;
    fs.chmodSync(p, st.mode | bits);
    changed.push(`${p}: ${(st.mode & 0o777).toString(8)} -> ${((st.mode | bits) & 0o777).toString(8)}`);
  };
  for (const rel of allowed.map((p) => path.normalize(p))) {
    for (let d = path.dirname(rel); d !== '.'; d = path.dirname(d)) widen(path.join(kitRoot, d), 0o011);
    const full = path.join(kitRoot, rel);
    widen(full, fs.statSync(full, { throwIfNoEntry: false })?.isDirectory() ? 0o055 : 0o044);
  }
  return changed;
}

/**
 * Reduced isolation (no mount namespace): makes everything under `kitRoot` that the child does not
 * need root-only, so that only the allowed paths (kit-relative) stay readable by other users. A
 * folder on the way to an allowed path keeps x for others (the sandbox user must pass through it);
 * each of its other entries loses every right of group and others. Returns a line per path changed,
 * for the grader's log.
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
  return [...protectFromStudent(hide.filter((p) => !fs.lstatSync(p).isSymbolicLink())), ...openForChild(kitRoot, allowed)];
}
