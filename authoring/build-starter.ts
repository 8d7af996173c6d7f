// Generates each assignment's starter/ from its solutions/ (npm run build:starter).
//
//   npm run build:starter                          every assignment under assignments/
//   npm run build:starter -- --assignment DIR      one assignment folder
//   npm run build:starter -- --check               write nothing; exit 1 listing the files that differ
//
// Exit codes: 0 ok, 1 a starter/ out of date (--check), 2 bad markers, bad assignment file or bad usage.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StarterBuildError } from './build-error';
import { assignmentLayout, compareStarter, generateStarter, writeStarter, type StarterLayout } from './starter-tree';

const KIT = path.resolve(__dirname, '..');

/** Every assignment folder with solutions to build a starter from. */
function assignmentDirs(): string[] {
  const root = path.join(KIT, 'assignments');
  return fs.readdirSync(root).map((n) => path.join(root, n)).filter((d) => fs.existsSync(path.join(d, 'assignment.yaml')) && fs.existsSync(path.join(d, 'solutions'))).sort();
}

function run(args: string[]): number {
  const at = args.indexOf('--assignment');
  const unknown = args.filter((a, i) => a !== '--check' && !(at >= 0 && (i === at || i === at + 1)));
  if (unknown.length > 0 || (at >= 0 && !args[at + 1])) {
    console.error(`build-starter: unknown argument ${unknown[0] ?? '--assignment without a folder'} (usage: build-starter [--assignment DIR] [--check])`);
    return 2;
  }
  const dirs = at >= 0 ? [path.resolve(args[at + 1])] : assignmentDirs();
  return Math.max(0, ...dirs.map((dir) => buildOne(assignmentLayout(KIT, { codeDir: dir }), args.includes('--check'))));
}

function buildOne(layout: StarterLayout, check: boolean): number {
  const { files, unmatchedQuestionFunctions } = generateStarter(layout);
  for (const fn of unmatchedQuestionFunctions) {
    console.error(`build-starter: warning: ${layout.assignmentFile} lists '${fn}', which has no solution region`);
  }
  if (check) {
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
