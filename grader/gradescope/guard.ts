/**
 * File permissions of the Gradescope layout before any student code runs as the sandbox user
 * (Gradescope's advice: the source and results folders must not be readable by it). The source
 * folder keeps o+x only, because the runner child loads the kit's provided/ and node_modules/
 * through it by known paths; everything secret inside it is root-only. In the grader image the
 * modes are set at build time (the root file system is read-only at run time): a path that is
 * already safe is left alone, and one that is unsafe and cannot be changed stops grading.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AutograderLayout } from './layout';
import { secretKitPaths } from '../runner/protect';

interface Rule {
  path: string;
  /** Mode bits for group and others that may stay (0o011: traverse only). */
  allowed: number;
  /** Create the folder when missing (the results folder). */
  create?: boolean;
}

/** What must be hidden from the sandbox user, for a layout. */
export function guardRules(layout: AutograderLayout): Rule[] {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return [
    { path: layout.source, allowed: 0o011 },
    { path: layout.secretFile, allowed: 0 },
    { path: layout.cacheDir, allowed: 0 },
    // Every assignment's solutions and private grading, and .git.
    ...secretKitPaths(layout.source).map((p) => ({ path: p, allowed: 0 })),
    { path: layout.metadata, allowed: 0 },
    { path: layout.results, allowed: 0, create: true },
    // tsx's compile cache of this user (world-readable by default; see grader/runner/launch.ts).
    { path: path.join(os.tmpdir(), `tsx-${uid}`), allowed: 0 },
  ];
}

/**
 * Applies the rules; returns one line per change for the staff log. Throws a one-line error when
 * a path the sandbox user could read cannot be changed.
 */
export function guardAutograder(layout: AutograderLayout): string[] {
  const changed: string[] = [];
  for (const rule of guardRules(layout)) {
    if (rule.create) fs.mkdirSync(rule.path, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(rule.path, { throwIfNoEntry: false });
    if (!st || st.isSymbolicLink()) continue;
    const extra = st.mode & 0o077 & ~rule.allowed;
    if (extra === 0) continue;
    const mode = (st.mode & 0o700) | (st.mode & rule.allowed);
    try {
      fs.chmodSync(rule.path, mode);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new Error(`cannot hide ${rule.path} from the sandbox user (mode ${(st.mode & 0o777).toString(8)}): ${code}`);
    }
    changed.push(`${rule.path}: ${(st.mode & 0o777).toString(8)} -> ${mode.toString(8)}`);
  }
  return changed;
}
