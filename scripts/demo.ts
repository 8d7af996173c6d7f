// `npm run demo`: grades the bundled example submissions (the reference, the untouched starter
// and two buggy ones) with the hidden cases and writes each one's results.json, report.md and
// report.html under runs/demo/grades/; then trains every algorithm with the reference on the
// `stitch` dataset (one seed) and writes each run's files under runs/demo/train/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initBackend } from '../provided/runtime/backend';
import { trainConfig } from '../provided/train/config';
import { openDataset } from '../provided/train/datasets';
import { loadImpl } from '../provided/train/impl';
import { writeRunOutputs } from '../provided/train/outputs';
import { runTraining } from '../provided/train/run';
import { ALGORITHMS } from '../provided/train/trainers';
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

async function gradeExamples(): Promise<void> {
  const examples: Array<[string, string, boolean]> = [
    ['reference', path.join(ROOT, 'solutions'), false],
    ['starter', path.join(ROOT, 'starter'), false],
    ['buggy: expectile-swapped-tau', buggySubmission('expectile-swapped-tau'), true],
    ['buggy: returns-ignore-timeouts', buggySubmission('returns-ignore-timeouts'), true],
  ];
  const rows: string[][] = [];
  for (const [name, dir, temporary] of examples) {
    const out = path.join(OUT, 'grades', name.replace(/^buggy: /, ''));
    process.stderr.write(`grading ${name}...\n`);
    try {
      const { report } = await gradeSubmission({ submission: dir, outDir: out, secret: courseSecret(), isolation: 'auto' });
      const lost = report.questions.filter((q) => q.earned < q.points).map((q) => q.id);
      const shown = lost.length > 6 ? `${lost.slice(0, 6).join(' ')} (+${lost.length - 6})` : lost.join(' ') || '-';
      rows.push([name, `${+report.total.toFixed(2)} / ${report.maxTotal}`, shown, path.join(out, 'report.html')]);
    } finally {
      if (temporary) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write('\nGrading the example submissions (hidden cases, course secret from RLHW_COURSE_SECRET or the dev default)\n');
  process.stdout.write(table(['submission', 'score', 'questions losing points', 'report'], rows));
}

async function trainExamples(): Promise<void> {
  const { dataset, layout, name } = await openDataset('stitch');
  const impl = loadImpl(path.join(ROOT, 'solutions'));
  const rows: string[][] = [];
  for (const algo of ALGORITHMS) {
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
