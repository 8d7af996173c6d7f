// The student handout end to end: build it, unpack it, "install" it by linking this repository's
// node_modules (fast and offline), and run its own Jest in a child process: as shipped every public
// test fails with its one-line not-implemented message; with the solutions every public test
// passes; with one buggy file the expected question fails with the grader's hint. Also the leak
// check (on the archive and on planted leaks), npm run submit, npm run train and the lockfile.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import * as tar from 'tar';
import { buildHandout, type Handout } from '../../authoring/handout/build';
import { CONTRACT, topFolder } from '../../authoring/handout/layout';
import { checkArchive, leakProblems, readArchive } from '../../authoring/handout/leak-check';
import { loadAssignment } from '../../grader/assignment/load';
import { isThresholdCase } from '../../grader/cases/build';
import { DEV_SECRET } from '../../grader/cases/seed';
import { prepareSubmission } from '../../grader/intake';
import type { PublicData } from '../../handout/public-cases';
import { buggyManifest, buggySubmission } from '../../scripts/examples/buggy';
import { CACHE_DIR, ROOT } from '../grader/support';
import { brokenCitations, citationsIn, contractSections } from '../contract/citations';

const BUGGY = 'expectile-swapped-tau';
let work: string;
let handout: Handout;
let dir: string;

/** The child's environment: nothing of this Jest run leaks into the handout's own Jest. */
function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JEST_') && k !== 'RLHW_BACKEND' && k !== 'NODE_OPTIONS'));
  return { ...env, FORCE_COLOR: '0', npm_lifecycle_event: 'test' };
}

