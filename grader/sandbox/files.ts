/**
 * Removing what the sandbox user left on disk.
 *
 * Threat addressed: files a submission leaves in the folders every user may write to (/tmp,
 * /var/tmp, /dev/shm, /run/lock): a disk filled for later runs, data handed to the next
 * submission graded under the same user, or a planted file or folder that a later process trusts
 * (a compile cache, a cache folder made before the grader makes it). The user is dedicated to the
 * sandbox, so once its processes are dead everything it owns there is a leftover. Folders of
 * other users are entered only when they are world-writable too (the user could not write
 * elsewhere). Links are removed, never followed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The usual world-writable folders of a Linux machine. */
export const SHARED_WRITABLE = ['/tmp', '/var/tmp', '/dev/shm', '/run/lock'];

/**
 * Removes every file, folder and link owned by `uid` under `roots` (default: SHARED_WRITABLE and
 * the temporary folder). Call it only when no process of the user is alive. Returns the paths
 * removed; a path that cannot be removed is skipped (the next run tries again).
 */
export function removeFilesOf(uid: number, roots: string[] = [...new Set([...SHARED_WRITABLE, os.tmpdir()])]): string[] {
  if (!Number.isInteger(uid) || uid <= 0) throw new Error(`sandbox: refusing to remove the files of uid ${uid}`);
  const removed: string[] = [];
  const visit = (dir: string): void => {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const st = fs.lstatSync(file, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.uid === uid) {
        try {
          fs.rmSync(file, { recursive: true, force: true });
          removed.push(file);
        } catch {
          // busy or immutable: left for the next run
        }
      } else if (st.isDirectory() && (st.mode & 0o002) !== 0) {
        visit(file);
      }
    }
  };
  roots.forEach(visit);
  return removed;
}
