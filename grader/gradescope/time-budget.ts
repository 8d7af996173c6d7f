/**
 * The time budget run_autograder needs before it starts the grader (for its outer `timeout`),
 * written once by `rlgrade build` into the reference cache, so that each grading reads a file
 * instead of starting Node and tsx to load assignment.yaml: that start cost about 1 CPU second,
 * 2 s of wall time under Gradescope's half a CPU (docs/benchmarks.md, section 7).
 *
 * File names, which run_autograder computes the same way:
 *   <cache>/time-budget          the kit's default assignment (RLHW_ASSIGNMENT unset at run time)
 *   <cache>/time-budget-<key>    RLHW_ASSIGNMENT=<dir>, key = <dir> relative to the kit, without a
 *                                leading ./ or trailing /, each run of characters other than
 *                                letters, digits, '.' and '-' turned into one '_'
 * A missing file (a cache built before this, an absolute RLHW_ASSIGNMENT) makes run_autograder ask
 * the grader, as before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultAssignmentDir } from '../assignment/load';
import type { Assignment } from '../assignment/types';

export const TIME_BUDGET_FILE = 'time-budget';

/** `dir` (relative to the kit) as run_autograder turns RLHW_ASSIGNMENT into a file name. */
export function budgetKey(dir: string): string {
  return dir.split(path.sep).join('/').replace(/^(\.\/)+/, '').replace(/\/+$/, '').replace(/[^A-Za-z0-9.-]+/g, '_');
}

/** Writes the budget of `a` under its key, and as the default when `a` is the kit's default; returns the files. */
export function writeTimeBudget(cacheDir: string, a: Pick<Assignment, 'dir' | 'limits'>, kitRoot: string): string[] {
  const names = [`${TIME_BUDGET_FILE}-${budgetKey(path.relative(kitRoot, a.dir))}`];
  let packageDefault: string | undefined;
  try {
    packageDefault = defaultAssignmentDir(kitRoot, '');
  } catch {
    packageDefault = undefined; // no default assignment: only the keyed file
  }
  if (packageDefault !== undefined && path.resolve(packageDefault) === path.resolve(a.dir)) names.push(TIME_BUDGET_FILE);
  fs.mkdirSync(cacheDir, { recursive: true });
  const files = names.map((n) => path.join(cacheDir, n));
  for (const f of files) fs.writeFileSync(f, `${a.limits.totalSeconds}\n`, { mode: 0o600 });
  return files;
}
