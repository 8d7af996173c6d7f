/**
 * The rlgrade command line:
 *   rlgrade grade SUBMISSION [--assignment DIR] [--out DIR] [--backend wasm] [--secret-file F] [--isolation auto|full|reduced|plain]
 *                            [--skip-training] [--student NAME]
 *   rlgrade validate [--assignment DIR] [--static] [--secret-file F]
 *   rlgrade build [--cache DIR] [--secret-file F]         (build.ts: precompute the reference values)
 *   rlgrade autograder [--out dist] [--secret-file F]      (autograder.ts: the Gradescope zip)
 *   rlgrade gradescope [--root /autograder]                (autograder.ts: what run_autograder runs)
 *   rlgrade batch INPUT --out DIR / merge DIR... / diff OLD NEW   (batch.ts: a whole class, shards)
 *   rlgrade handout [--out dist] [--secret-file F]         (handout.ts: the student handout + leak check)
 *   rlgrade new NAME                                       (new.ts: a new assignment folder)
 * `grade` exits 0 whenever grading finished and always writes results.json (a failure result when
 * the grader itself cannot run, then exit 1 with a one-line reason).
 */
import { Command, Option } from 'commander';
import * as path from 'node:path';
import { failureResults, writeResults } from '../results';
import { courseSecret } from '../cases/seed';
import { ISOLATIONS, type Isolation } from '../sandbox/types';
import { registerAutograder } from './autograder';
import { registerBuild } from './build';
import { registerBatch } from './batch';
import { registerHandout } from './handout';
import { registerNew } from './new';

// Loaded when the command runs: each command compiles only what it uses (`rlgrade --help` and
// `rlgrade grade` start about 0.6 s sooner than with every command's modules loaded up front).
const grade = () => require('./grade') as typeof import('./grade');
const validate = () => require('./validate') as typeof import('./validate');

const oneLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('rlgrade').description("Autograder of the course kit's assignments (assignments/<name>/)").exitOverride();
  program
    .command('grade')
    .argument('<submission>', 'folder, .tar, .tgz or .zip')
    .option('--assignment <dir>', 'assignment folder (holds assignment.yaml)')
    .option('--out <dir>', 'where results.json, report.md and report.html go', 'rlgrade-results')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(['wasm', 'cpu', 'node']))
    .option('--secret-file <file>', 'course secret for hidden case inputs (else RLHW_COURSE_SECRET, else "dev-secret")')
    .addOption(new Option('--isolation <mode>', 'how student code runs').choices(ISOLATIONS).default('auto'))
    .option('--skip-training', 'leave out the whole runs, such as end-to-end trainings (they score 0): quick looks and tests only')
    .option('--sandbox-user <name>', 'the user student code runs as (default $RLHW_SANDBOX_USER, else rlhw-student); gradings on one user take turns')
    .option('--student <name>', "the student's name for the report's header (Gradescope's metadata gives it under run_autograder and batch)")
    .action(async (submission: string, opts: { assignment?: string; out: string; backend?: 'wasm' | 'cpu' | 'node'; secretFile?: string; isolation?: Isolation; skipTraining?: boolean; student?: string; sandboxUser?: string }) => {
      const started = performance.now();
      const results = path.join(opts.out, 'results.json');
      try {
        const { report, mechanisms, protected: guarded } = await grade().gradeSubmission({
          submission,
          assignmentDir: opts.assignment,
          outDir: opts.out,
          backend: opts.backend,
          secret: courseSecret(opts.secretFile),
          // The secret file must not be readable by the sandbox user either.
          secretFile: opts.secretFile,
          isolation: opts.isolation,
          skipTraining: opts.skipTraining,
          student: opts.student,
          sandboxUser: opts.sandboxUser ?? (process.env.RLHW_SANDBOX_USER || undefined),
        });
        for (const line of guarded) process.stderr.write(`rlgrade: made root-only: ${line}\n`);
        process.stderr.write(`rlgrade: isolation: ${opts.isolation}${mechanisms.length ? ` (${mechanisms.join(', ')})` : ''}\n`);
        if (mechanisms.includes('network-open')) process.stderr.write('rlgrade: WARNING: network open: student code could connect out (no network namespace, no seccomp helper)\n');
        process.stdout.write(`rlgrade: ${report.total} / ${report.maxTotal} points; wrote ${results}\n`);
      } catch (err) {
        writeResults(results, failureResults(oneLine(err), (performance.now() - started) / 1000));
        process.stderr.write(`rlgrade: grading failed: ${oneLine(err)}\n`);
        code = 1;
      }
    });
  program
    .command('validate')
    .option('--assignment <dir>', 'assignment folder (holds assignment.yaml)')
    .option('--static', 'schema and static checks only (do not grade the reference and the starter)')
    .option('--secret-file <file>', 'course secret for hidden case inputs')
    .action(async (opts: { assignment?: string; static?: boolean; secretFile?: string }) => {
      const problems = await validate().validateAssignment({ assignmentDir: opts.assignment, secret: courseSecret(opts.secretFile), staticOnly: opts.static });
      for (const p of problems) process.stderr.write(`${p}\n`);
      process.stdout.write(problems.length === 0 ? 'rlgrade validate: OK\n' : `rlgrade validate: ${problems.length} problem(s)\n`);
      code = problems.length === 0 ? 0 : 1;
    });
  registerBuild(program, (c) => (code = c));
  registerAutograder(program, (c) => (code = c));
  registerBatch(program, (c) => (code = c));
  registerHandout(program, (c) => (code = c));
  registerNew(program, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const e = err as { exitCode?: number; code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.exitCode === undefined) process.stderr.write(`rlgrade: ${oneLine(err)}\n`);
    return e.exitCode ?? 2;
  }
  return code;
}
