/**
 * The sandbox of one grading, from its first child to its last: the sandbox user (held with its
 * lock for the whole grading, so no other grading's child runs as that user in between and reads
 * this one's files), the isolation used, and the files made root-only before student code runs.
 * Waiting for the user is logged and never counts against a case's budget: budgets start with
 * the child, and the child starts only once the lock is held.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseFull, ensureSandboxUser, isRoot, lockUser, LOCK_TIMEOUT_MS, DEFAULT_SANDBOX_USER, type SandboxUser } from '../sandbox';
import type { FileView } from '../sandbox/types';
import type { Assignment } from '../assignment/types';
import { anyChildKitPaths, childKitPaths, childView } from './child-view';
import { plainLauncher, sandboxLauncher, type Launcher } from './launch';
import { checkReachableByOthers, graderCompileCache, lockAwayKit, openForChild, protectFromStudent, secretKitPaths } from './protect';
import { KIT_ROOT, type WorkDir } from './workdir';

import type { Isolation } from '../sandbox/types';
export { ISOLATIONS, type Isolation } from '../sandbox/types';

export interface Session {
  launcher: Launcher;
  /** The sandbox user, when student code runs as one (root graders). */
  user?: SandboxUser;
  /** What the child may see, once its work folder exists (undefined: plain runs). */
  viewOf(work: WorkDir): FileView | undefined;
  /** Permission changes made to keep secrets from the sandbox user, for the grader's log. */
  guarded: string[];
  /** Gives the sandbox user back to other gradings. */
  release(): void;
}

/**
 * Before student code runs as the sandbox user: the solutions, .git, the compile cache, the
 * reference cache, the out folder and the secret file become root-only; without a mount namespace
 * (reduced isolation) so does everything else under the kit that the child does not load. What the
 * child loads is checked to be reachable.
 */
function guardFiles(a: Assignment, full: boolean, cacheDir: string, outDir: string | undefined, secretFile: string | undefined): string[] {
  if (outDir) fs.mkdirSync(outDir, { recursive: true });
  const secrets = [...secretKitPaths(), graderCompileCache(), cacheDir, ...(outDir ? [outDir] : []), ...(secretFile ? [secretFile] : [])];
  const changed = protectFromStudent(secrets);
  const needed = childKitPaths(a);
  changed.push(...(full ? openForChild(KIT_ROOT, needed) : lockAwayKit(KIT_ROOT, anyChildKitPaths(a))));
  for (const p of needed.map((rel) => path.join(KIT_ROOT, rel))) if (fs.existsSync(p)) checkReachableByOthers(p);
  return changed;
}

export async function openSession(o: {
  assignment: Assignment;
  isolation: Isolation;
  sandboxUser?: string;
  cacheDir: string;
  outDir?: string;
  secretFile?: string;
  /** Told once when another grading holds the sandbox user. */
  onWait?: (message: string) => void;
}): Promise<Session> {
  if (o.isolation === 'plain' || !isRoot()) {
    const launcher = o.isolation === 'plain' ? plainLauncher : sandboxLauncher({ isolation: o.isolation, user: o.sandboxUser });
    return { launcher, viewOf: () => undefined, guarded: [], release: () => undefined };
  }
  const full = chooseFull(o.isolation, true);
  const user = ensureSandboxUser(o.sandboxUser ?? DEFAULT_SANDBOX_USER);
  const unlock = await lockUser(user.name, LOCK_TIMEOUT_MS, (holder) => o.onWait?.(`waiting for the sandbox user ${user.name}, in use by ${holder}`));
  let held = true;
  // Once only: a second release could remove the lock another grading took meanwhile.
  const release = (): void => {
    if (held) (held = false), unlock();
  };
  try {
    const guarded = guardFiles(o.assignment, full, o.cacheDir, o.outDir, o.secretFile);
    return {
      launcher: sandboxLauncher({ isolation: full ? 'full' : 'reduced', user: user.name, userLocked: true }),
      user,
      viewOf: (work) => childView(o.assignment, work.root, work.scratchDir),
      guarded,
      release,
    };
  } catch (err) {
    release();
    throw err;
  }
}
