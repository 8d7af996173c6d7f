// The student handout end to end (built, unpacked and linked to this repository's node_modules by
// support.ts), its own Jest run in a child process: as shipped every public test fails with its
// one-line not-implemented message; with the solutions every public test passes; with one buggy
// file the expected question fails with the grader's hint and shows the case's inputs. Also the
// leak check (on the archive and on planted leaks), npm run submit, npm run train and the
// lockfile. Local runs with limits (loops, load failures, leaks, submit's refusal): local-runs.test.ts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { buildHandout } from '../../authoring/handout/build';
import { CONTRACT, topFolder } from '../../authoring/handout/layout';
import { checkArchive, leakProblems, readArchive } from '../../authoring/handout/leak-check';
import { loadAssignment } from '../../grader/assignment/load';
import { isThresholdCase } from '../../grader/cases/build';
import { DEV_SECRET } from '../../grader/cases/seed';
import { prepareSubmission } from '../../grader/intake';
import { buggyManifest, buggySubmission } from '../../scripts/examples/buggy';
import { CACHE_DIR, ROOT } from '../grader/support';
import { brokenCitations, citationsIn, contractSections } from '../contract/citations';
import { childEnv, testsOf as tests, UnpackedHandout } from './support';

const BUGGY = 'expectile-swapped-tau';
let h: UnpackedHandout;
let work: string;
let dir: string;

beforeAll(async () => {
  h = await UnpackedHandout.build();
  ({ work, dir } = h);
}, 600_000);

afterAll(() => h?.remove());

const data = () => h.data();
const handoutJest = (...args: string[]) => h.jest(args);
const tsx = (args: string[]) => h.tsx(args);
const useSubmission = (from: string) => h.useSubmission(from);

test('the archive passes the leak check and holds the starter, never the solutions', async () => {
  expect(await checkArchive(h.handout.archive, h.handout.rules)).toEqual([]);
  const a = loadAssignment();
  expect(h.handout.files).toEqual(expect.arrayContaining(['README.md', 'package.json', 'package-lock.json', 'tests/public-cases.json', ...a.files.map((f) => `homework/${f}`)]));
  expect(h.handout.files.filter((f) => /^solutions\/|variants|cases\/seed|assignment\.yaml$/.test(f))).toEqual([]);
  const homework = fs.readFileSync(path.join(dir, 'homework/iql.ts'), 'utf8');
  expect(homework).toContain("throw new NotImplementedError('expectileLoss', 'Q3.1')");
  // Every visible case that is not a training run is a public case; no hidden one is.
  const publicIds = data().questions.flatMap((q) => q.cases.map((c) => c.id)).sort();
  expect(publicIds).toEqual(a.cases.filter((c) => c.visibility === 'visible' && !isThresholdCase(c)).map((c) => c.id).sort());
});

test('the handout ships docs/contract.md, and every citation of it in the handout names a section there', () => {
  const contract = fs.readFileSync(path.join(dir, CONTRACT), 'utf8');
  expect(contract).toBe(fs.readFileSync(path.join(ROOT, CONTRACT), 'utf8'));
  const texts = h.handout.files.filter((f) => /\.(ts|js|md|yaml)$/.test(f)).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')] as const);
  const cited = texts.flatMap(([f, text]) => citationsIn(f, text));
  // The README's question groups and the homework files' headers cite it.
  expect(cited.filter((c) => c.file === 'README.md').length).toBeGreaterThanOrEqual(7);
  expect(cited.filter((c) => c.file.startsWith('homework/')).length).toBeGreaterThanOrEqual(8);
  expect(brokenCitations(cited, contractSections(contract))).toEqual([]);
});

test('the leak check catches each kind of planted leak', async () => {
  const { files } = await readArchive(h.handout.archive);
  const hiddenId = h.handout.rules.hiddenIds[0];
  const hiddenNumber = [...h.handout.rules.hiddenNumbers][0];
  const solutionLine = [...h.handout.rules.solutionLines][0];
  const plant = (rel: string, text: string) => leakProblems(new Map([...files, [`${topFolder(loadAssignment().codeDir)}/${rel}`, Buffer.from(text)]]), h.handout.rules);
  expect(plant('solutions/iql.ts', 'export {};\n').join('\n')).toMatch(/solutions\/iql\.ts: the reference solutions must never ship/);
  expect(plant('grader/diagnostics/variants.ts', 'export {};\n').join('\n')).toMatch(/diagnostic variants/);
  expect(plant('grader/cases/seed.ts', 'export {};\n').join('\n')).toMatch(/hidden case generation/);
  expect(plant('grader/child/main.ts', 'export {};\n').join('\n')).toMatch(/grader's child entry \(it loads the diagnostic variants\)/);
  expect(plant('grader/sandbox/run.ts', 'export {};\n').join('\n')).toMatch(/the sandbox \(only its types/);
  expect(plant('grader/runner/launch.ts', 'export {};\n').join('\n')).toMatch(/grader internals/);
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
  expect(fs.readFileSync(again.archive).equals(fs.readFileSync(h.handout.archive))).toBe(true);
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

test('as shipped, the handout type-checks with its own tsconfig (npm run typecheck), the grader files it ships included', () => {
  const r = spawnSync(process.execPath, [path.join(dir, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'], { cwd: dir, env: childEnv(), encoding: 'utf8', timeout: 180_000 });
  expect(r.stdout).toBe('');
  expect(r.status).toBe(0);
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

test(`with the buggy submission ${BUGGY}, its question fails with the case's inputs, the grader's hint and the worst elements`, () => {
  const m = buggyManifest(BUGGY);
  useSubmission(buggySubmission(BUGGY));
  const run = handoutJest('-t', m.question);
  const failed = tests(run).filter((t) => t.status === 'failed');
  expect(failed.map((t) => t.ancestorTitles[0].split(' ')[0])).toContain(m.question);
  const test = failed.find((t) => t.ancestorTitles[0].startsWith(`${m.question} `))!;
  const message = test.failureMessages[0];
  // The inputs: a small tensor with its values, and where all of them are in the handout.
  const c = data().questions.find((q) => q.id === m.question)!.cases.find((x) => x.name === test.title)!;
  const u = (c.call.args[0] as { data: number[] }).data.map((x) => Number(x.toPrecision(6)));
  expect(message).toContain(`Called with: u [${u.length}] = [${u.join(', ')}], tau = ${c.call.args[1]}\n`);
  expect(message).toContain(`All inputs: tests/public-cases.json, the case with "id": "${c.id}" (its call.args, in the order u, tau).`);
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
