// The Gradescope autograder: `rlgrade autograder` builds the zip; the zip is unpacked the way
// Gradescope does it (into <root>/source, with the kit's node_modules linked in place of setup.sh's
// `npm ci`), and the REAL run_autograder runs on temporary folders laid out like /autograder
// (RLHW_AUTOGRADER_ROOT). results.json must exist and validate in every case: a graded reference,
// a missing submission, a grader that cannot start, no node at all, and a time-out.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { loadAssignment } from '../../grader/assignment/load';
import { DEV_SECRET } from '../../grader/cases/seed';
import { centralEntries, readAt, readDirectoryEnd, type ZipEntry } from '../../grader/intake/zip-format';
import { validateResults, type GradescopeResults } from '../../grader/results';
import { CACHE_DIR, ROOT } from '../grader/support';

const RLGRADE = path.join(ROOT, 'grader/bin/rlgrade.js');
/** A sandbox user of this test's own (runs on one user are serialised across processes). */
const SANDBOX_USER = 'rlhw-gs-test';
const METADATA = {
  id: 123456,
  created_at: '2025-03-04T10:00:00.000000-08:00',
  submission_method: 'upload',
  assignment: { due_date: '2025-03-02T23:59:00.000000-08:00', late_due_date: null, title: 'Offline RL', total_points: '100.0', id: 1, course_id: 2 },
  users: [{ email: 'ada@example.edu', id: 77, name: 'Ada Lovelace' }],
  previous_submissions: [],
};

let tmp: string;
let zipFile: string;
let entries: ZipEntry[];

async function zipEntries(file: string): Promise<ZipEntry[]> {
  const fh = await fsp.open(file, 'r');
  try {
    const dir = await readDirectoryEnd(fh, (await fh.stat()).size);
    return [...centralEntries(await readAt(fh, dir.offset, dir.size))];
  } finally {
    await fh.close();
  }
}

/** A folder laid out like /autograder: the unpacked zip in source/, optionally a submission. */
function layout(name: string, o: { submission?: string; metadata?: boolean; zip?: { file: string; entries: ZipEntry[] } }): string {
  const root = path.join(tmp, name);
  const source = path.join(root, 'source');
  fs.mkdirSync(source, { recursive: true });
  fs.chmodSync(root, 0o755); // as on Gradescope: the sandbox user goes through it to the kit
  fs.chmodSync(source, 0o755);
  const zip = o.zip ?? { file: zipFile, entries };
  const modes = new Map(zip.entries.map((e) => [e.name, e.unixMode ?? 0o644]));
  for (const [name, data] of Object.entries(unzipSync(fs.readFileSync(zip.file)))) {
    const file = path.join(source, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data, { mode: modes.get(name)! & 0o777 });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'));
  fs.copyFileSync(path.join(source, 'run_autograder'), path.join(root, 'run_autograder'));
  fs.chmodSync(path.join(root, 'run_autograder'), 0o755);
  if (o.submission) fs.cpSync(o.submission, path.join(root, 'submission'), { recursive: true });
  if (o.metadata) fs.writeFileSync(path.join(root, 'submission_metadata.json'), JSON.stringify(METADATA));
  return root;
}

/** Runs the real script, as Gradescope does (root's cwd, no arguments). */
function runAutograder(root: string, env: Record<string, string> = {}): { stdout: string; results: GradescopeResults } {
  const r = spawnSync(path.join(root, 'run_autograder'), [], {
    cwd: '/',
    encoding: 'utf8',
    timeout: 300_000,
    env: {
      ...process.env,
      RLHW_AUTOGRADER_ROOT: root,
      RLGRADE_CACHE_DIR: CACHE_DIR,
      RLHW_SKIP_TRAINING: '1',
      RLHW_SANDBOX_USER: SANDBOX_USER,
      RLHW_COURSE_SECRET: '',
      ...env,
    },
  });
  expect(r.status).toBe(0); // run_autograder succeeds whenever results.json was written
  const results = JSON.parse(fs.readFileSync(path.join(root, 'results/results.json'), 'utf8')) as GradescopeResults;
  expect(validateResults(results)).toEqual([]);
  return { stdout: r.stdout + r.stderr, results };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-gs-'));
  fs.chmodSync(tmp, 0o755);
  const secretFile = path.join(tmp, 'secret');
  fs.writeFileSync(secretFile, `${DEV_SECRET}\n`); // the tests' shared reference cache is for it
  execFileSync(process.execPath, [RLGRADE, 'autograder', '--out', path.join(tmp, 'dist'), '--secret-file', secretFile], { encoding: 'utf8' });
  zipFile = path.join(tmp, 'dist/autograder.zip');
  entries = await zipEntries(zipFile);
}, 60_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the autograder zip', () => {
  test('has setup.sh and run_autograder at its root, executable, the kit, a root-only secret, and no node_modules', () => {
    const byName = new Map(entries.map((e) => [e.name, e]));
    for (const script of ['setup.sh', 'run_autograder']) expect((byName.get(script)?.unixMode ?? 0) & 0o777).toBe(0o755);
    expect((byName.get('course-secret')?.unixMode ?? 0) & 0o777).toBe(0o600);
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'grader/bin/autograder.js', 'assignments/offline-rl/solutions/iql.ts', 'assignments/offline-rl/starter/iql.ts', 'assignments/offline-rl/public/index.ts', 'assignments/offline-rl/private/index.ts', 'provided/runtime/backend.ts', 'assignments/offline-rl/assignment.yaml', 'fixtures/datasets/manifest.json']) {
      expect(byName.has(needed)).toBe(true);
    }
    const names = entries.map((e) => e.name);
    expect(names.filter((n) => n.includes('node_modules/') || /^(tests|authoring|scripts|docs)\//.test(n))).toEqual([]);
    expect(names).toEqual([...names].sort());
    const secret = unzipSync(fs.readFileSync(zipFile), { filter: (f) => f.name === 'course-secret' })['course-secret'];
    expect(Buffer.from(secret).toString()).toBe(`${DEV_SECRET}\n`);
  });
});

