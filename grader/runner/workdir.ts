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
 * @param files expected file name -> path of the student's clean copy
 * @param expected every expected file name
 */
export function prepareWorkDir(files: Record<string, string>, expected: string[], kitRoot = KIT_ROOT): WorkDir {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-run-'));
  fs.chmodSync(root, 0o755);
  const submissionDir = path.join(root, 'submission');
  fs.mkdirSync(submissionDir, { mode: 0o755 });
  for (const name of expected) {
    const from = files[name] ?? path.join(kitRoot, 'starter', name);
    fs.copyFileSync(from, path.join(submissionDir, name));
    fs.chmodSync(path.join(submissionDir, name), 0o644);
  }
  fs.symlinkSync(path.join(kitRoot, 'provided'), path.join(root, 'provided'));
  fs.symlinkSync(path.join(kitRoot, 'node_modules'), path.join(root, 'node_modules'));
  return { root, submissionDir, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}
