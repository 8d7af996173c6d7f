// Grades one submission --runs times in this process with gradeSubmission (the code behind
// `rlgrade grade`). One run in a new process is a cold grading; runs after the first are warm
// (modules loaded, JIT warm; every grading still starts its own runner child).
//
//   tsx bench/workers/grade.ts --submission solutions --runs 1 --out DIR [--skip-training] [--isolation auto] [--user NAME]
//
// Prints one JSON line: { startup, gradings: [{ timings, score, maxScore }], maxRssMiB, caseQuestions,
// endToEnd }, where `startup` is the seconds from process start to the first grading call (Node,
// tsx, the grader's modules) and `endToEnd` lists the cases that train (the rest are unit cases).
const startup = performance.now() / 1000; // performance's origin is the process start
import * as path from 'node:path';
import { Command } from 'commander';
import { gradeSubmission, ISOLATIONS, type Isolation } from '../../grader/cli/grade';
import type { GradeTimings } from '../../grader/cli/grade-timings';
import { DEV_SECRET } from '../../grader/cases/seed';
import { loadAssignment } from '../../grader/assignment/load';
import { buildCalls } from '../../grader/cases/build';

async function main(): Promise<void> {
  const o = new Command()
    .requiredOption('--submission <path>')
    .option('--runs <n>', 'gradings in this process', (v) => Number.parseInt(v, 10), 1)
    .option('--out <dir>', 'results folder (a sub-folder per run)')
    .option('--cache <dir>', 'reference cache')
    .option('--isolation <mode>', ISOLATIONS.join('|'), 'auto')
    .option('--user <name>', 'sandbox user')
    .option('--skip-training', 'leave out the training cases')
    .parse()
    .opts<{ submission: string; runs: number; out?: string; cache?: string; isolation: Isolation; user?: string; skipTraining?: boolean }>();
  const importsDone = performance.now() / 1000;
  const gradings: Array<{ timings: GradeTimings; score: number; maxScore: number }> = [];
  for (let i = 0; i < o.runs; i++) {
    const g = await gradeSubmission({
      submission: path.resolve(o.submission),
      outDir: o.out ? path.join(o.out, `run-${i}`) : undefined,
      secret: DEV_SECRET,
      isolation: o.isolation,
      sandboxUser: o.user,
      cacheDir: o.cache,
      skipTraining: o.skipTraining,
    });
    gradings.push({ timings: g.timings, score: g.report.total, maxScore: g.report.maxTotal });
  }
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  const a = loadAssignment();
  const caseQuestions = Object.fromEntries(a.cases.map((c) => [c.id, c.question]));
  const endToEnd = buildCalls(a, DEV_SECRET).filter((c) => c.harness.kind === 'run').map((c) => c.id);
  process.stdout.write(JSON.stringify({ startup: importsDone, startupBeforeImports: startup, gradings, maxRssMiB, caseQuestions, endToEnd }) + '\n');
}

main().catch((err: Error) => {
  process.stderr.write(`grade worker: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
});
