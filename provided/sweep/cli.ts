// `npm run sweep -- --algo iql --dataset stitch [--taus 0.5,0.7,0.9] [--alphas 0.01,0.1,1] [--seeds 0]`
//
// Trains IQL on a grid of expectiles tau and temperatures alpha with the student's functions and,
// for every run, records two offline scores (the FQE estimate over the dataset's episode starts and
// the critic heuristic) and the truth from roll-outs in the maze. Writes to the out folder:
//   sweep.md                 the table, the rank correlations, the setting each score would pick
//   sweep.json               every figure
//   fqe-vs-return.svg        FQE estimate against the true discounted return
//   heuristic-vs-return.svg  the heuristic against the true discounted return
// With --docs FILE it also replaces this dataset's block in FILE (docs/results.md) and copies the plot beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { initBackend } from '../runtime/backend';
import { openDataset } from '../train/datasets';
import { fqeSettings } from '../train/fqe';
import { loadImpl } from '../train/impl';
import { sweepMarkdown, writeSweep } from './report';
import { defaultGrid, runSweep } from './run';

const DEFAULT_IMPL = process.env.RLHW_IMPL ?? path.resolve(__dirname, '../../solutions');

function numbers(what: string, positive: boolean) {
  return (value: string): number[] => {
    const xs = value.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    const ok = xs.length > 0 && xs.every((x) => Number.isFinite(x) && (positive ? x > 0 : Number.isInteger(x) && x >= 0));
    if (!ok) throw new Error(`--${what}: expected a comma-separated list of ${positive ? 'positive numbers' : 'non-negative integers'}, got '${value}'`);
    return xs;
  };
}

function count(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${what}: expected a positive integer, got '${value}'`);
    return n;
  };
}

/** Replaces (or appends) the block between <!-- sweep:ALGO:DATASET --> markers in a Markdown file. */
export function replaceBlock(text: string, id: string, block: string): string {
  const open = `<!-- sweep:${id} -->`;
  const close = `<!-- /sweep:${id} -->`;
  const body = `${open}\n${block.trimEnd()}\n${close}`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  if (start >= 0 && end > start) return text.slice(0, start) + body + text.slice(end + close.length);
  return `${text.trimEnd()}\n\n${body}\n`;
}

async function main(): Promise<void> {
  const grid = defaultGrid();
  const o = new Command()
    .name('sweep')
    .description('Hyper-parameter sweep with offline scores (FQE, a critic heuristic) against the truth in the maze.')
    .addOption(new Option('--algo <name>', 'algorithm (the heuristic needs twin critics)').choices(['iql']).default('iql'))
    .option('--dataset <name>', 'bundled dataset name or a data file', 'stitch')
    .option('--taus <list>', 'expectiles', numbers('taus', true), grid.taus)
    .option('--alphas <list>', 'temperatures (weights exp(A / alpha))', numbers('alphas', true), grid.alphas)
    .option('--seeds <list>', 'seeds', numbers('seeds', false), grid.seeds)
    .option('--steps <n>', 'IQL gradient steps per run', count('steps'), grid.steps)
    .option('--fqe-steps <n>', 'FQE gradient steps per run', count('fqe-steps'), grid.fqe.steps)
    .option('--episodes <n>', 'roll-outs from the start region per run', count('episodes'), grid.episodes)
    .option('--impl <dir>', 'folder with the student files (fqe.ts, iql.ts, ...)', DEFAULT_IMPL)
    .option('--out <dir>', 'output folder (default runs/sweep-ALGO-DATASET)')
    .option('--docs <file>', 'also update this Markdown file (its block for this dataset) and copy the plot beside it')
    .parse()
    .opts<{ algo: 'iql'; dataset: string; taus: number[]; alphas: number[]; seeds: number[]; steps: number; fqeSteps: number; episodes: number; impl: string; out?: string; docs?: string }>();

  await initBackend();
  const { dataset, layout, name } = await openDataset(o.dataset);
  const impl = loadImpl(o.impl);
  const out = o.out ?? path.join('runs', `sweep-${o.algo}-${name}`);
  const started = Date.now();
  const result = runSweep({
    impl,
    dataset,
    datasetName: name,
    layout,
    grid: { taus: o.taus, alphas: o.alphas, seeds: o.seeds, steps: o.steps, fqe: fqeSettings({ steps: o.fqeSteps }), episodes: o.episodes },
    onRow: (r, i, total) => {
      const secs = r.seconds.train + r.seconds.fqe + r.seconds.rollouts;
      process.stderr.write(`[${i}/${total}] tau ${r.tau} alpha ${r.alpha} seed ${r.seed}: FQE ${r.fqe.toFixed(3)}, heuristic ${r.heuristic.toFixed(3)}, success ${r.success.toFixed(2)}, discounted return ${r.discountedReturn.toFixed(3)} (${secs.toFixed(1)} s)\n`);
    },
  });
  const files = await writeSweep(out, result);
  if (o.docs) {
    const plot = `sweep-${o.algo}-${name}.svg`;
    fs.copyFileSync(files.fqePlot, path.join(path.dirname(o.docs), plot));
    const text = fs.existsSync(o.docs) ? fs.readFileSync(o.docs, 'utf8') : '';
    fs.writeFileSync(o.docs, replaceBlock(text, `${o.algo}:${name}`, sweepMarkdown(result, plot)));
  }
  process.stdout.write(fs.readFileSync(files.markdown, 'utf8'));
  process.stdout.write(`\n${result.rows.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s (${result.backend})\n`);
  for (const f of [...Object.values(files), ...(o.docs ? [o.docs] : [])]) process.stdout.write(`wrote ${f}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`sweep: ${err.message.split('\n')[0]}\n`);
    process.exit(1);
  });
}
