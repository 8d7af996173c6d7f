/**
 * `rlgrade handout [--out dist] [--assignment DIR] [--secret-file F]`: writes the student handout
 * dist/<assignment>-handout.tar.gz (authoring/handout/build.ts) and runs the leak check on it; a
 * handout that fails the check is not written (exit 1, every problem listed).
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import { courseSecret } from '../cases/seed';

// Loaded when the command runs (`rlgrade grade` should not compile what other commands use).
const handoutBuild = () => require('../../authoring/handout/build') as typeof import('../../authoring/handout/build');

export function registerHandout(program: Command, setCode: (code: number) => void): void {
  program
    .command('handout')
    .description('write the student handout (.tar.gz) and check it for leaks')
    .option('--out <dir>', 'folder for <assignment>-handout.tar.gz', 'dist')
    .option('--assignment <dir>', 'assignment folder (holds assignment.yaml)')
    .option('--secret-file <file>', 'course secret, to check that no hidden case leaks (else RLHW_COURSE_SECRET, else the development secret)')
    .option('--cache <dir>', 'reference cache folder (default RLGRADE_CACHE_DIR, else $TMPDIR/rlgrade-cache)')
    .action(async (opts: { out: string; assignment?: string; secretFile?: string; cache?: string }) => {
      const started = performance.now();
      const { buildHandout, HandoutError } = handoutBuild();
      try {
        const h = await buildHandout({ outDir: opts.out, assignmentDir: opts.assignment, secret: courseSecret(opts.secretFile), cacheDir: opts.cache });
        for (const w of h.warnings) process.stderr.write(`rlgrade handout: warning: ${w}\n`);
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        process.stdout.write(`rlgrade handout: wrote ${path.relative(process.cwd(), h.archive) || h.archive} (${h.files.length} files, ${(h.bytes / 1024).toFixed(0)} KiB); leak check clean (${seconds} s)\n`);
        setCode(0);
      } catch (err) {
        if (!(err instanceof HandoutError)) throw err;
        for (const p of err.problems) process.stderr.write(`rlgrade handout: ${p}\n`);
        process.stderr.write(`rlgrade handout: ${err.problems.length} problem(s); nothing written\n`);
        setCode(1);
      }
    });
}
