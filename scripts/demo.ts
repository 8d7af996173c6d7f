// `npm run demo`: trains every algorithm with the reference solutions on the `stitch` dataset
// (one seed), evaluates each in the maze, writes each run's files under runs/demo/, and prints
// a table. The grading demo of the grader issue will extend this.
import * as path from 'node:path';
import { initBackend } from '../provided/runtime/backend';
import { trainConfig } from '../provided/train/config';
import { openDataset } from '../provided/train/datasets';
import { loadImpl } from '../provided/train/impl';
import { writeRunOutputs } from '../provided/train/outputs';
import { runTraining } from '../provided/train/run';
import { ALGORITHMS } from '../provided/train/trainers';

async function main(): Promise<void> {
  const backend = await initBackend();
  const datasetName = process.env.DEMO_DATASET ?? 'stitch';
  const { dataset, layout, name } = await openDataset(datasetName);
  const impl = loadImpl(path.resolve(__dirname, '../solutions'));
  const rows: string[][] = [];
  for (const algo of ALGORITHMS) {
    const config = trainConfig(algo);
    process.stderr.write(`training ${algo} on ${name} (${config.steps} steps)...\n`);
    const result = runTraining({ algo, impl, dataset, layout, config, seed: 0 });
    const files = await writeRunOutputs(path.join('runs', 'demo', algo), result, layout, name);
    rows.push([algo, result.successRate.toFixed(2), String(result.steps), result.seconds.toFixed(1), path.dirname(files[0])]);
  }
  const header = ['algorithm', 'success', 'steps', 'seconds', 'outputs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\nDataset ${name} (layout ${layout.name}), backend ${backend}, seed 0\n`);
  process.stdout.write(line(header) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const r of rows) process.stdout.write(line(r) + '\n');
}

main().catch((err: Error) => {
  process.stderr.write(`demo: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
});
