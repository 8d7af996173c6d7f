// Shared helpers of the grader tests: submissions made from solutions/ plus one buggy file,
// and grading with the plain launcher and one shared reference cache.
import * as os from 'node:os';
import * as path from 'node:path';
import { gradeSubmission, type Graded } from '../../grader/cli/grade';
import { DEV_SECRET } from '../../grader/cases/seed';

export const ROOT = path.resolve(__dirname, '../..');
export const CACHE_DIR = path.join(os.tmpdir(), 'rlgrade-test-cache');
export { buggyDir, buggyNames, buggyManifest, buggyManifest as manifest, buggySubmission, type BuggyManifest } from '../../scripts/examples/buggy';

/** `skipTraining` leaves out the (slow) training cases, which then score 0 as not run; `assignment` another assignment's folder. */
export function grade(submission: string, outDir?: string, opts: { skipTraining?: boolean; assignment?: string } = {}): Promise<Graded> {
  return gradeSubmission({ submission, outDir, secret: DEV_SECRET, isolation: 'plain', cacheDir: CACHE_DIR, skipTraining: opts.skipTraining, assignmentDir: opts.assignment });
}

/** The training case ids of the kit's assignment. */
export const TRAINING_CASE = 'iql-stitch-train';
/** The FQE-run cases (whole FQE evaluations, skipped with skipTraining too). */
export const FQE_RUN_CASES = ['fqe-run-mixed', 'fqe-run-hidden'];

/** Runs `f` over `items`, `width` at a time (each grading is a child process; 2 cores). */
export async function inBatches<T, R>(items: T[], width: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(f))));
  return out;
}