interface JestRun {
  json: { numFailedTests: number; numPassedTests: number; numPendingTests: number; testResults: { assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[] };
  stderr: string;
}

/** The handout's `npm test` (its Jest, its config, its reporter), with `args`. */
function handoutJest(...args: string[]): JestRun {
  const out = path.join(work, `jest-${Date.now()}.json`);
  const r = spawnSync(process.execPath, [path.join(dir, 'node_modules/jest/bin/jest.js'), '--json', `--outputFile=${out}`, ...args], { cwd: dir, env: childEnv(), encoding: 'utf8', timeout: 180_000 });
  if (!fs.existsSync(out)) throw new Error(`the handout's jest wrote no results: ${r.stderr.slice(-2000)}`);
  return { json: JSON.parse(fs.readFileSync(out, 'utf8')), stderr: r.stderr };
}

const tests = (run: JestRun) => run.json.testResults.flatMap((f) => f.assertionResults);
const tsx = (args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [path.join(dir, 'node_modules/tsx/dist/cli.mjs'), ...args], { cwd: dir, env: childEnv(), encoding: 'utf8', timeout: 180_000 });

/** Copies `from`'s submission files into the handout's homework/. */
function useSubmission(from: string): void {
  for (const f of loadAssignment().files) fs.copyFileSync(path.join(from, f), path.join(dir, 'homework', f));
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-handout-test-'));
  handout = await buildHandout({ outDir: path.join(work, 'dist'), secret: DEV_SECRET, cacheDir: CACHE_DIR });
  await tar.x({ file: handout.archive, cwd: work });
  dir = path.join(work, topFolder(loadAssignment().codeDir));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
}, 600_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const data = (): PublicData => JSON.parse(fs.readFileSync(path.join(dir, 'tests/public-cases.json'), 'utf8')) as PublicData;

test('the archive passes the leak check and holds the starter, never the solutions', async () => {
  expect(await checkArchive(handout.archive, handout.rules)).toEqual([]);
  const a = loadAssignment();
  expect(handout.files).toEqual(expect.arrayContaining(['README.md', 'package.json', 'package-lock.json', 'tests/public-cases.json', ...a.files.map((f) => `homework/${f}`)]));
  expect(handout.files.filter((f) => /^solutions\/|variants|cases\/seed|assignment\.yaml$/.test(f))).toEqual([]);
  const homework = fs.readFileSync(path.join(dir, 'homework/iql.ts'), 'utf8');
  expect(homework).toContain("throw new NotImplementedError('expectileLoss', 'Q3.1')");
  // Every visible case that is not a training run is a public case; no hidden one is.
  const publicIds = data().questions.flatMap((q) => q.cases.map((c) => c.id)).sort();
  expect(publicIds).toEqual(a.cases.filter((c) => c.visibility === 'visible' && !isThresholdCase(c)).map((c) => c.id).sort());
});

test('the handout ships docs/contract.md, and every citation of it in the handout names a section there', () => {
  const contract = fs.readFileSync(path.join(dir, CONTRACT), 'utf8');
  expect(contract).toBe(fs.readFileSync(path.join(ROOT, CONTRACT), 'utf8'));
  const texts = handout.files.filter((f) => /\.(ts|js|md|yaml)$/.test(f)).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')] as const);
  const cited = texts.flatMap(([f, text]) => citationsIn(f, text));
  // The README's question groups and the homework files' headers cite it.
  expect(cited.filter((c) => c.file === 'README.md').length).toBeGreaterThanOrEqual(7);
  expect(cited.filter((c) => c.file.startsWith('homework/')).length).toBeGreaterThanOrEqual(8);
  expect(brokenCitations(cited, contractSections(contract))).toEqual([]);
});

test('the leak check catches each kind of planted leak', async () => {
  const { files } = await readArchive(handout.archive);
  const hiddenId = handout.rules.hiddenIds[0];
  const hiddenNumber = [...handout.rules.hiddenNumbers][0];
  const solutionLine = [...handout.rules.solutionLines][0];
  const plant = (rel: string, text: string) => leakProblems(new Map([...files, [`${topFolder(loadAssignment().codeDir)}/${rel}`, Buffer.from(text)]]), handout.rules);
  expect(plant('solutions/iql.ts', 'export {};\n').join('\n')).toMatch(/solutions\/iql\.ts: the reference solutions must never ship/);
  expect(plant('grader/diagnostics/variants.ts', 'export {};\n').join('\n')).toMatch(/diagnostic variants/);
  expect(plant('grader/cases/seed.ts', 'export {};\n').join('\n')).toMatch(/hidden case generation/);
  expect(plant('notes.txt', 'hello\n').join('\n')).toMatch(/notes\.txt: not on the handout's allow-list/);
  expect(plant('homework/iql.ts', '  // BEGIN SOLUTION\n').join('\n')).toMatch(/homework\/iql\.ts:1: a solution marker/);
  expect(plant('homework/iql.ts', `  ${solutionLine}\n`).join('\n')).toMatch(/a line of a solution region/);
  expect(plant('tests/public-cases.json', `{"id": "${hiddenId}"}\n`).join('\n')).toContain(`names the hidden case '${hiddenId}'`);
  expect(plant('tests/public-cases.json', `[${hiddenNumber}]\n`).join('\n')).toMatch(/number\(s\) of hidden cases/);
  expect(plant('README.md', `the secret is ${DEV_SECRET}\n`).join('\n')).toMatch(/README\.md: holds the course secret/);
  expect(plant('fixtures/datasets/stitch.npz', 'PK\u0003\u0004 not the kit file').join('\n')).toMatch(/not byte-identical/);
});

test('the same kit gives the same archive bytes', async () => {
  const again = await buildHandout({ outDir: path.join(work, 'again'), secret: DEV_SECRET, cacheDir: CACHE_DIR });
  expect(fs.readFileSync(again.archive).equals(fs.readFileSync(handout.archive))).toBe(true);
}, 300_000);

test('as shipped, every public test fails with one line: not implemented yet', () => {
  const run = handoutJest();
  const ran = tests(run).filter((t) => t.status !== 'pending');
  expect(ran.length).toBeGreaterThan(20);
  expect(run.json.numPassedTests).toBe(0);
  for (const t of ran) {
    expect({ test: t.title, line: t.failureMessages[0].split('\n')[0] }).toEqual({ test: t.title, line: expect.stringMatching(/^not implemented yet: \w+ \(Q[\d.]+\)$/) });
  }
  // Named by question, and printed as that one line.
  expect(run.stderr).toContain('● Q3.1 expectileLoss › expectile-check\n\n    not implemented yet: expectileLoss (Q3.1)\n\n');
  expect(run.stderr).toMatch(/Q3\.1 +Expectile loss +0\.00 \/ 2\.00 +not implemented/);
}, 180_000);

test('npm run submit warns about stubs and type errors and still writes exactly the submission files', async () => {
  fs.appendFileSync(path.join(dir, 'homework/rcbc.ts'), '\nexport const broken: number = "text";\n');
  const r = tsx(['scripts/submit.ts']);
  expect(r.status).toBe(0);
  expect(r.stderr).toContain('iql.ts: expectileLoss (Q3.1)');
  expect(r.stderr).toMatch(/homework\/rcbc\.ts:\d+: Type 'string' is not assignable to type 'number'/);
  const zip = path.join(dir, 'submission.zip');
  const files = loadAssignment().files;
  expect(Object.keys(unzipSync(fs.readFileSync(zip))).sort()).toEqual([...files].sort());
  const intake = await prepareSubmission(zip, files, path.join(work, 'intake'));
  expect(intake.missing).toEqual([]);
}, 180_000);

test('with the solutions every public test passes and the summary gives every public point', () => {
  useSubmission(path.join(ROOT, 'solutions'));
  const started = performance.now();
  const run = handoutJest();
  // Measured for the report, not asserted: the whole public suite of the handout, on wasm.
  process.stderr.write(`handout public suite with the solutions: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  expect(tests(run).filter((t) => t.status === 'failed').map((t) => `${t.ancestorTitles[0]} ${t.title}: ${t.failureMessages[0]}`)).toEqual([]);
  const expected = data().questions.flatMap((q) => q.cases.filter((c) => !c.wholeRun)).length;
  expect(run.json.numPassedTests).toBe(expected);
  const total = data().questions.filter((q) => q.kind === 'cases').reduce((s, q) => s + q.publicPoints, 0);
  const whole = data().questions.filter((q) => q.cases.length > 0 && q.cases.every((c) => c.wholeRun)).reduce((s, q) => s + q.publicPoints, 0);
  expect(run.stderr).toContain(`Total: ${(total - whole).toFixed(2)} of ${total.toFixed(2)} public points`);
}, 180_000);

test('npm run train -- --algo iql trains with the homework files and writes the run outputs', () => {
  const r = tsx(['provided/train/cli.ts', '--impl', 'homework', '--algo', 'iql', '--steps', '20', '--episodes', '1', '--out', 'runs/smoke', '--no-progress']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  for (const f of ['metrics.json', 'learning-curve.svg', 'trajectories.svg']) expect(fs.existsSync(path.join(dir, 'runs/smoke', f))).toBe(true);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts.train).toBe('tsx provided/train/cli.ts --impl homework');
}, 180_000);

test(`with the buggy submission ${BUGGY}, its question fails with the grader's hint and the worst elements`, () => {
  const m = buggyManifest(BUGGY);
  useSubmission(buggySubmission(BUGGY));
  const run = handoutJest('-t', m.question);
  const failed = tests(run).filter((t) => t.status === 'failed');
  expect(failed.map((t) => t.ancestorTitles[0].split(' ')[0])).toContain(m.question);
  const message = failed.find((t) => t.ancestorTitles[0].startsWith(`${m.question} `))!.failureMessages[0];
  expect(message).toMatch(/^Called with: u \[\d+\], tau = [\d.]+$/m);
  expect(message).toMatch(/^ {2}result\[\d+\]: expected -?[\d.e-]+, got -?[\d.e-]+$/m);
  expect(message).toContain(`Hint: `);
  expect(message).toContain(m.hint_contains);
}, 180_000);

test('the lockfile installs with npm ci (dry run, offline)', () => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, env: childEnv(), encoding: 'utf8', timeout: 120_000 });
  expect(r.stderr.split('\n').filter((l) => /ERR/.test(l))).toEqual([]);
  expect(r.status).toBe(0);
});
