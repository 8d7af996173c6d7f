/**
 * The folder a student's code runs in:
 *   <root>/submission/<files>   the student's files (a missing file is replaced by its starter stub
 *                               so that the other files that import it still load)
 *   <root>/provided             -> the kit's provided/ (student files import '../provided/...')
 *   <root>/node_modules         -> the kit's node_modules (for '@tensorflow/tfjs')
 * Node follows the links to the real paths, so student and grader share one TensorFlow.js.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const KIT_ROOT = path.resolve(__dirname, '../..');

export interface WorkDir {
  root: string;
  submissionDir: string;
  dispose(): void;
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
 * @param readerGid when grading as root: the sandbox user's own group, the only one (besides root)
 *   that may read the folder. Without it the folder is world-readable (plain runs), which would let
 *   one batch worker's submission read another's.
 */
export function prepareWorkDir(files: Record<string, string>, expected: string[], kitRoot = KIT_ROOT, readerGid?: number): WorkDir {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-run-'));
  const gid = readerGid !== undefined && chownToGroup(root, readerGid) ? readerGid : undefined;
  const share = (p: string, mode: number): void => {
    if (gid !== undefined) fs.chownSync(p, 0, gid);
    fs.chmodSync(p, gid !== undefined ? mode & 0o770 : mode);
  };
  share(root, 0o755);
  const submissionDir = path.join(root, 'submission');
  fs.mkdirSync(submissionDir);
  share(submissionDir, 0o755);
  for (const name of expected) {
    const from = files[name] ?? path.join(kitRoot, 'starter', name);
    fs.copyFileSync(from, path.join(submissionDir, name));
    share(path.join(submissionDir, name), 0o644);
  }
  fs.symlinkSync(path.join(kitRoot, 'provided'), path.join(root, 'provided'));
  fs.symlinkSync(path.join(kitRoot, 'node_modules'), path.join(root, 'node_modules'));
  return { root, submissionDir, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}
