// `rlgrade batch`, `merge` and `diff` end to end, as child processes, on a small Gradescope
// export (reference, starter, two buggy, one hostile), graded fast: plain isolation, no training.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateResults } from '../../grader/results';
import type { BatchManifest, GradingRecord } from '../../grader/batch/types';
import { assignmentSnapshot, BUGGY, fastFlags, makeExport, NAMES, read, rlgrade, rlgradeAsync, tempDir, waitFor } from './support';
import { buggySource, buggyManifest } from '../../scripts/examples/buggy';

// Minutes only on a machine busy with other work; about a minute otherwise.
jest.setTimeout(900_000);

const assignment = assignmentSnapshot();
const input = makeExport();
const flags = fastFlags(assignment);
const single = tempDir('single');
let singleRun: ReturnType<typeof rlgrade>;

const record = (dir: string, name: string): GradingRecord => JSON.parse(read(path.join(dir, 'submissions', name, 'grading.json')));
const manifest = (dir: string): BatchManifest => JSON.parse(read(path.join(dir, 'batch.json')));
const gradebook = (dir: string): string => read(path.join(dir, 'gradebook.csv'));
const folders = (dir: string): string[] => fs.readdirSync(path.join(dir, 'submissions')).sort();

beforeAll(() => {
  singleRun = rlgrade(['batch', input, '--out', single, '--workers', '2', ...flags]);
});

