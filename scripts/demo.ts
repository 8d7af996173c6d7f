// `npm run demo`: grades the bundled example submissions of both homeworks (the reference, the
// untouched starter and buggy ones) with the hidden cases, by the same engine, and writes each
// one's results.json, report.md and report.html under runs/demo/grades/<homework>/; then trains
// every algorithm (CQL with the CQL homework's reference) on the `stitch` dataset (one seed) and
// writes each run's files under runs/demo/train/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../provided/runtime/backend';
import { trainConfig } from '../provided/train/config';
import { openDataset } from '../provided/train/datasets';
import { loadImpl } from '../provided/train/impl';
import { writeRunOutputs } from '../provided/train/outputs';
import { runTraining } from '../provided/train/run';
import { ALGORITHMS, type AlgoName } from '../provided/train/trainers';
import { CQL_MODULES } from '../provided/train/cql';
import { gradeSubmission } from '../grader/cli/grade';
import { courseSecret } from '../grader/cases/seed';
import { buggySubmission } from './examples/buggy';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join('runs', 'demo');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

const HOMEWORKS: Array<{ name: string; dir: string; buggy: string[] }> = [
  { name: 'offline-rl', dir: path.join(ROOT, 'assignments/offline-rl'), buggy: ['expectile-swapped-tau', 'returns-ignore-timeouts'] },
  { name: 'cql', dir: path.join(ROOT, 'assignments/cql'), buggy: ['regulariser-max', 'update-online-critics-in-target'] },
];

async function gradeExamples(): Promise<void> {
  const rows: string[][] = [];
  for (const hw of HOMEWORKS) await gradeHomework(hw, rows);
  process.stdout.write('\nGrading the example submissions (hidden cases, course secret from RLHW_COURSE_SECRET or the dev default)\n');
  process.stdout.write(table(['homework', 'submission', 'score', 'questions losing points', 'report'], rows));
}

async function gradeHomework(hw: (typeof HOMEWORKS)[number], rows: string[][]): Promise<void> {
  const examples: Array<[string, string, boolean]> = [
    ['reference', path.join(hw.dir, 'solutions'), false],
    ['starter', path.join(hw.dir, 'starter'), false],
    ...hw.buggy.map((b): [string, string, boolean] => [`buggy: ${b}`, buggySubmission(b, hw.dir), true]),
  ];
  for (const [name, dir, temporary] of examples) {
    const out = path.join(OUT, 'grades', hw.name, name.replace(/^buggy: /, ''));
    process.stderr.write(`grading ${hw.name}: ${name}...\n`);
    try {
      const { report } = await gradeSubmission({ submission: dir, outDir: out, secret: courseSecret(), isolation: 'auto', assignmentDir: hw.dir, student: `${hw.name} ${name}` });
      const lost = report.questions.filter((q) => q.earned < q.points).map((q) => q.id);
      const shown = lost.length > 6 ? `${lost.slice(0, 6).join(' ')} (+${lost.length - 6})` : lost.join(' ') || '-';
      rows.push([hw.name, name, `${+report.total.toFixed(2)} / ${report.maxTotal}`, shown, path.join(out, 'report.html')]);
    } finally {
      if (temporary) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function trainExamples(): Promise<void> {
  const { dataset, layout, name } = await openDataset('stitch');
  const impl = { ...loadImpl(path.join(ROOT, 'solutions')), ...loadImpl(path.join(ROOT, 'assignments/cql/solutions'), CQL_MODULES) };
  const rows: string[][] = [];
  for (const algo of [...ALGORITHMS, 'cql'] as AlgoName[]) {
    const config = trainConfig(algo);
    process.stderr.write(`training ${algo} on ${name} (${config.steps} steps)...\n`);
    const result = runTraining({ algo, impl, dataset, layout, config, seed: 0 });
    const files = await writeRunOutputs(path.join(OUT, 'train', algo), result, layout, name);
    rows.push([algo, result.successRate.toFixed(2), String(result.steps), result.seconds.toFixed(1), path.dirname(files[0])]);
  }
  process.stdout.write(`\nTraining with the reference on ${name} (layout ${layout.name}), seed 0, backend ${backendUsed}\n`);
  process.stdout.write(table(['algorithm', 'success', 'steps', 'seconds', 'outputs'], rows));
}

let backendUsed = '';

async function main(): Promise<void> {
  backendUsed = await initBackend();
  await gradeExamples();
  await trainExamples();
}

main().catch((err: Error) => {
  process.stderr.write(`demo: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
});
