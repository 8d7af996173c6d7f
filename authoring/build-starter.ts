// Generates starter/ from solutions/ (npm run build:starter).
//
//   npm run build:starter              write starter/*.ts (only files whose content changed)
//   npm run build:starter -- --check   write nothing; exit 1 listing the files that differ
//
// Exit codes: 0 ok, 1 starter/ out of date (--check), 2 bad markers, bad assignment file or bad usage.
import * as path from 'node:path';
import { StarterBuildError } from './build-error';
import { compareStarter, defaultLayout, generateStarter, writeStarter } from './starter-tree';

function run(args: string[]): number {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`build-starter: unknown argument ${unknown[0]} (usage: build-starter [--check])`);
    return 2;
  }
  const layout = defaultLayout(path.resolve(__dirname, '..'));
  const { files, unmatchedQuestionFunctions } = generateStarter(layout);
  for (const fn of unmatchedQuestionFunctions) {
    console.error(`build-starter: warning: ${layout.assignmentFile} lists '${fn}', which has no solution region`);
  }
  if (args.includes('--check')) {
    const diffs = compareStarter(layout, files);
    if (diffs.length === 0) {
      console.log(`build-starter: ${layout.starterDir}/ is up to date (${files.length} files)`);
      return 0;
    }
    console.error(`build-starter: ${layout.starterDir}/ differs from the build of ${layout.solutionsDir}/ (run npm run build:starter):`);
    for (const d of diffs) console.error(`  ${d.file}: ${d.problem}`);
    return 1;
  }
  const report = writeStarter(layout, files);
  const stubs = files.reduce((n, f) => n + f.stubs.length, 0);
  console.log(`build-starter: ${files.length} files, ${stubs} stubs; wrote ${report.written.length}, unchanged ${report.unchanged.length}, removed ${report.removed.length}`);
  for (const f of report.written) console.log(`  wrote ${f}`);
  for (const f of report.removed) console.log(`  removed ${f} (its solution file is gone)`);
  for (const f of report.foreign) console.error(`build-starter: warning: ${f} has no solution source and no generated header; left alone`);
  return 0;
}

try {
  process.exitCode = run(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof StarterBuildError)) throw err;
  console.error(`build-starter: ${err.message}`);
  process.exitCode = 2;
}
