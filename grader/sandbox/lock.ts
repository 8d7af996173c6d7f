/**
 * One run at a time per sandbox user, across processes.
 *
 * Why: after a run every process of the sandbox user is killed and, while it runs, every process
 * of that user counts towards its memory and CPU. Two runs sharing the user at once would kill
 * and bill each other. The lock is a folder created with mkdir (atomic) inside a root-only
 * folder, so student code cannot create or remove it; a lock whose owner process died is stale
 * and is taken over.
 */
import * as fs from 'fs';
import * as path from 'path';

/**
 * Where the locks live: `/run/rlhw-sandbox`, or `RLHW_SANDBOX_LOCK_DIR` where /run is read-only
 * (the grader image sets /tmp/rlhw-sandbox). Created root-only before any student code runs; a
 * folder someone else made first is refused.
 */
export const lockRootPath = (): string => process.env.RLHW_SANDBOX_LOCK_DIR || '/run/rlhw-sandbox';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function lockRoot(): string {
  const root = lockRootPath();
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(root);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o077) !== 0) {
    throw new Error(`sandbox: ${root} must be a root-only folder (mode 0700)`);
  }
  return root;
}

function ownerAlive(dir: string): boolean | 'unknown' {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
  } catch {
    return 'unknown'; // being created, or its creator died between mkdir and writing the pid
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "pid 123 (node rlgrade.js grade ...)": who holds a lock, for the log of whoever waits. */
function holderOf(dir: string): string {
  try {
    const pid = fs.readFileSync(path.join(dir, 'pid'), 'utf8').trim();
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    return `pid ${pid}${command ? ` (${command.slice(0, 120)})` : ''}`;
  } catch {
    return 'another process';
  }
}

/** Makes the lock folder `dir` holding this process's pid and returns its release; undefined when it exists. */
function take(dir: string): (() => void) | undefined {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return undefined;
  }
  fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Waits for the lock of `user` (up to `timeoutMs`) and returns the function that releases it.
 * `onWait` is told once, with who holds it, when the lock is busy. For root parents only.
 */
export async function lockUser(user: string, timeoutMs: number, onWait?: (holder: string) => void): Promise<() => void> {
  const dir = path.join(lockRoot(), `${user}.lock`);
  const deadline = Date.now() + timeoutMs;
  let unknownSince: number | undefined;
  let told = false;
  for (;;) {
    const release = take(dir);
    if (release) return release;
    let inode: number;
    try {
      inode = fs.lstatSync(dir).ino;
    } catch {
      continue; // released just now
    }
    const alive = ownerAlive(dir);
    if (alive === 'unknown') unknownSince ??= Date.now();
    else unknownSince = undefined;
    const stale = alive === false || (unknownSince !== undefined && Date.now() - unknownSince > 5000);
    if (stale) {
      // Only remove the folder judged stale, not a fresh lock another waiter made meanwhile
      // (a narrow race remains between this check and the removal).
      if (fs.lstatSync(dir, { throwIfNoEntry: false })?.ino === inode) fs.rmSync(dir, { recursive: true, force: true });
      unknownSince = undefined;
      continue;
    }
    if (!told && alive === true) (told = true), onWait?.(holderOf(dir));
    if (Date.now() > deadline) throw new Error(`sandbox: user '${user}' stayed busy with another run for ${timeoutMs} ms`);
    await sleep(50);
  }
}

/**
 * The lock of `user` if it is free now (a lock left by a dead process counts as free), else
 * undefined: for a helper that is useful but not needed (a grading's second lane).
 */
export function tryLockUser(user: string): (() => void) | undefined {
  const dir = path.join(lockRoot(), `${user}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    const release = take(dir);
    if (release) return release;
    const inode = fs.lstatSync(dir, { throwIfNoEntry: false })?.ino;
    if (inode === undefined || ownerAlive(dir) !== false) return undefined;
    if (fs.lstatSync(dir, { throwIfNoEntry: false })?.ino === inode) fs.rmSync(dir, { recursive: true, force: true });
  }
  return undefined;
}
