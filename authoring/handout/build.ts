// Builds the student handout, dist/<assignment>-handout.tar.gz (`npx rlgrade handout`): the generated
// starter as homework/, provided/, the datasets, the public tests with their cases, the grader
// modules those tests share with the grader, package.json + lockfile, configs and README.md.
// Stages: assemble files in memory -> check imports -> write the archive -> leak check on the
// archive itself (a failed check deletes it).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import { loadAssignment } from '../../grader/assignment/load';
import type { Assignment } from '../../grader/assignment/types';
import { buildCalls, isThresholdCase } from '../../grader/cases/build';
import { loadPublic } from '../../grader/assignment/plugin';
import { solutionsDir } from '../../grader/assignment/types';
import type { PlainArg, RunnerCall } from '../../grader/child/protocol';
import { computeReference, DEFAULT_CACHE_DIR } from '../../grader/runner/reference';
import type { CallOutcome } from '../../grader/runner/run-calls';
import type { PublicData } from '../../handout/public-cases';
import { findRegions, lineBody, splitLinesKeepEol } from '../markers';
import { STARTER_HEADER } from '../starter';
import { assignmentLayout, generateStarter } from '../starter-tree';
import { checkArchive, distinctive, normaliseLine, type LeakRules } from './leak-check';
import { archiveName, DATASETS_DIR, HANDOUT_CODE, handoutPathOf, HOMEWORK_DIR, LOCAL_CHILD_ENTRY, PROVIDED_DIR, PUBLIC_CASES, SAME_PATH, topFolder } from './layout';
import { importProblems, reachable } from './module-graph';
import {
  DEV_PACKAGES,
  handoutLockfile,
  handoutPackageJson,
  handoutScripts,
  HANDOUT_GITIGNORE,
  HANDOUT_JEST_CONFIG,
  HANDOUT_TSCONFIG,
  OPTIONAL_PACKAGES,
  readKitPackage,
  RUNTIME_PACKAGES,
} from './package-files';
import { buildPublicData } from './public-data';
import { functionsOf, renderReadme } from './readme';

export const KIT_ROOT = path.resolve(__dirname, '../..');
export const HOMEWORK_HEADER = '// Your file of the homework: write every function marked YOUR CODE HERE (README.md: how to test and submit).';
/** Every entry gets this date, so the same kit gives the same archive bytes. */
const ARCHIVE_DATE = new Date('2000-01-01T00:00:00Z');

export interface HandoutOptions {
  /** Folder the archive goes to (created). */
  outDir: string;
  assignmentDir?: string;
  /** The course secret: only to know the hidden cases' numbers for the leak check. */
  secret: string;
  cacheDir?: string;
  kitRoot?: string;
}

export interface Handout {
  archive: string;
  /** Paths inside the top folder, sorted. */
  files: string[];
  bytes: number;
  /** Questions without formula text and the like: the build still succeeds. */
  warnings: string[];
  /** What the leak check looked for (to check another archive the same way). */
  rules: LeakRules;
}

/** A build that must not ship: the archive is not written (or deleted), and every reason is listed. */
export class HandoutError extends Error {
  constructor(readonly problems: string[]) {
    super(`the handout was not written: ${problems.length} problem(s): ${problems[0]}`);
    this.name = 'HandoutError';
  }
}

/** Files under `dir` (relative to `root`, with '/'), recursively, sorted. */
function listFiles(root: string, dir: string, keep: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile() && keep(child)) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

/** Every number of a plain value (call arguments, outputs). */
function numbersOf(v: unknown, out: number[] = []): number[] {
  if (typeof v === 'number') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => numbersOf(x, out));
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach((x) => numbersOf(x, out));
  return out;
}

