/**
 * `rlgrade autograder [--out dist] [--secret-file F] [--assignment DIR]`: writes the Gradescope zip
 * of one assignment, dist/autograder.zip for the default one, dist/<name>-autograder.zip for
 * another (setup.sh and run_autograder at the root; see grader/gradescope/package.ts).
 * `rlgrade gradescope [--root DIR]`: what run_autograder runs (grader/gradescope/run.ts).
 * `rlgrade time-budget`: the assignment's total_seconds, which run_autograder reads.
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import { courseSecret, DEV_SECRET } from '../cases/seed';
import { autograderLayout } from '../gradescope/layout';

// Loaded when the command runs (`rlgrade grade` should not compile what other commands use).
const loadAssignment = (dir?: string) => (require('../assignment/load') as typeof import('../assignment/load')).loadAssignment(dir);
const gradescopePackage = () => require('../gradescope/package') as typeof import('../gradescope/package');
const gradescopeRun = () => require('../gradescope/run') as typeof import('../gradescope/run');

export function registerAutograder(program: Command, setCode: (code: number) => void): void {
  program
    .command('autograder')
    .description('write the Gradescope autograder zip (setup.sh, run_autograder, the kit and the course secret)')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--secret-file <file>', 'course secret baked into the zip (else RLHW_COURSE_SECRET; without either, the development secret)')
    .option('--assignment <dir>', 'the assignment the zip grades (default: the kit\'s default assignment); one zip per assignment')
    .action((opts: { out: string; secretFile?: string; assignment?: string }) => {
      const secret = courseSecret(opts.secretFile);
      if (secret === DEV_SECRET) process.stderr.write('rlgrade autograder: warning: no --secret-file and no RLHW_COURSE_SECRET: hidden case inputs use the public development secret\n');
      const assignment = loadAssignment(opts.assignment);
      const name = opts.assignment ? `${path.basename(assignment.dir)}-autograder.zip` : 'autograder.zip';
      const summary = gradescopePackage().packageAutograder({ out: path.join(opts.out, name), secret, assignment });
      process.stdout.write(`rlgrade autograder: wrote ${summary.file} (${summary.entries.length} files, ${(summary.bytes / 1024).toFixed(0)} KiB)\n`);
      setCode(0);
    });
  program
    .command('gradescope')
    .description('grade <root>/submission into <root>/results/results.json, as run_autograder does (always writes results.json)')
    .option('--root <dir>', 'the Gradescope root folder (default RLHW_AUTOGRADER_ROOT, else /autograder)')
    .action(async (opts: { root?: string }) => {
      const run = await gradescopeRun().runAutograder(autograderLayout(opts.root), (line) => process.stdout.write(`rlgrade: ${line}\n`));
      setCode(run.code);
    });
  program
    .command('time-budget')
    .description("print the seconds one grading may take (assignment.yaml's grading.limits.total_seconds)")
    .option('--assignment <dir>', 'assignment folder (holds assignment.yaml)')
    .action((opts: { assignment?: string }) => {
      process.stdout.write(`${loadAssignment(opts.assignment).limits.totalSeconds}\n`);
      setCode(0);
    });
}
