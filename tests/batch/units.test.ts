// The batch's plain parts, in process and without grading: Gradescope metadata, the input listing,
// shards, the gradebook, the summary data, merge checks, the out folder, the lock and diff.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { diffOutputs, formatChange } from '../../grader/batch/diff';
import { gradebookCsv, safeCell, timingsCsv } from '../../grader/batch/gradebook';
import { readGradescopeMetadata } from '../../grader/batch/gradescope';
import { listSubmissions } from '../../grader/batch/input';
import { checkShards } from '../../grader/batch/merge';
import { chooseShard, parseShard, shareOf } from '../../grader/batch/shard';
import { commit, finishedNames, isFresh, lockOut, makeTempDir, readRecord, removeLeftovers, writeManifest } from '../../grader/batch/store';
import { binWidth, histogram, summarize } from '../../grader/batch/summary';
import type { BatchManifest, GradingRecord, QuestionInfo } from '../../grader/batch/types';
import { outcomeOf } from '../../grader/batch/worker';
import type { Graded } from '../../grader/cli/grade';
import type { GradeReport } from '../../grader/report';
import { METADATA, tempDir } from './support';

const QUESTIONS: QuestionInfo[] = [
  { id: 'Q1', title: 'Returns', points: 5 },
  { id: 'Q2', title: 'Losses', points: 3 },
];
const HASHES = { submission: 's', assignment: 'a', grader: 'g', settings: 'x' };

function rec(submission: string, over: Partial<GradingRecord> = {}): GradingRecord {
  return {
    format: 1,
    submission,
    submitters: [{ name: `Name ${submission}`, sid: `id-${submission}`, email: `${submission}@example.edu` }],
    hashes: HASHES,
    status: 'ok',
    total: 8,
    maxTotal: 8,
    questions: { Q1: 5, Q2: 3 },
    hints: [],
    timedOut: [],
    seconds: 1.5,
    gradedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  };
}

function manifestOf(input: string[], share: string[], shard: BatchManifest['shard'] = null): BatchManifest {
  return { format: 1, assignment: { title: 'T', maxTotal: 8, questions: QUESTIONS }, hashes: { assignment: 'a', grader: 'g', settings: 'x' }, input, shard, share };
}

/** A batch output folder holding these records. */
function outputWith(records: GradingRecord[]): string {
  const out = tempDir('unit-out');
  for (const r of records) {
    const temp = makeTempDir(out);
    fs.writeFileSync(path.join(temp, 'results.json'), '{}');
    commit(out, temp, r);
  }
  writeManifest(out, manifestOf(records.map((r) => r.submission), records.map((r) => r.submission)));
  return out;
}

describe('Gradescope metadata', () => {
  test('Ruby symbol keys and tags are read; student ids stay strings with their zeros', () => {
    const file = path.join(tempDir('meta'), 'submission_metadata.yml');
    fs.writeFileSync(file, METADATA);
    const m = readGradescopeMetadata(file);
    expect([...m.keys()]).toEqual(['submission_1001', 'submission_1002', 'submission_1003', 'submission_1004', 'submission_1005']);
    expect(m.get('submission_1001')).toEqual([{ name: 'Ada Lovelace', sid: '0001', email: 'ada@example.edu' }]);
    expect(m.get('submission_1002')!.map((s) => s.name)).toEqual(['Bob Baker', '=1+1']);
  });

  test('malformed entries give one line naming the file and the field', () => {
    const dir = tempDir('meta-bad');
    const file = path.join(dir, 'submission_metadata.yml');
    fs.writeFileSync(file, 'submission_1:\n  :submitters: nobody\n');
    expect(() => readGradescopeMetadata(file)).toThrow(`${file}: submission_1: :submitters must be a list`);
    fs.writeFileSync(file, '../escape:\n  :submitters: []\n');
    expect(() => readGradescopeMetadata(file)).toThrow(`${file}: '../escape' is not a plain folder name`);
    fs.writeFileSync(file, 'a: [unclosed\n');
    expect(() => readGradescopeMetadata(file)).toThrow(new RegExp(`^${file}: not readable as YAML`));
  });
});