describe('run_autograder', () => {
  test('grades the reference: valid results, full marks outside training, secrets root-only, metadata in the staff log', () => {
    const root = layout('reference', { submission: path.join(ROOT, 'solutions'), metadata: true });
    const { stdout, results } = runAutograder(root);
    expect(results.extra_data?.autograder_error).toBeUndefined();
    const tests = results.tests ?? [];
    // RLHW_SKIP_TRAINING leaves out the end-to-end runs (questions that list no function): they score 0.
    const endToEnd = new Set(loadAssignment().questions.filter((q) => q.functions.length === 0 && !q.manual).map((q) => q.id));
    const graded = tests.filter((t) => !(t.tags ?? []).some((tag) => endToEnd.has(tag)));
    expect(graded.length).toBeGreaterThan(40);
    expect(graded.filter((t) => t.score !== t.max_score).map((t) => t.name)).toEqual([]);
    expect(stdout).toContain('Ada Lovelace <ada@example.edu>');
    expect(stdout).toContain('due 2025-03-03T07:59:00.000Z, late'); // submitted after the due date
    // The report names the student from the metadata, not the folder Gradescope unpacked into.
    expect(fs.readFileSync(path.join(root, 'results/report.html'), 'utf8')).toContain('<p class="student">Ada Lovelace</p>');
    expect(stdout).toContain(`course secret from ${path.join(root, 'source/course-secret')}`);
    const mode = (p: string) => fs.statSync(path.join(root, p)).mode & 0o777;
    if (process.getuid?.() === 0) {
      expect(stdout).toContain(`uid:${SANDBOX_USER}`);
      expect({ source: mode('source'), solutions: mode('source/assignments/offline-rl/solutions'), secret: mode('source/course-secret'), results: mode('results'), metadata: mode('submission_metadata.json') })
        .toEqual({ source: 0o711, solutions: 0o700, secret: 0o600, results: 0o700, metadata: 0o600 });
    }
  }, 300_000);

  test('a damaged submission.zip: its reason is the first line the student reads, and the staff log says so', () => {
    const upload = path.join(tmp, 'damaged-upload');
    fs.mkdirSync(upload);
    const zip = zipSync({ 'iql.ts': fs.readFileSync(path.join(ROOT, 'solutions/iql.ts')), 'awr.ts': fs.readFileSync(path.join(ROOT, 'solutions/awr.ts')) });
    fs.writeFileSync(path.join(upload, 'submission.zip'), zip.subarray(0, zip.length - 100)); // cut off while uploading
    const { stdout, results } = runAutograder(layout('damaged', { submission: upload }));
    expect(results.extra_data?.autograder_error).toBeUndefined(); // a grade of what was sent, not a grader failure
    expect(results.output!.split('\n')[0]).toMatch(/^\*\*Nothing could be graded: the archive 'submission\.zip' is damaged or incomplete/);
    expect(stdout).toContain("upload unreadable (the student's first line): Nothing could be graded: the archive 'submission.zip' is damaged");
  }, 300_000);

  test('without a submission: a zero-score failure result that says so', () => {
    const root = layout('missing', {});
    const { stdout, results } = runAutograder(root);
    expect(results).toMatchObject({ score: 0, tests: [], extra_data: { autograder_error: true } });
    expect(results.output).toContain('no submission');
    expect(stdout).toContain('not found (grading without it)'); // no metadata either
  }, 60_000);

  test('when the grader cannot start, when node is missing, and on a time-out, the script writes the failure result itself', () => {
    const root = layout('broken', { submission: path.join(ROOT, 'solutions') });
    const entry = path.join(root, 'source/grader/bin/autograder.js');
    fs.renameSync(entry, `${entry}.off`);
    expect(runAutograder(root).results).toMatchObject({ score: 0, extra_data: { autograder_error: true, reason: 'the grader stopped with exit status 1' } });
    fs.renameSync(`${entry}.off`, entry);

    // A PATH with the shell tools the script uses, but no node.
    const bin = path.join(tmp, 'bin-without-node');
    fs.mkdirSync(bin, { recursive: true });
    for (const tool of ['bash', 'mkdir', 'rm', 'uname', 'nproc', 'timeout']) {
      const target = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      if (!fs.existsSync(path.join(bin, tool))) fs.symlinkSync(target, path.join(bin, tool));
    }
    const noNode = runAutograder(root, { PATH: bin });
    expect(noNode.results.extra_data).toEqual({ autograder_error: true, reason: "the grader's runtime (node) is not installed" });

    // A grader that hangs past its budget (here: one that never returns) is stopped 30 s after it.
    // Without a budget file in the cache (one built before them), the grader gives the budget.
    fs.renameSync(entry, `${entry}.off`);
    fs.writeFileSync(entry, "if (process.argv[2] === 'time-budget') console.log(1); else setInterval(() => {}, 1000);\n");
    const cache = path.join(tmp, 'budget-cache');
    fs.mkdirSync(cache, { recursive: true });
    const late = runAutograder(root, { RLGRADE_CACHE_DIR: cache });
    expect(late.results.extra_data).toEqual({ autograder_error: true, reason: 'grading took longer than its budget of 1 s and did not stop' });
    expect(late.stdout).toContain('time budget 1 s (from assignment.yaml)');

    // With the files `rlgrade build` writes, the script reads the one of RLHW_ASSIGNMENT and starts
    // no Node process for it (gradescope/time-budget.ts). It also puts back, root-only, the tsx
    // cache the grader image keeps (Dockerfile), where tsx looks ($TMPDIR/tsx-<uid>).
    fs.writeFileSync(path.join(cache, 'time-budget'), '5\n');
    fs.writeFileSync(path.join(cache, 'time-budget-assignments_offline-rl'), '2\n');
    fs.mkdirSync(path.join(cache, 'tsx-cache'));
    fs.writeFileSync(path.join(cache, 'tsx-cache', 'kept'), 'transformed\n', { mode: 0o644 });
    const runTmp = fs.mkdtempSync(path.join(tmp, 'run-tmp-'));
    const cached = runAutograder(root, { RLGRADE_CACHE_DIR: cache, RLHW_ASSIGNMENT: './assignments/offline-rl/', TMPDIR: runTmp });
    expect(cached.results.extra_data).toEqual({ autograder_error: true, reason: 'grading took longer than its budget of 2 s and did not stop' });
    expect(cached.stdout).toContain(`time budget 2 s (from ${path.join(cache, 'time-budget-assignments_offline-rl')})`);
    const kept = path.join(runTmp, `tsx-${process.getuid!()}`);
    expect(fs.readFileSync(path.join(kept, 'kept'), 'utf8')).toBe('transformed\n');
    expect([fs.statSync(kept).mode & 0o777, fs.statSync(path.join(kept, 'kept')).mode & 0o777]).toEqual([0o700, 0o600]);
    fs.renameSync(`${entry}.off`, entry);
  }, 240_000);

  test('an infinite loop in one function costs only what it touches: the budget ends grading with every point earned kept', () => {
    const submission = path.join(tmp, 'looping-submission');
    fs.cpSync(path.join(ROOT, 'solutions'), submission, { recursive: true, dereference: true });
    const policy = path.join(submission, 'policy.ts');
    const text = fs.readFileSync(policy, 'utf8');
    const at = text.indexOf('{', text.indexOf('export function gaussianLogProb(')) + 1;
    fs.writeFileSync(policy, `${text.slice(0, at)}\n  for (;;) {}\n${text.slice(at)}`);
    const root = layout('looping', { submission });
    const { results } = runAutograder(root, { RLHW_TIME_LIMIT: '75' });
    // A grade, not the "could not finish" failure: the grader stopped itself at its budget.
    expect(results.extra_data?.autograder_error).toBeUndefined();
    const tests = results.tests ?? [];
    const byName = (part: string) => tests.find((t) => (t.name ?? '').includes(part))!;
    expect(byName('gaussian-logprob-small').output).toMatch(/did not finish: the time limit was exceeded/);
    expect(byName('gaussian-logprob-hidden').output).toMatch(/This case was not run: gaussianLogProb already ran out of time on case gaussian-logprob-small\./);
    // Everything before the loop kept its points; what the budget did not reach says so.
    expect(tests.filter((t) => (t.tags ?? []).includes('Q1.1')).every((t) => t.score === t.max_score)).toBe(true);
    expect(tests.some((t) => /This case was not run: the grading's total time ran out before this case\./.test(t.output ?? ''))).toBe(true);
    expect(results.output ?? '').not.toMatch(/could not finish grading/);
  }, 240_000);
});

describe('the CQL homework, through the same engine', () => {
  test('rlgrade autograder --assignment assignments/cql writes cql-autograder.zip, whose run_autograder gives the CQL reference every point, its training run included', async () => {
    const secretFile = path.join(tmp, 'secret');
    execFileSync(process.execPath, [RLGRADE, 'autograder', '--assignment', path.join(ROOT, 'assignments/cql'), '--out', path.join(tmp, 'dist'), '--secret-file', secretFile], { encoding: 'utf8' });
    const file = path.join(tmp, 'dist/cql-autograder.zip');
    const cqlEntries = await zipEntries(file);
    const names = cqlEntries.map((e) => e.name);
    expect(names).toContain('assignments/cql/private/index.ts');
    expect(names.filter((n) => n.startsWith('assignments/offline-rl/') || n.includes('/buggy/'))).toEqual([]);
    const pkg = JSON.parse(Buffer.from(unzipSync(fs.readFileSync(file), { filter: (f) => f.name === 'package.json' })['package.json']).toString()) as { rlgrade: { defaultAssignment: string } };
    expect(pkg.rlgrade.defaultAssignment).toBe('assignments/cql');
    const root = layout('cql-reference', { submission: path.join(ROOT, 'assignments/cql/solutions'), metadata: true, zip: { file, entries: cqlEntries } });
    const { results } = runAutograder(root, { RLHW_SKIP_TRAINING: '0' });
    expect(results.extra_data?.autograder_error).toBeUndefined();
    const tests = results.tests ?? [];
    expect(tests.reduce((sum, t) => sum + (t.score ?? 0), 0)).toBeCloseTo(70, 6);
    expect(tests.filter((t) => t.score !== t.max_score).map((t) => t.name)).toEqual([]);
    expect(results.leaderboard?.map((l) => l.name)).toEqual(['CQL success on stitch']);
  }, 300_000);
});
