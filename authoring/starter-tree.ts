// The starter directory as a whole: generate it from solutions/, compare it with what is on
// disk (for --check), and write it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadQuestionMap, type QuestionMap } from './questions';
import { buildStarterSource, STARTER_HEADER, type Stub } from './starter';

/** Where things live, relative to `root` (paths use '/'). */
export interface StarterLayout {
  root: string;
  solutionsDir: string;
  starterDir: string;
  assignmentFile: string;
}

/** The layout of an assignment folder `dir` (absolute) in the kit at `root`: its solutions/, starter/ and assignment.yaml. */
export function assignmentLayout(root: string, a: { codeDir: string }): StarterLayout {
  const rel = path.relative(root, a.codeDir).split(path.sep).join('/');
  return { root, solutionsDir: `${rel}/solutions`, starterDir: `${rel}/starter`, assignmentFile: `${rel}/assignment.yaml` };
}

export interface GeneratedFile {
  /** e.g. "solutions/losses.ts" */
  source: string;
  /** e.g. "starter/losses.ts" */
  target: string;
  text: string;
  stubs: Stub[];
}

export interface GeneratedStarter {
  files: GeneratedFile[];
  /** Names in the assignment file's question map that match no stub (likely typos). */
  unmatchedQuestionFunctions: string[];
}

const abs = (layout: StarterLayout, rel: string): string => path.join(layout.root, rel);

/** The `.ts` files (not `.d.ts`) directly in `dir`, sorted; none if the directory is absent. */
function tsFilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => e.name)
    .sort();
}

/** The solution files to build, e.g. ["solutions/losses.ts", ...], sorted. */
export function solutionSources(layout: StarterLayout): string[] {
  return tsFilesIn(abs(layout, layout.solutionsDir)).map((name) => `${layout.solutionsDir}/${name}`);
}

/** Reads the assignment file's question map (empty when the file is absent). */
export function questionsOf(layout: StarterLayout): QuestionMap {
  return loadQuestionMap(abs(layout, layout.assignmentFile), layout.assignmentFile);
}

/**
 * Builds the starter file of one solution file in memory.
 *
 * @param source e.g. "solutions/losses.ts"
 * @throws StarterBuildError on a marker problem
 */
export function generateStarterFile(layout: StarterLayout, source: string, questions: QuestionMap): GeneratedFile {
  const built = buildStarterSource(fs.readFileSync(abs(layout, source), 'utf8'), { file: source, questions });
  return { source, target: `${layout.starterDir}/${path.posix.basename(source)}`, ...built };
}

/**
 * Builds every starter file in memory from `solutions/*.ts`.
 *
 * @throws StarterBuildError from the first file with a marker problem, or from the assignment file
 */
export function generateStarter(layout: StarterLayout): GeneratedStarter {
  const questions = questionsOf(layout);
  const files = solutionSources(layout).map((source) => generateStarterFile(layout, source, questions));
  const stubbed = new Set(files.flatMap((f) => f.stubs.map((s) => s.functionName)));
  return { files, unmatchedQuestionFunctions: [...questions.keys()].filter((fn) => !stubbed.has(fn)) };
}

export interface StarterDifference {
  /** e.g. "starter/losses.ts" */
  file: string;
  problem: 'missing' | 'out of date' | 'no solution source';
}

/** What differs between the starter on disk and `files`; only `.ts` files of starter/ count. */
export function compareStarter(layout: StarterLayout, files: readonly GeneratedFile[]): StarterDifference[] {
  const diffs: StarterDifference[] = [];
  for (const f of files) {
    const target = abs(layout, f.target);
    if (!fs.existsSync(target)) diffs.push({ file: f.target, problem: 'missing' });
    else if (fs.readFileSync(target, 'utf8') !== f.text) diffs.push({ file: f.target, problem: 'out of date' });
  }
  const expected = new Set(files.map((f) => f.target));
  for (const name of tsFilesIn(abs(layout, layout.starterDir))) {
    const rel = `${layout.starterDir}/${name}`;
    if (!expected.has(rel)) diffs.push({ file: rel, problem: 'no solution source' });
  }
  return diffs;
}

/** Whether a file on disk starts with the generated-file header (so the builder may delete it). */
function isGenerated(file: string): boolean {
  return fs.readFileSync(file, 'utf8').split('\n', 2).some((l) => l.replace(/\r$/, '') === STARTER_HEADER);
}

export interface WriteReport {
  written: string[];
  unchanged: string[];
  /** Generated starter files whose solution no longer exists. */
  removed: string[];
  /** Hand-written `.ts` files in starter/ without a solution source (left alone). */
  foreign: string[];
}

/** Writes the files whose content changed and deletes stale generated ones. */
export function writeStarter(layout: StarterLayout, files: readonly GeneratedFile[]): WriteReport {
  const report: WriteReport = { written: [], unchanged: [], removed: [], foreign: [] };
  fs.mkdirSync(abs(layout, layout.starterDir), { recursive: true });
  for (const f of files) {
    const target = abs(layout, f.target);
    if (fs.existsSync(target) && fs.readFileSync(target, 'utf8') === f.text) {
      report.unchanged.push(f.target);
    } else {
      fs.writeFileSync(target, f.text);
      report.written.push(f.target);
    }
  }
  for (const d of compareStarter(layout, files)) {
    if (d.problem !== 'no solution source') continue;
    if (isGenerated(abs(layout, d.file))) {
      fs.rmSync(abs(layout, d.file));
      report.removed.push(d.file);
    } else {
      report.foreign.push(d.file);
    }
  }
  return report;
}