describe('input listing', () => {
  test('a plain folder: sub-folders and archives, sorted; other files skipped with a note; hidden entries ignored', async () => {
    const dir = tempDir('plain-input');
    fs.mkdirSync(path.join(dir, 'zed'));
    fs.mkdirSync(path.join(dir, 'alice'));
    fs.writeFileSync(path.join(dir, 'bob.upload'), zipSync({ 'iql.ts': new Uint8Array([1]) })); // a zip by its bytes
    fs.writeFileSync(path.join(dir, 'carol.tgz'), 'not really');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'staff notes');
    fs.mkdirSync(path.join(dir, '.git'));
    const input = await listSubmissions(dir);
    expect(input.gradescope).toBe(false);
    expect(input.submissions.map((s) => s.name)).toEqual(['alice', 'bob.upload', 'carol.tgz', 'zed']);
    expect(input.submissions[0]).toEqual({ name: 'alice', path: path.join(dir, 'alice'), submitters: [] });
    expect(input.skipped).toEqual(['notes.txt: not a folder or an archive']);
  });

  test('a Gradescope export: students from the metadata; a listed submission without its folder is kept', async () => {
    const dir = tempDir('export');
    fs.writeFileSync(path.join(dir, 'submission_metadata.yml'), METADATA);
    for (const n of ['submission_1001', 'submission_1002', 'submission_1003', 'submission_1004', 'stray']) fs.mkdirSync(path.join(dir, n));
    const input = await listSubmissions(dir);
    expect(input.gradescope).toBe(true);
    expect(input.submissions.map((s) => s.name)).toEqual(['stray', 'submission_1001', 'submission_1002', 'submission_1003', 'submission_1004', 'submission_1005']);
    expect(input.submissions[1].submitters[0].email).toBe('ada@example.edu');
    expect(input.skipped).toEqual(['stray: not in submission_metadata.yml (graded without student names)', 'submission_1005: in submission_metadata.yml but its folder is missing']);
  });

  test('an input that is not a folder is refused in one line', async () => {
    await expect(listSubmissions('/no/such/input')).rejects.toThrow('/no/such/input: expected a folder of submissions (one sub-folder or archive each)');
  });
});

describe('shards', () => {
  test('--shard I/N, and its errors', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(() => parseShard('4/4')).toThrow('--shard 4/4: the shard index must be a whole number from 0 to 3');
    expect(() => parseShard('1/0')).toThrow('--shard 1/0: the number of shards must be a whole number of at least 1');
    expect(() => parseShard('a')).toThrow("--shard: expected I/N (such as 0/4), got 'a'");
  });

  test('Kubernetes Indexed Jobs and Slurm job arrays', () => {
    expect(chooseShard(undefined, undefined, {})).toBeUndefined();
    expect(chooseShard('0/2', undefined, { JOB_COMPLETION_INDEX: '1' })).toEqual({ shard: { index: 0, count: 2 }, source: '--shard' });
    expect(chooseShard(undefined, undefined, { JOB_COMPLETION_INDEX: '2', RLGRADE_SHARD_COUNT: '3' })).toEqual({ shard: { index: 2, count: 3 }, source: 'JOB_COMPLETION_INDEX' });
    expect(chooseShard(undefined, '4', { JOB_COMPLETION_INDEX: '3' })!.shard).toEqual({ index: 3, count: 4 });
    expect(() => chooseShard(undefined, undefined, { JOB_COMPLETION_INDEX: '0' })).toThrow(/set RLGRADE_SHARD_COUNT \(or --shard-count\)/);
    expect(chooseShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '5', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ shard: { index: 2, count: 3 }, source: 'SLURM_ARRAY_TASK_ID' });
    expect(() => chooseShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_STEP: '2' })).toThrow(/STEP is not 1/);
    expect(() => chooseShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '9', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '3' })).toThrow(/from 0 to 2/);
    expect(() => chooseShard(undefined, '3', {})).toThrow(/--shard-count needs JOB_COMPLETION_INDEX/);
  });

  test('shares are disjoint, cover the input and do not depend on anything but the sorted names', () => {
    const names = Array.from({ length: 11 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const shares = [0, 1, 2].map((index) => shareOf(names, { index, count: 3 }));
    expect(shares.flat().sort()).toEqual(names);
    expect(new Set(shares.flat()).size).toBe(names.length);
    expect(shares[1]).toEqual(['s01', 's04', 's07', 's10']);
    expect(shareOf(names, null)).toEqual(names);
  });
});