/** What the leak check looks for, computed from the kit (never from the archive). */
function leakRules(kit: string, a: Assignment, data: PublicData, calls: RunnerCall[], reference: ReadonlyMap<string, CallOutcome>, publicSources: string[], secret: string): LeakRules {
  const hidden = new Set(a.cases.filter((c) => c.visibility !== 'visible').map((c) => c.id));
  const publicNumbers = new Set(numbersOf(data).map(String));
  const hiddenNumbers = new Set<string>();
  for (const call of calls.filter((c) => hidden.has(c.id))) {
    const outcome = reference.get(call.id);
    const values = numbersOf([call.args as PlainArg[], outcome?.result.outputs ?? {}, (outcome?.variants ?? []).map((v) => v.outputs)]);
    for (const x of values) if (distinctive(x) && !publicNumbers.has(String(x))) hiddenNumbers.add(String(x));
  }
  const publicLines = new Set(publicSources.flatMap((text) => text.split('\n').map(normaliseLine)));
  const solutionLines = new Set<string>();
  for (const name of fs.readdirSync(solutionsDir(a)).filter((n) => n.endsWith('.ts'))) {
    const lines = splitLinesKeepEol(fs.readFileSync(path.join(solutionsDir(a), name), 'utf8'));
    for (const r of findRegions(lines, `solutions/${name}`)) {
      const body = r.kind === 'line' ? [lines[r.firstLine]] : lines.slice(r.firstLine + 1, r.lastLine);
      for (const line of body.map((l) => normaliseLine(lineBody(l)))) if (line.length >= 20 && !publicLines.has(line)) solutionLines.add(line);
    }
  }
  const binaryHashes = new Map(
    listFiles(kit, DATASETS_DIR, (rel) => rel.endsWith('.npz')).map((rel) => [rel, createHash('sha256').update(fs.readFileSync(path.join(kit, rel))).digest('hex')]),
  );
  return { topFolder: topFolder(a.codeDir), submission: a.files, reads: shippedReads(kit, a), hiddenIds: [...hidden], hiddenNumbers, solutionLines, secret, binaryHashes };
}

/** The files (not folders) among what the assignment's runs read: shipped at their kit path. */
function shippedReads(kit: string, a: Assignment): string[] {
  return loadPublic(a).reads.filter((rel) => fs.existsSync(path.join(kit, rel)) && fs.statSync(path.join(kit, rel)).isFile());
}

/**
 * The homework files: the generated starter of each submission file, with a header for students.
 * Keyed `starter/<file>`: one folder below the kit's top, as homework/ is in the handout, so that
 * their imports ('../provided/...') resolve as they will there.
 */
function homeworkFiles(kit: string, a: Assignment): Map<string, string> {
  const generated = new Map(generateStarter(assignmentLayout(kit, a)).files.map((f) => [path.posix.basename(f.target), f.text]));
  const out = new Map<string, string>();
  for (const name of a.files) {
    const text = generated.get(name);
    if (text === undefined) throw new HandoutError([`${a.file}: submission file ${name} has no solutions/${name} to build its starter from`]);
    out.set(`starter/${name}`, text.replace(STARTER_HEADER, HOMEWORK_HEADER));
  }
  return out;
}

/** Kit path -> contents of every file shipped from the kit, the shared grader modules found by following imports. */
function kitFiles(kit: string, a: Assignment, homework: Map<string, string>): Map<string, Buffer> {
  const read = (rel: string): string | undefined => homework.get(rel) ?? (fs.existsSync(path.join(kit, rel)) && fs.statSync(path.join(kit, rel)).isFile() ? fs.readFileSync(path.join(kit, rel), 'utf8') : undefined);
  const provided = listFiles(kit, PROVIDED_DIR, (rel) => rel.endsWith('.ts') && !rel.endsWith('.test.ts'));
  const publicGrading = listFiles(kit, path.relative(kit, path.join(a.codeDir, 'public')), (rel) => rel.endsWith('.ts'));
  const reads = shippedReads(kit, a);
  const entries = [...Object.keys(HANDOUT_CODE), LOCAL_CHILD_ENTRY, ...homework.keys(), ...provided, ...publicGrading];
  const problems: string[] = [];
  const out = new Map<string, Buffer>();
  for (const rel of reachable(entries, read)) {
    if (!handoutPathOf(rel, reads)) problems.push(`${rel} is imported by the handout's code but must not ship (see authoring/handout/layout.ts)`);
    else out.set(rel, Buffer.from(read(rel)!, 'utf8'));
  }
  if (problems.length > 0) throw new HandoutError(problems);
  for (const rel of [...SAME_PATH, ...reads, ...listFiles(kit, DATASETS_DIR, (r) => /\.npz$|\/manifest\.json$/.test(r))]) out.set(rel, fs.readFileSync(path.join(kit, rel)));
  return out;
}

