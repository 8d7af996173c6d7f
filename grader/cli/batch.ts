/**
 * Batch grading for staff (grader/batch/):
 *   rlgrade batch INPUT --out DIR [--workers N] [--resume] [--shard I/N] ...
 *   rlgrade merge DIR... --out DIR
 *   rlgrade diff OLD NEW
 * Each exits 0 when it finished (a submission that failed to grade is a row with status error,
 * not a failed batch) and 1 with a one-line reason otherwise.
 */
import { Option, type Command } from 'commander';
import * as os from 'node:os';
import * as path from 'node:path';
import { courseSecret } from '../cases/seed';
import { chooseShard } from '../batch/shard';
import type { ProgressMode } from '../batch/progress';
import { ISOLATIONS, type Isolation } from '../sandbox/types';

// Loaded when the command runs (`rlgrade grade` should not compile what other commands use).
const batchRun = () => require('../batch/run') as typeof import('../batch/run');
const batchMerge = () => require('../batch/merge') as typeof import('../batch/merge');
const batchDiff = () => require('../batch/diff') as typeof import('../batch/diff');

const oneLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

function positiveNumber(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}: expected a positive number, got '${text}'`);
    return n;
  };
}

function positiveInteger(name: string) {
  return (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected a whole number of at least 1, got '${text}'`);
    return n;
  };
}

/** "wrote gradebook.csv, timings.csv and summary.html in /abs/grades", saying when the folder is the default one. */
export function wroteWhat(files: string[], defaultOut: boolean): string {
  const names = files.map((f) => path.basename(f));
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
  const dir = path.resolve(path.dirname(files[0] ?? '.'));
  return `wrote ${list} in ${dir}${defaultOut ? ' (no --out given: the default folder)' : ''}`;
}

interface BatchFlags {
  out: string;
  workers: number;
  resume?: boolean;
  retryErrors?: boolean;
  shard?: string;
  shardCount?: string;
  assignment?: string;
  backend?: 'wasm' | 'cpu' | 'node';
  secretFile?: string;
  isolation: Isolation;
  skipTraining?: boolean;
  sandboxUsers?: string;
  submissionTimeout?: number;
  progress?: ProgressMode;
}

export function registerBatch(program: Command, setCode: (code: number) => void): void {
  program
    .command('batch')
    .description('grade a folder of submissions (or a Gradescope export) into a gradebook, on parallel workers')
    .argument('<input>', 'folder with one sub-folder or archive per submission, or a Gradescope export (with submission_metadata.yml)')
    .option('--out <dir>', 'output folder (per submission: results.json, reports, grading.json; gradebook.csv, timings.csv, summary.html)', 'rlgrade-batch')
    .addOption(new Option('--workers <n>', 'submissions graded at once').argParser(positiveInteger('--workers')).default(os.cpus().length, `the number of cores, ${os.cpus().length} here`))
    .option('--resume', 'grade only submissions without a result or whose result is stale (submission, assignment, grader or settings changed)')
    .option('--retry-errors', 'with --resume: also grade again the submissions whose result is an error')
    .option('--shard <I/N>', 'grade the I-th of N shares (0 <= I < N); default from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID')
    .option('--shard-count <n>', 'N for a Kubernetes Indexed Job (its completions; else RLGRADE_SHARD_COUNT)')
    .option('--assignment <dir>', 'assignment folder (holds assignment.yaml)')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(['wasm', 'cpu', 'node']))
    .option('--secret-file <file>', 'course secret for hidden case inputs (else RLHW_COURSE_SECRET, else "dev-secret")')
    .addOption(new Option('--isolation <mode>', 'how student code runs').choices(ISOLATIONS).default('auto'))
    .option('--skip-training', 'leave out the end-to-end training cases (they score 0): quick looks and tests only')
    .option('--sandbox-users <prefix>', 'worker k runs student code as the user <prefix>-<k> (default rlhw-student; tests use their own)')
    .option('--submission-timeout <seconds>', 'kill a grading that takes longer (status timeout); default from the case limits', positiveNumber('--submission-timeout'))
    .addOption(new Option('--progress <mode>', 'progress display (default: bar on a terminal, else one line per submission)').choices(['bar', 'lines', 'none']))
    .action(async (input: string, opts: BatchFlags, command: Command) => {
      try {
        const choice = chooseShard(opts.shard, opts.shardCount);
        if (choice && choice.source !== '--shard') process.stderr.write(`rlgrade batch: shard ${choice.shard.index}/${choice.shard.count} from ${choice.source}\n`);
        const { runBatch, statusCounts } = batchRun();
        const summary = await runBatch({
          input,
          out: opts.out,
          workers: opts.workers,
          resume: opts.resume,
          retryErrors: opts.retryErrors,
          shard: choice?.shard ?? null,
          assignmentDir: opts.assignment,
          backend: opts.backend,
          secret: courseSecret(opts.secretFile),
          secretFile: opts.secretFile,
          isolation: opts.isolation,
          skipTraining: opts.skipTraining,
          sandboxUsers: opts.sandboxUsers,
          submissionTimeoutSeconds: opts.submissionTimeout,
          progress: opts.progress,
        });
        const s = summary.statuses;
        process.stdout.write(
          `rlgrade batch: ${summary.share} submission(s), ${summary.graded} graded now, ${summary.upToDate} up to date; ` +
            `${statusCounts(s)}; ${wroteWhat(summary.files, command.getOptionValueSource('out') === 'default')}\n`,
        );
        setCode(0);
      } catch (err) {
        process.stderr.write(`rlgrade batch: ${oneLine(err)}\n`);
        setCode(1);
      }
    });
  program
    .command('merge')
    .description('combine the --out folders of shards into one gradebook and summary (refuses overlaps and gaps)')
    .argument('<dirs...>', 'the shard output folders')
    .requiredOption('--out <dir>', 'the merged output folder')
    .action(async (dirs: string[], opts: { out: string }) => {
      try {
        const merged = await batchMerge().mergeOutputs(dirs, opts.out);
        process.stdout.write(`rlgrade merge: ${merged.count} submission(s) from ${dirs.length} folder(s); wrote ${merged.files[0]}\n`);
        setCode(0);
      } catch (err) {
        process.stderr.write(`rlgrade merge: ${oneLine(err)}\n`);
        setCode(1);
      }
    });
  program
    .command('diff')
    .description('list each submission whose score changed between two batch outputs, by question')
    .argument('<old>', 'the earlier batch output folder')
    .argument('<new>', 'the later batch output folder')
    .action((oldDir: string, newDir: string) => {
      try {
        const { diffOutputs, formatChange } = batchDiff();
        const changes = diffOutputs(oldDir, newDir);
        for (const c of changes) process.stdout.write(`${formatChange(c)}\n`);
        process.stderr.write(`rlgrade diff: ${changes.length} submission(s) changed\n`);
        setCode(0);
      } catch (err) {
        process.stderr.write(`rlgrade diff: ${oneLine(err)}\n`);
        setCode(1);
      }
    });
}
