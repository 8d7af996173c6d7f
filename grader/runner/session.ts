/**
 * The sandbox of one grading, from its first child to its last: the sandbox user (held with its
 * lock for the whole grading, so no other grading's child runs as that user in between and reads
 * this one's files), the isolation used, and the files made root-only before student code runs.
 * Waiting for the user is logged and never counts against a case's budget: budgets start with
 * the child, and the child starts only once the lock is held.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseFull, ensureSandboxUser, isRoot, lockUser, tryLockUser, LOCK_TIMEOUT_MS, DEFAULT_SANDBOX_USER, type SandboxUser } from '../sandbox';
import type { FileView } from '../sandbox/types';
import type { Assignment } from '../assignment/types';
import { anyChildKitPaths, childKitPaths, childView } from './child-view';
import { plainLauncher, sandboxLauncher, type Launcher } from './launch';
import { checkReachableByOthers, graderCompileCache, lockAwayKit, openForChild, protectFromStudent, secretKitPaths } from './protect';
import { KIT_ROOT, type WorkDir } from './workdir';

import type { Isolation } from '../sandbox/types';
export { ISOLATIONS, type Isolation } from '../sandbox/types';

/** Where one runner child at a time runs: its launcher, its sandbox user and what it may see. */
export interface Lane {
  launcher: Launcher;
  /** The sandbox user, when student code runs as one (root graders). */
  user?: SandboxUser;
  /** What the child may see, once its work folder exists (undefined: plain runs). */
  viewOf(work: WorkDir): FileView | undefined;
  /** Gives the sandbox user back to other gradings. */
  release(): void;
}

export interface Session extends Lane {
  /** Permission changes made to keep secrets from the sandbox user, for the grader's log. */
  guarded: string[];
  /**
   * A second lane for a child running beside the first (lanes.ts): as root, the sandbox user
   * `<user>-lane2`, taken only if no other grading holds it (undefined then: one lane).
   */
  secondLane(): Lane | undefined;
}

/** The user of a session's second lane. */
export const secondLaneUser = (user: string): string => `${user}-lane2`;

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

/** The second lane's user, if it exists (or can be made) and no other grading holds it now. */
function takeSecondLane(user: string, laneOf: (u: SandboxUser, free: () => void) => Lane): Lane | undefined {
  try {
    const second = ensureSandboxUser(secondLaneUser(user));
    const unlock = tryLockUser(second.name);
    if (!unlock) return undefined;
    let held = true;
    return laneOf(second, () => {
      if (held) (held = false), unlock();
    });
  } catch {
    return undefined; // a read-only image without that user, for instance: one lane
  }
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
    const lane: Lane = { launcher, viewOf: () => undefined, release: () => undefined };
    return { ...lane, guarded: [], secondLane: () => lane };
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
    const laneOf = (u: SandboxUser, free: () => void): Lane => ({
      launcher: sandboxLauncher({ isolation: full ? 'full' : 'reduced', user: u.name, userLocked: true }),
      user: u,
      viewOf: (work) => childView(o.assignment, work.root, work.scratchDir),
      release: free,
    });
    return { ...laneOf(user, release), guarded, secondLane: () => takeSecondLane(user.name, laneOf) };
  } catch (err) {
    release();
    throw err;
  }
}
