/**
 * The folders a grading works in, all under one parent that only root may list (workParent):
 *   run-<owner>-XXXXXX/submission/<files>   the student's files (a missing file is replaced by its
 *                                           starter stub so that the files that import it still load)
 *   run-<owner>-XXXXXX/provided             -> the kit's provided/ (student files import '../provided/...')
 *   run-<owner>-XXXXXX/node_modules         -> the kit's node_modules (for '@tensorflow/tfjs')
 *   run-<owner>-XXXXXX/tmp                  the child's only writable folder (its HOME and TMPDIR)
 *   intake-<owner>-XXXXXX                   the upload unpacked (root only)
 * <owner> names the grader process (pid and start time). A grader killed with SIGKILL cannot
 * clean up, so every grading first removes the folders of graders that are no longer alive: the
 * next submission graded under the same sandbox user never finds the last one's files.
 * Node follows the links to the real paths, so student and grader share one TensorFlow.js.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const KIT_ROOT = path.resolve(__dirname, '../..');

export interface WorkDir {
  root: string;
  submissionDir: string;
  /** The child's writable folder. */
  scratchDir: string;
  dispose(): void;
}

const isRootUser = (): boolean => process.getuid?.() === 0;

/**
 * The parent of every work folder: root-owned and 0711 when grading as root (the sandbox user may
 * pass through to its own folder but cannot list the others), 0700 otherwise. Created if missing;
 * a parent someone else made first is refused.
 */
export function workParent(): string {
  const uid = process.getuid?.() ?? 0;
  const dir = path.join(os.tmpdir(), isRootUser() ? 'rlgrade-work' : `rlgrade-work-${uid}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid) throw new Error(`${dir} exists and is not this grader's folder: remove it`);
  fs.chmodSync(dir, isRootUser() ? 0o711 : 0o700);
  return dir;
}

/** When a process started (clock ticks after boot), or undefined when it is not alive. */
function startTicks(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** This grader process as it appears in its folders' names: "<pid>.<start>". */
const ownerTag = (): string => `${process.pid}.${startTicks(process.pid) ?? 0}`;
const OWNED = /^(?:run|intake)-(\d+)\.(\d+)-/;

/**
 * Removes the work folders of graders that are no longer alive (killed before their clean-up).
 * Returns the names removed, for the grader's log.
 */
export function removeStaleWorkFolders(parent = workParent()): string[] {
  const removed: string[] = [];
  for (const name of fs.readdirSync(parent)) {
    const m = OWNED.exec(name);
    if (!m || startTicks(Number(m[1])) === m[2]) continue;
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** A new, empty, owner-only folder of this grader under the work parent. */
export function makeWorkFolder(kind: 'run' | 'intake'): string {
  return fs.mkdtempSync(path.join(workParent(), `${kind}-${ownerTag()}-`));
}

/**
 * Whether root may give `p` to the group. Root without CAP_CHOWN (the grader container runs with
 * SETUID, SETGID and KILL only) cannot; there one submission is graded at a time, so the former
 * world-readable modes are safe.
 */
function chownToGroup(p: string, gid: number): boolean {
  try {
    fs.chownSync(p, 0, gid);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw err;
  }
}

/**
 * @param files expected file name -> path of the student's clean copy
 * @param expected every expected file name
 * @param starterDir where a missing file's starter stub is (the assignment's starter/)
 * @param reader when grading as root: the sandbox user. Only its own group (besides root) may read
 *   the folder, and only it may write the scratch folder. Without it the folder is readable by all
 *   (plain runs).
 */
export function prepareWorkDir(files: Record<string, string>, expected: string[], starterDir: string, reader?: { uid: number; gid: number }, kitRoot = KIT_ROOT): WorkDir {
  const root = makeWorkFolder('run');
  const gid = reader !== undefined && chownToGroup(root, reader.gid) ? reader.gid : undefined;
  const share = (p: string, mode: number): void => {
    if (gid !== undefined) fs.chownSync(p, 0, gid);
    fs.chmodSync(p, gid !== undefined ? mode & 0o770 : mode);
  };
  share(root, 0o755);
  const submissionDir = path.join(root, 'submission');
  fs.mkdirSync(submissionDir);
  share(submissionDir, 0o755);
  for (const name of expected) {
    const from = files[name] ?? path.join(starterDir, name);
    fs.copyFileSync(from, path.join(submissionDir, name));
    share(path.join(submissionDir, name), 0o644);
  }
  const scratchDir = path.join(root, 'tmp');
  fs.mkdirSync(scratchDir, { mode: 0o700 });
  if (reader !== undefined && gid !== undefined) fs.chownSync(scratchDir, reader.uid, reader.gid);
  else fs.chmodSync(scratchDir, 0o1777);
  fs.symlinkSync(path.join(kitRoot, 'provided'), path.join(root, 'provided'));
  fs.symlinkSync(path.join(kitRoot, 'node_modules'), path.join(root, 'node_modules'));
  return { root, submissionDir, scratchDir, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}