describe('gradebook', () => {
  test('one row per submission in name order, whatever order the records come in; no timings', () => {
    const records = [rec('b', { total: 5, questions: { Q1: 5 }, status: 'timeout', seconds: 99 }), rec('a'), rec('c', { status: 'error', total: 0, questions: {} })];
    const csv = gradebookCsv(QUESTIONS, records);
    expect(csv).toBe(
      'submission,student_ids,names,emails,Q1,Q2,total,status\n' +
        'a,id-a,Name a,a@example.edu,5,3,8,ok\n' +
        'b,id-b,Name b,b@example.edu,5,0,5,timeout\n' +
        'c,id-c,Name c,c@example.edu,0,0,0,error\n',
    );
    expect(gradebookCsv(QUESTIONS, [...records].reverse())).toBe(csv);
    expect(csv).not.toContain('99');
    expect(timingsCsv(records).split('\n')[2]).toBe('b,timeout,99.000,2025-01-01T00:00:00.000Z,');
  });

  test('student text is quoted as CSV needs and never starts a spreadsheet formula', () => {
    expect(safeCell('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    for (const c of ['+1', '-1', '@SUM(A1)']) expect(safeCell(c)).toBe(`'${c}`);
    expect(safeCell('Ada')).toBe('Ada');
    const csv = gradebookCsv(QUESTIONS, [rec('x', { submitters: [{ name: '=cmd|"/c calc"!A1', sid: '1', email: 'e,mail' }, { name: 'Lee, Ann', sid: '2', email: 'x' }] })]);
    expect(csv.split('\n')[1]).toBe('x,1; 2,"\'=cmd|""/c calc""!A1; Lee, Ann","e,mail; x",5,3,8,ok');
  });
});

describe('summary data', () => {
  test('bins of a round width cover 0 to the maximum; the maximum falls in the last bin', () => {
    expect([binWidth(100), binWidth(120), binWidth(8), binWidth(0)]).toEqual([5, 10, 0.5, 0.05]);
    const h = histogram([0, 4.9, 5, 100, 103], 100);
    expect(h).toHaveLength(21);
    expect(h[0]).toEqual({ from: 0, to: 5, count: 2 });
    expect(h[1].count).toBe(1);
    expect(h[20]).toEqual({ from: 100, to: 105, count: 2 });
  });

  test('pass rates leave out errors; a hint counts once per submission; slowest first', () => {
    const hint = { question: 'Q1', hint: 'Check the timeout flags.' };
    const records = [
      rec('a', { hints: [hint, { ...hint, question: 'Q2' }], questions: { Q1: 0, Q2: 3 }, total: 3, seconds: 4 }),
      rec('b', { hints: [hint], seconds: 9 }),
      rec('c', { status: 'error', total: 0, questions: {}, seconds: 1 }),
    ];
    const s = summarize('T', 8, QUESTIONS, records);
    expect(s.statuses).toEqual({ ok: 2, timeout: 0, 'missing-files': 0, 'bad-upload': 0, error: 1 });
    expect(s.graded).toBe(2);
    expect(s.passRates.map((p) => [p.question, p.rate, p.passed])).toEqual([['Q1', 0.5, 1], ['Q2', 1, 2]]);
    expect(s.mistakes).toEqual([{ name: 'Check the timeout flags.', hints: ['Check the timeout flags.'], questions: 'Q1, Q2', count: 2, submissions: ['a (Name a)', 'b (Name b)'] }]);
    expect(s.slowest.map((x) => x.submission)).toEqual(['b', 'a', 'c']);
    expect([s.mean, s.median]).toEqual([5.5, 5.5]);
  });
});

describe('merge checks', () => {
  const input = ['a', 'b', 'c', 'd'];
  test('shards that fit give each submission its owner', () => {
    const owner = checkShards(['s0', 's1'], [manifestOf(input, ['a', 'c'], { index: 0, count: 2 }), manifestOf(input, ['b', 'd'], { index: 1, count: 2 })]);
    expect([...owner]).toEqual([['a', 's0'], ['c', 's0'], ['b', 's1'], ['d', 's1']]);
  });
  test('overlaps, gaps, other inputs and other grader code are refused in one line', () => {
    expect(() => checkShards(['s0', 'all'], [manifestOf(input, ['a', 'c']), manifestOf(input, input)])).toThrow("refusing to merge: 'a' is in both s0 and all (the shards overlap)");
    expect(() => checkShards(['s0'], [manifestOf(input, ['a', 'c'])])).toThrow("refusing to merge: 2 of 4 submission(s) are in no shard given (first: 'b'); is a shard folder missing?");
    expect(() => checkShards(['s0', 's1'], [manifestOf(input, ['a', 'c']), manifestOf(['a', 'b'], ['b'])])).toThrow('refusing to merge: s1 and s0 were graded from different inputs (2 and 4 submissions)');
    const other = { ...manifestOf(input, ['b', 'd']), hashes: { assignment: 'a', grader: 'G2', settings: 'x' } };
    expect(() => checkShards(['s0', 's1'], [manifestOf(input, ['a', 'c']), other])).toThrow('refusing to merge: s1 and s0 were graded with different grader code; run the older with --resume');
  });
});

describe('the out folder', () => {
  test('a result is in place only with its grading.json; leftovers of a killed batch are removed; a newer result replaces an older', () => {
    const out = tempDir('store');
    const temp = makeTempDir(out);
    fs.writeFileSync(path.join(temp, 'results.json'), '{}');
    expect(readRecord(out, 'a')).toBeUndefined();
    commit(out, temp, rec('a'));
    expect(readRecord(out, 'a')!.total).toBe(8);
    makeTempDir(out); // as if killed while grading
    fs.mkdirSync(path.join(out, 'submissions', '.old-1-1')); // as if killed between the two renames
    expect(removeLeftovers(out)).toBe(2);
    const again = makeTempDir(out);
    fs.writeFileSync(path.join(again, 'results.json'), '{}');
    commit(out, again, rec('a', { total: 3 }));
    expect(readRecord(out, 'a')!.total).toBe(3);
    expect(fs.readdirSync(path.join(out, 'submissions'))).toEqual(['a']);
    expect(finishedNames(out)).toEqual(['a']);
    expect(isFresh(readRecord(out, 'a'), HASHES)).toBe(true);
    expect(isFresh(readRecord(out, 'a'), { ...HASHES, grader: 'changed' })).toBe(false);
    expect(isFresh(undefined, HASHES)).toBe(false);
  });

  test('the lock: a dead holder is replaced; a live one makes the second batch refuse in one line', async () => {
    const out = tempDir('lock');
    fs.writeFileSync(path.join(out, '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
    const release = await lockOut(out, 0);
    expect(JSON.parse(fs.readFileSync(path.join(out, '.lock'), 'utf8')).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(path.join(out, '.lock'))).toBe(false);
    fs.writeFileSync(path.join(out, '.lock'), JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    await expect(lockOut(out, 0)).rejects.toThrow(`${out} is in use by another rlgrade batch (pid ${process.ppid}`);
  });
});

describe('diff', () => {
  test('lists each submission whose points changed, by question, and those in one output only', () => {
    const before = outputWith([rec('a'), rec('b'), rec('c')]);
    const after = outputWith([rec('a'), rec('b', { questions: { Q1: 2, Q2: 3 }, total: 5, status: 'timeout' }), rec('d')]);
    const lines = diffOutputs(before, after).map(formatChange);
    expect(lines).toEqual([
      'b (Name b (id-b)): 8 -> 5, status ok -> timeout [Q1 5 -> 2]',
      'c (Name c (id-c)): only in OLD, 8 (ok)',
      'd (Name d (id-d)): only in NEW, 8 (ok)',
    ]);
    expect(diffOutputs(before, before)).toEqual([]);
  });
});

test('a grading with a timed-out case has status timeout, and each hint is kept once per question', () => {
  const caseOf = (hint?: string) => ({ id: 'c', question: 'Q1', name: 'c', visibility: 'visible' as const, score: 0, maxScore: 1, status: 'failed' as const, messages: [], hint });
  const g = {
    report: { questions: [{ id: 'Q1', title: 'R', points: 5, earned: 1, cases: [caseOf('h'), caseOf('h'), caseOf()] }], total: 1 },
    timedOut: ['c'],
  } as unknown as Graded;
  expect(outcomeOf(g, 2)).toEqual({ status: 'timeout', total: 1, questions: { Q1: 1 }, hints: [{ question: 'Q1', hint: 'h' }], timedOut: ['c'], reason: 'time limit reached in c', seconds: 2 });
});

describe('uploads in the gradebook', () => {
  const graded = (upload: GradeReport['upload'], timedOut: string[] = []) =>
    ({ report: { questions: [{ id: 'Q1', title: 'R', points: 5, earned: 0, cases: [] }], total: 0, upload }, timedOut }) as unknown as Graded;

  test('an unreadable upload is bad-upload, an incomplete one missing-files, with the student\'s first line as the reason', () => {
    const bad = outcomeOf(graded({ status: 'unreadable', headline: "Nothing could be graded: the archive 'submission.zip' is damaged." }), 1);
    expect(bad).toMatchObject({ status: 'bad-upload', reason: "Nothing could be graded: the archive 'submission.zip' is damaged" });
    const some = outcomeOf(graded({ status: 'incomplete', headline: 'Your upload is incomplete: iql.ts was not found.' }), 1);
    expect(some).toMatchObject({ status: 'missing-files', reason: 'Your upload is incomplete: iql.ts was not found' });
    // A missing file outranks a timed-out case; the reason keeps both.
    const both = outcomeOf(graded({ status: 'incomplete', headline: 'Your upload is incomplete: iql.ts was not found.' }, ['c']), 1);
    expect(both).toMatchObject({ status: 'missing-files', reason: 'Your upload is incomplete: iql.ts was not found; time limit reached in c' });
    expect(outcomeOf(graded(undefined), 1).status).toBe('ok');
  });

  test('the gradebook, the counts and the summary show them; scores leave bad uploads out', () => {
    const records = [
      rec('a'),
      rec('b', { status: 'bad-upload', total: 0, questions: { Q1: 0, Q2: 0 }, reason: 'Nothing could be graded: the archive is damaged.' }),
      rec('c', { status: 'missing-files', total: 3, questions: { Q1: 0, Q2: 3 }, reason: 'Your upload is incomplete: iql.ts was not found.' }),
    ];
    expect(gradebookCsv(QUESTIONS, records).split('\n').slice(1, 4)).toEqual(['a,id-a,Name a,a@example.edu,5,3,8,ok', 'b,id-b,Name b,b@example.edu,0,0,0,bad-upload', 'c,id-c,Name c,c@example.edu,0,3,3,missing-files']);
    const s = summarize('T', 8, QUESTIONS, records);
    expect(s.statuses).toEqual({ ok: 1, timeout: 0, 'missing-files': 1, 'bad-upload': 1, error: 0 });
    expect(s.graded).toBe(2);
    expect(s.mean).toBe(5.5);
    expect(s.uploads).toEqual([
      { submission: 'b (Name b)', status: 'bad-upload', reason: 'Nothing could be graded: the archive is damaged.' },
      { submission: 'c (Name c)', status: 'missing-files', reason: 'Your upload is incomplete: iql.ts was not found.' },
    ]);
  });
});
