/**
 * The Gradescope folder layout (shared/GRADESCOPE.md), rooted at /autograder or at
 * RLHW_AUTOGRADER_ROOT (tests run the real run_autograder on a temporary folder laid out alike):
 *
 *   <root>/source                      the unpacked autograder zip (this kit, with node_modules)
 *   <root>/source/course-secret        the course secret (first line), root-only
 *   <root>/source/cache                precomputed reference values (`rlgrade build`), root-only
 *   <root>/submission                  the student's files
 *   <root>/submission_metadata.json    who submitted, when, the due dates (may be absent)
 *   <root>/results/results.json        what Gradescope reads
 */
import * as path from 'node:path';

export const DEFAULT_AUTOGRADER_ROOT = '/autograder';

export interface AutograderLayout {
  root: string;
  source: string;
  secretFile: string;
  cacheDir: string;
  submission: string;
  metadata: string;
  results: string;
  resultsFile: string;
}

/** File names inside `source` that the zip, setup.sh and the Dockerfile agree on. */
export const SECRET_FILE_NAME = 'course-secret';
export const CACHE_DIR_NAME = 'cache';

/**
 * @param root default RLHW_AUTOGRADER_ROOT, else /autograder
 * @param cacheDir default RLGRADE_CACHE_DIR, else <root>/source/cache
 */
export function autograderLayout(root?: string, cacheDir?: string): AutograderLayout {
  const r = path.resolve(root || process.env.RLHW_AUTOGRADER_ROOT || DEFAULT_AUTOGRADER_ROOT);
  const source = path.join(r, 'source');
  const results = path.join(r, 'results');
  return {
    root: r,
    source,
    secretFile: path.join(source, SECRET_FILE_NAME),
    cacheDir: path.resolve(cacheDir || process.env.RLGRADE_CACHE_DIR || path.join(source, CACHE_DIR_NAME)),
    submission: path.join(r, 'submission'),
    metadata: path.join(r, 'submission_metadata.json'),
    results,
    resultsFile: path.join(results, 'results.json'),
  };
}