/** Writes the files under the top folder into a deterministic .tar.gz. */
async function writeArchive(file: string, top: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-handout-stage-'));
  try {
    const entries = [...files.keys()].sort().map((rel) => `${top}/${rel}`);
    for (const entry of entries) {
      const target = path.join(stage, ...entry.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, files.get(entry.slice(top.length + 1))!, { mode: 0o644 });
      fs.chmodSync(target, 0o644);
    }
    await tar.c({ file, cwd: stage, gzip: { level: 9 }, portable: true, mtime: ARCHIVE_DATE }, entries);
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

export async function buildHandout(o: HandoutOptions): Promise<Handout> {
  const kit = o.kitRoot ?? KIT_ROOT;
  const a = loadAssignment(o.assignmentDir);
  // The grader's own call list, so the reference comes from (and warms) the grader's cache entry.
  const scored = new Set(a.cases.filter(isThresholdCase).map((c) => c.id));
  const calls = buildCalls(a, o.secret);
  const reference = await computeReference(a, calls.filter((c) => !scored.has(c.id)), a.backend, o.cacheDir ?? DEFAULT_CACHE_DIR);
  const data = buildPublicData(a, new Map(calls.map((c) => [c.id, c])), reference);

  const homework = homeworkFiles(kit, a);
  const fromKit = kitFiles(kit, a, homework);
  const files = new Map<string, Buffer>([...fromKit].map(([rel, buf]) => [handoutPathOf(rel, shippedReads(kit, a))!, buf]));
  const kitPackage = readKitPackage(kit);
  const scripts = handoutScripts(HOMEWORK_DIR, (rel) => files.has(rel));
  const packageJson = handoutPackageJson(kitPackage, topFolder(a.codeDir), `${a.title}: the student handout`, scripts);
  const homeworkTexts = new Map([...homework].map(([rel, text]) => [handoutPathOf(rel)!, text]));
  const datasets = Object.keys((JSON.parse(fs.readFileSync(path.join(kit, DATASETS_DIR, 'manifest.json'), 'utf8')) as { datasets: object }).datasets).sort();
  const readme = renderReadme({ assignmentDir: a.codeDir, data, totalPoints: a.totalPoints, homeworkDir: HOMEWORK_DIR, datasets, functions: functionsOf(homeworkTexts) });
  const generated: [string, string][] = [
    [PUBLIC_CASES, `${JSON.stringify(data)}\n`],
    ['package.json', packageJson],
    ['package-lock.json', handoutLockfile(kit, packageJson)],
    ['tsconfig.json', HANDOUT_TSCONFIG],
    ['jest.config.js', HANDOUT_JEST_CONFIG],
    ['.gitignore', HANDOUT_GITIGNORE],
    ['README.md', readme.text],
  ];
  for (const [rel, text] of generated) files.set(rel, Buffer.from(text, 'utf8'));

  const imports = importProblems(files, new Set([...RUNTIME_PACKAGES, ...OPTIONAL_PACKAGES, ...DEV_PACKAGES]));
  if (imports.length > 0) throw new HandoutError(imports);

  fs.mkdirSync(o.outDir, { recursive: true });
  const archive = path.join(o.outDir, archiveName(a.codeDir));
  const temp = `${archive}.${process.pid}.tmp`;
  await writeArchive(temp, topFolder(a.codeDir), files);
  const publicSources = [...files].filter(([rel]) => rel.startsWith(`${PROVIDED_DIR}/`) || rel.startsWith(`${HOMEWORK_DIR}/`)).map(([, b]) => b.toString('utf8'));
  const rules = leakRules(kit, a, data, calls, reference, publicSources, o.secret);
  const leaks = await checkArchive(temp, rules);
  if (leaks.length > 0) {
    fs.rmSync(temp, { force: true });
    throw new HandoutError(leaks);
  }
  fs.renameSync(temp, archive);
  return { archive, files: [...files.keys()].sort(), bytes: fs.statSync(archive).size, warnings: readme.warnings, rules };
}
