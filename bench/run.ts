// `npm run bench`: measures training throughput (against PyTorch), grading latency, batch
// throughput, the student's loop, memory and grading under Gradescope's limits; writes
// bench/results/<date>-<backend>.json and regenerates docs/benchmarks.md from it.
//
//   npm run bench                              every section (about an hour on 2 cores)
//   npm run bench -- --only train,torch,grade  some sections (merged into the day's results file)
//   npm run bench -- --quick                   a quick check of the harness (results under bench/results/*-quick.*)
//   npm run bench -- --render FILE.json        regenerate docs/benchmarks.md without measuring
// README.md ("Benchmarks") lists every option.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { SECTIONS, base, type Context, type SectionName, type Sections } from './context';
import { renderMarkdown, type Results } from './render';
import { KIT_ROOT, machine, say } from './stats';
import { checkTargets } from './targets';
import { batchSection } from './sections/batch';
import { scalingSection } from './sections/scaling';
import { containerSection } from './sections/container';
import { gradeSection, memorySection } from './sections/grade';
import { profileSection } from './sections/profile';
import { startupSection } from './sections/startup';
import { studentSection } from './sections/student';
import { torchSection } from './sections/torch';
import { trainSection } from './sections/train';

const RESULTS_DIR = path.join(KIT_ROOT, 'bench/results');
const DOC = path.join(KIT_ROOT, 'docs/benchmarks.md');

interface Flags {
  only?: string;
  skip?: string;
  quick?: boolean;
  runs?: number;
  seconds?: number;
  backend: 'wasm' | 'cpu' | 'node';
  batchRuns?: number;
  install: boolean;
  buildImage?: boolean;
  render?: string;
  keep?: boolean;
}

function sectionList(text: string | undefined, flag: string): SectionName[] {
  if (!text) return [];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(SECTIONS as readonly string[]).includes(n)) throw new Error(`${flag}: unknown section '${n}' (sections: ${SECTIONS.join(', ')})`);
  return names as SectionName[];
}

function writeOutputs(results: Results, jsonFile: string, quick: boolean): string {
  results.targets = checkTargets(results.sections);
  fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
  fs.writeFileSync(jsonFile, JSON.stringify(results, null, 2) + '\n');
  const mdFile = quick ? jsonFile.replace(/\.json$/, '.md') : DOC;
  fs.writeFileSync(mdFile, renderMarkdown(results, path.relative(KIT_ROOT, jsonFile)));
  return mdFile;
}

async function measure(o: Flags): Promise<number> {
  const only = sectionList(o.only, '--only');
  const skip = sectionList(o.skip, '--skip');
  const chosen = (only.length ? only : [...SECTIONS]).filter((s) => !skip.includes(s));
  const quick = o.quick === true;
  const runs = o.runs ?? (quick ? 2 : 5);
  if (!quick && runs < 5) throw new Error('--runs: at least 5 runs per figure (or use --quick)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-bench-'));
  const ctx: Context = { quick, runs, backend: o.backend, seconds: o.seconds ?? (quick ? 0.3 : 2), install: o.install, tmp, sandboxUser: 'rlhw-bench' };
  const m = machine();
  say(`sections ${chosen.join(', ')}; ${runs} runs per figure${quick ? ' (quick)' : ''}; ${m.cores} cores, load average ${m.loadAverage}`);
  if (m.loadAverage > 0.5) say(`the machine is busy (load average ${m.loadAverage}): figures will be noisy`);

  const jsonFile = path.join(RESULTS_DIR, `${m.date}-${o.backend}${quick ? '-quick' : ''}.json`);
  // Sections measured earlier the same day stay; the ones measured now replace theirs.
  const previous = fs.existsSync(jsonFile) ? (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as Results) : undefined;
  const results: Results = { machine: m, backend: o.backend, sections: { ...previous?.sections } };
  const runners: Record<SectionName, () => Promise<NonNullable<Sections[SectionName]>>> = {
    train: () => trainSection(ctx),
    torch: () => torchSection(ctx),
    profile: () => profileSection(ctx),
    startup: () => startupSection(ctx),
    grade: () => gradeSection(ctx),
    memory: () => memorySection(ctx),
    batch: () => batchSection(ctx, o.batchRuns ?? (quick ? 1 : 5)),
    scaling: () => scalingSection(ctx),
    student: () => studentSection(ctx),
    container: () => containerSection(ctx, o.buildImage === true),
  };
  let failed = 0;
  try {
    for (const name of SECTIONS.filter((s) => chosen.includes(s))) {
      const t0 = performance.now();
      say(`== ${name}`);
      try {
        (results.sections as Record<string, unknown>)[name] = await runners[name]();
      } catch (err) {
        failed++;
        const why = (err as Error).message.split('\n')[0];
        say(`${name} FAILED: ${why}`);
        (results.sections as Record<string, unknown>)[name] = { ...base(ctx), skipped: `failed: ${why}` };
      }
      say(`== ${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      writeOutputs(results, jsonFile, quick); // after every section, so an interrupted run keeps what it measured
    }
  } finally {
    if (!o.keep) fs.rmSync(tmp, { recursive: true, force: true });
    else say(`kept ${tmp}`);
  }
  const md = writeOutputs(results, jsonFile, quick);
  say(`wrote ${path.relative(KIT_ROOT, jsonFile)} and ${path.relative(KIT_ROOT, md)}`);
  for (const t of results.targets ?? []) say(`target ${t.met === undefined ? '-' : t.met ? 'met' : 'MISSED'}: ${t.name}: ${t.value ?? 'not measured'} (${t.goal})`);
  return failed ? 1 : 0;
}

async function main(): Promise<number> {
  const o = new Command('bench')
    .description('Benchmarks of training, grading and the student loop; writes bench/results/ and docs/benchmarks.md')
    .option('--only <sections>', `comma-separated sections to run (${SECTIONS.join(', ')})`)
    .option('--skip <sections>', 'comma-separated sections to leave out')
    .option('--quick', 'fewer and shorter runs, to check the harness (results beside, not in docs/)')
    .option('--runs <n>', 'runs behind each figure (default 5; quick 2)', (v) => Number.parseInt(v, 10))
    .option('--seconds <s>', 'length of one timed training-throughput run (default 2; quick 0.3)', Number)
    .addOption(new Option('--backend <name>', 'backend of the grading sections').choices(['wasm', 'cpu', 'node']).default('wasm'))
    .option('--batch-runs <n>', 'runs of the whole 20-submission batch per worker count (default 5, about an hour in all; quick 1)', (v) => Number.parseInt(v, 10))
    .option('--no-install', 'do not apt-get install python3-torch for the PyTorch section')
    .option('--build-image', 'build the grader image with tests/container/run.sh when it is missing')
    .option('--render <file>', 'only regenerate the Markdown from an existing results file')
    .option('--keep', 'keep the scratch folder')
    .parse()
    .opts<Flags>();
  if (o.render) {
    const results = JSON.parse(fs.readFileSync(o.render, 'utf8')) as Results;
    const md = writeOutputs(results, path.resolve(o.render), /-quick\.json$/.test(o.render));
    say(`wrote ${path.relative(KIT_ROOT, md)}`);
    return 0;
  }
  return measure(o);
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`bench: ${err.message.split('\n')[0]}\n`);
    process.exit(2);
  },
);