test('a batch over a Gradescope export: one result per submission, students from the metadata, the hostile one an error', () => {
  expect(singleRun.stderr).not.toMatch(/rlgrade batch: (?!\[|\d+ submission|note)/); // progress lines only
  expect(singleRun.status).toBe(0);
  expect(singleRun.stdout).toMatch(/5 submission\(s\), 5 graded now, 0 up to date; 4 ok, 0 timeout, 0 missing-files, 0 bad-upload, 1 error/);
  expect(folders(single)).toEqual(NAMES);
  for (const name of NAMES) {
    const results = JSON.parse(read(path.join(single, 'submissions', name, 'results.json')));
    expect(validateResults(results)).toEqual([]);
  }
  for (const name of NAMES.slice(0, 4)) {
    for (const f of ['report.md', 'report.html']) expect(fs.existsSync(path.join(single, 'submissions', name, f))).toBe(true);
  }
  const rows = gradebook(single).trim().split('\n');
  expect(rows).toHaveLength(6);
  const header = rows[0].split(',');
  expect(header.slice(0, 4)).toEqual(['submission', 'student_ids', 'names', 'emails']);
  expect(header.slice(-2)).toEqual(['total', 'status']);
  expect(rows[1]).toMatch(/^submission_1001,0001,Ada Lovelace,ada@example.edu,5,/);
  // Two students; the formula-looking name is not at the start of a cell, so it stays as is.
  expect(rows[2]).toMatch(/^submission_1002,0002; 0003,Bob Baker; =1\+1,bob@example.edu; eve@example.edu,0,/);
  expect(rows[2]).toMatch(/,0,ok$/);
  expect(rows[5]).toMatch(/,0,error$/);
  const ref = record(single, 'submission_1001');
  expect(ref.status).toBe('ok');
  expect(ref.total).toBeGreaterThan(90);
  // Each buggy submission lost points on the question its mistake is about, and got a hint.
  for (const [name, fixture] of Object.entries(BUGGY)) {
    const r = record(single, name);
    const q = buggyManifest(fixture).question;
    expect(r.questions[q]).toBeLessThan(ref.questions[q]);
    expect(r.total).toBeLessThan(ref.total);
    expect(r.hints.length).toBeGreaterThan(0);
  }
  const hostile = record(single, 'submission_1005');
  expect(hostile.reason).toMatch(/grading process was killed by SIGKILL/);
  expect(JSON.parse(read(path.join(single, 'submissions', 'submission_1005', 'results.json'))).score).toBe(0);
  // Timings are kept out of the gradebook.
  expect(gradebook(single)).not.toMatch(/\d{4}-\d\d-\d\dT/);
  expect(read(path.join(single, 'timings.csv')).split('\n')[0]).toBe('submission,status,seconds,graded_at,reason');
  const summary = read(path.join(single, 'summary.html'));
  expect(summary.match(/<svg/g)).toHaveLength(4);
  expect(summary).not.toMatch(/<script/i);
  expect(summary).toContain('Most common mistakes');
});

test('N=2 shards (one from --shard, one from JOB_COMPLETION_INDEX) merged give the single-machine gradebook byte for byte', async () => {
  const s0 = tempDir('shard0');
  const s1 = tempDir('shard1');
  const a = rlgradeAsync(['batch', input, '--out', s0, '--workers', '1', '--shard', '0/2', ...flags]);
  const b = rlgradeAsync(['batch', input, '--out', s1, '--workers', '1', ...flags], { JOB_COMPLETION_INDEX: '1', RLGRADE_SHARD_COUNT: '2' });
  const [ra, rb] = await Promise.all([a.done, b.done]);
  expect([ra.status, rb.status]).toEqual([0, 0]);
  expect(rb.stderr).toContain('shard 1/2 from JOB_COMPLETION_INDEX');
  expect(manifest(s0).share).toEqual(['submission_1001', 'submission_1003', 'submission_1005']);
  expect(manifest(s1).share).toEqual(['submission_1002', 'submission_1004']);
  expect(folders(s0)).toEqual(manifest(s0).share);

  const merged = tempDir('merged');
  const m = rlgrade(['merge', s0, s1, '--out', merged]);
  expect(m.stderr).toBe('');
  expect(m.status).toBe(0);
  expect(gradebook(merged)).toBe(gradebook(single));
  expect(folders(merged)).toEqual(NAMES);
  expect(manifest(merged).shard).toBeNull();

  // Overlap: the whole batch and a shard share submissions; gap: one shard alone.
  const refused = tempDir('refused');
  const overlap = rlgrade(['merge', single, s0, '--out', refused]);
  expect(overlap.status).toBe(1);
  expect(overlap.stderr).toMatch(/^rlgrade merge: refusing to merge: 'submission_1001' is in both .* \(the shards overlap\)\n$/);
  const gap = rlgrade(['merge', s0, '--out', refused]);
  expect(gap.status).toBe(1);
  expect(gap.stderr).toMatch(/^rlgrade merge: refusing to merge: 2 of 5 submission\(s\) are in no shard given \(first: 'submission_1002'\); is a shard folder missing\?\n$/);
  expect(fs.readdirSync(refused)).toEqual([]);
});

test('a batch killed with SIGKILL mid-run and resumed ends with one result per submission and the same gradebook', async () => {
  const out = tempDir('killed');
  const run = rlgradeAsync(['batch', input, '--out', out, '--workers', '2', ...flags]);
  const finished = () => NAMES.filter((n) => fs.existsSync(path.join(out, 'submissions', n, 'grading.json')));
  await waitFor(() => finished().length >= 1 || run.child.exitCode !== null, 120_000);
  run.child.kill('SIGKILL');
  await run.done;
  const before = new Map(finished().map((n) => [n, record(out, n)]));
  expect(before.size).toBeGreaterThanOrEqual(1);
  expect(before.size).toBeLessThan(NAMES.length); // it was stopped before the end
  expect(fs.existsSync(path.join(out, 'gradebook.csv'))).toBe(false);
  // The workers end with their parent: nothing is left writing into the folder.
  await new Promise((r) => setTimeout(r, 1500));
  const left = fs.readdirSync(path.join(out, 'submissions')).sort();

  const resumed = rlgrade(['batch', input, '--out', out, '--workers', '2', '--resume', ...flags]);
  expect(resumed.status).toBe(0);
  expect(folders(out)).toEqual(NAMES); // no temporary folder left, none missing
  expect(gradebook(out)).toBe(gradebook(single)); // a second, interrupted run: the same bytes
  if (left.some((n) => n.startsWith('.tmp-'))) expect(resumed.stderr).toMatch(/removed \d+ unfinished folder\(s\)/);
  const stillFresh = [...before].filter(([n, r]) => JSON.stringify(record(out, n).hashes) === JSON.stringify(r.hashes));
  if (stillFresh.length === before.size) {
    // What was finished before the kill was kept, not graded again.
    for (const [n, r] of before) expect(record(out, n).gradedAt).toBe(r.gradedAt);
    expect(resumed.stdout).toContain(`${NAMES.length - before.size} graded now, ${before.size} up to date`);
  } else {
    // The kit changed between the two runs (another edit): everything stale was graded again.
    expect(resumed.stdout).toMatch(/graded now/);
  }
});

test('after a change to one submission, --resume grades only it, and diff lists that student by question', () => {
  const fixed = tempDir('fixed-input');
  fs.cpSync(input, fixed, { recursive: true });
  const fixture = 'min-target-max';
  const m = buggyManifest(fixture);
  fs.writeFileSync(path.join(fixed, 'submission_1001', m.file), buggySource(fixture, m));
  const out = tempDir('regrade');
  fs.cpSync(single, out, { recursive: true });
  const r = rlgrade(['batch', fixed, '--out', out, '--workers', '2', '--resume', ...flags]);
  expect(r.status).toBe(0);
  if (JSON.stringify(manifest(out).hashes) === JSON.stringify(manifest(single).hashes)) {
    expect(r.stdout).toContain('1 graded now, 4 up to date');
  }
  const d = rlgrade(['diff', single, out]);
  expect(d.status).toBe(0);
  expect(d.stderr).toBe('rlgrade diff: 1 submission(s) changed\n');
  const [line] = d.stdout.trim().split('\n');
  expect(line).toMatch(new RegExp(`^submission_1001 \\(Ada Lovelace \\(0001\\)\\): [\\d.]+ -> [\\d.]+ \\[.*${m.question.replace('.', '\\.')} `));
  expect(d.stdout.trim().split('\n')).toHaveLength(1);
  expect(rlgrade(['diff', single, single]).stdout).toBe('');
});

test('a grading over the per-submission limit is recorded as timeout and the batch goes on', () => {
  const small = tempDir('small-input');
  fs.cpSync(path.join(input, 'submission_1001'), path.join(small, 'alice'), { recursive: true });
  const out = tempDir('timeout');
  const r = rlgrade(['batch', small, '--out', out, '--workers', '1', '--submission-timeout', '0.2', ...flags]);
  expect(r.status).toBe(0);
  const rec = record(out, 'alice');
  expect(rec.status).toBe('timeout');
  expect(rec.reason).toMatch(/longer than the batch's limit of 0.2 s/);
  expect(gradebook(out).trim().split('\n')[1]).toMatch(/^alice,,,,.*,0,timeout$/);
  expect(validateResults(JSON.parse(read(path.join(out, 'submissions', 'alice', 'results.json'))))).toEqual([]);
});

test('bad input gives one line and exit 1', () => {
  const r = rlgrade(['batch', path.join(input, 'no-such-folder'), '--out', tempDir('bad'), ...flags]);
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^rlgrade batch: .*no-such-folder: expected a folder of submissions/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  const shard = rlgrade(['batch', input, '--out', tempDir('bad'), '--shard', '2/2', ...flags]);
  expect(shard.stderr).toBe("rlgrade batch: --shard 2/2: the shard index must be a whole number from 0 to 1\n");
});
