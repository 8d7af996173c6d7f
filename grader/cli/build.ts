/**
 * `rlgrade build [--cache DIR] [--secret-file F] [--assignment DIR]`: computes the reference
 * values (and the diagnostic variants) of every non-training case for the course secret into the
 * reference cache, so that grading only runs the student's code. The grader image and
 * Gradescope's setup.sh run it once, into a root-only folder. With --lock-kit (root only) it also
 * makes everything under the kit that the runner child does not load root-only, as grading in
 * reduced isolation would: the grader image's root file system is read-only at grading time.
 * It also writes the runner child's compile cache (runner/compile-cache.ts), which a read-only
 * image could not write later, and the time budget run_autograder reads (gradescope/time-budget.ts).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { loadAssignment } from '../assignment/load';
import { buildCalls, isThresholdCase } from '../cases/build';
import { courseSecret, DEV_SECRET } from '../cases/seed';
import { computeReference, DEFAULT_CACHE_DIR } from '../runner/reference';
import { childCacheFolder, ensureChildCompileCache } from '../runner/compile-cache';
import { anyChildKitPaths } from '../runner/child-view';
import { writeTimeBudget } from '../gradescope/time-budget';
import { lockAwayKit } from '../runner/protect';
import { KIT_ROOT } from '../runner/workdir';
import { isRoot } from '../sandbox';

export function registerBuild(program: Command, setCode: (code: number) => void): void {
  program
    .command('build')
    .description('precompute the reference values for the course secret into the reference cache')
    .option('--cache <dir>', 'reference cache folder (default RLGRADE_CACHE_DIR, else $TMPDIR/rlgrade-cache)')
    .option('--secret-file <file>', 'course secret (else RLHW_COURSE_SECRET, else the development secret)')
    .option('--assignment <dir>', 'assignment folder (holds assignment.yaml)')
    .option('--lock-kit', 'then make everything under the kit the runner child does not load root-only (root only; the grader image and setup.sh)')
    .action(async (opts: { cache?: string; secretFile?: string; assignment?: string; lockKit?: boolean }) => {
      const started = performance.now();
      const a = loadAssignment(opts.assignment);
      const secret = courseSecret(opts.secretFile);
      const scored = new Set(a.cases.filter(isThresholdCase).map((c) => c.id));
      const calls = buildCalls(a, secret).filter((c) => !scored.has(c.id));
      const cacheDir = opts.cache ?? DEFAULT_CACHE_DIR;
      await computeReference(a, calls, a.backend, cacheDir);
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`rlgrade build: reference values of ${calls.length} calls (${secret === DEV_SECRET ? 'development secret' : 'course secret'}) in ${cacheDir} (${seconds} s)\n`);
      const budgets = writeTimeBudget(cacheDir, a, KIT_ROOT).map((f) => path.basename(f));
      process.stdout.write(`rlgrade build: the time budget for run_autograder (${a.limits.totalSeconds} s) in ${budgets.join(', ')}\n`);
      const cached = await ensureChildCompileCache(a, a.backend);
      process.stdout.write(`rlgrade build: the runner child's compile cache ${cached ? 'is in' : 'could not be written to'} ${path.dirname(childCacheFolder(a.limits.memoryMiB))}\n`);
      // The modules a grading loads, loaded once here: the grader image keeps tsx's transforms of
      // them (Dockerfile, run_autograder), since its /tmp starts empty at every grading.
      require('../gradescope/run');
      if (opts.lockKit) {
        if (!isRoot()) throw new Error('--lock-kit: only root can hand the kit to root alone');
        process.stdout.write(`rlgrade build: made root-only ${lockAwayKit(KIT_ROOT, anyChildKitPaths(a)).length} kit paths the runner child does not load\n`);
      }
      setCode(0);
    });
}
