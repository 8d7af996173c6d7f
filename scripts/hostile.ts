// `npm run hostile`: grades every case of fixtures/submissions/hostile with the real `rlgrade grade`
// as root, once in each isolation mode (auto: namespaces here; reduced: none, as in the grader
// image), and checks the grader's promises on each (scripts/hostile/corpus.ts), then the batch
// checks (scripts/hostile/batch.ts). Exits 1 when any promise is broken.
//   npm run hostile -- --isolation reduced                   one mode only
//   npm run hostile -- --only loop-at-import,tar-dotdot     some cases only
//   npm run hostile -- --no-batch                           skip the batch checks
import { Command } from 'commander';
import { hostileManifest, hostileNames } from './examples/hostile';
import { runBatchChecks } from './hostile/batch';
import { CORPUS_MODES, gradeCase, prepareCorpus, type CaseResult, type CorpusMode } from './hostile/corpus';

async function main(): Promise<number> {
  const opts = new Command('hostile')
    .option('--only <names>', 'comma-separated case names')
    .option('--no-batch', 'skip the rlgrade batch checks')
    .option('--keep', 'keep the temporary folder (submissions, outputs) and print it')
    .option('--isolation <modes>', `comma-separated isolation modes to grade each case in (default ${CORPUS_MODES.join(',')})`, CORPUS_MODES.join(','))
    .parse(process.argv)
    .opts<{ only?: string; batch: boolean; keep?: boolean; isolation: string }>();
  const modes = opts.isolation.split(',') as CorpusMode[];
  for (const m of modes) if (!CORPUS_MODES.includes(m)) throw new Error(`--isolation: unknown mode '${m}' (modes: ${CORPUS_MODES.join(', ')})`);
  if (process.getuid?.() !== 0) throw new Error('the hostile corpus grades in the sandbox and must run as root (CI does)');
  const names = opts.only ? opts.only.split(',') : hostileNames();
  for (const n of names) hostileManifest(n); // a bad manifest fails before anything runs
  const started = performance.now();
  const corpus = await prepareCorpus(names, { keep: opts.keep });
  if (opts.keep) process.stdout.write(`corpus folder: ${corpus.dir}\n`);
  const results: CaseResult[] = [];
  try {
    for (const isolation of modes) {
      for (const name of names) {
        const r = await gradeCase(corpus, name, { isolation });
        results.push(r);
        const score = r.score === undefined ? '-' : `${+r.score.toFixed(2)}/${+r.bound.toFixed(2)}`;
        process.stdout.write(`${r.failures.length === 0 ? 'ok  ' : 'FAIL'} ${isolation.padEnd(8)} ${name.padEnd(28)} ${score.padStart(9)} ${r.seconds.toFixed(1).padStart(6)} s\n`);
        for (const f of r.failures) process.stdout.write(`       - ${f}\n`);
      }
    }
    if (opts.batch) {
      const problems = await runBatchChecks(corpus, names);
      process.stdout.write(problems.length === 0 ? 'ok   rlgrade batch over the corpus\n' : `FAIL rlgrade batch over the corpus\n${problems.map((p) => `       - ${p}\n`).join('')}`);
      if (problems.length > 0) results.push({ name: 'batch', seconds: 0, score: undefined, bound: 0, failures: problems });
    }
  } finally {
    await corpus.close();
  }
  const failed = results.filter((r) => r.failures.length > 0);
  process.stdout.write(`\n${results.length - failed.length} of ${results.length} checks kept every promise (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`hostile: ${err instanceof Error ? (process.env.RLHW_DEBUG ? err.stack : err.message) : String(err)}\n`);
    process.exit(2);
  },
);
