// Names close to an expected file: which are used (the same name in a folder; a browser's or
// Gradescope's numbered copy `iql (1).ts` when it is the only candidate) and which only get a
// "did you mean" (other case, other or extra extension, no extension, a copy named by hand).
import * as fs from 'fs';
import * as path from 'path';
import { strToU8, zipSync } from 'fflate';
import { prepareSubmission } from '../../grader/intake';
import { copyOf, nearTo } from '../../grader/intake/near-names';
import { expectOnly, expectStudentFacing, removeTempDirs, tempDir, writeTree } from './support';

const EXPECTED = ['iql.ts', 'awr.ts', 'filtered_bc.ts'];
const OTHERS = { 'awr.ts': 'export const awr = 2;\n', 'filtered_bc.ts': 'export const bc = 3;\n' };

afterAll(removeTempDirs);

async function intakeOf(files: Record<string, string>) {
  const dir = tempDir();
  writeTree(dir, files);
  const work = tempDir();
  return { intake: await prepareSubmission(dir, EXPECTED, work), work };
}

test('the rules: numbered copies stand for their expected name; near names point to it; nothing else does', () => {
  const expected = new Set(EXPECTED);
  expect(['iql (1).ts', 'iql(2).ts', 'filtered_bc (13).ts'].map((n) => copyOf(n, expected))).toEqual(['iql.ts', 'iql.ts', 'filtered_bc.ts']);
  expect(['iql.ts', 'IQL (1).ts', 'iql (1).js', 'iql (x).ts', 'iql copy.ts', 'sql (1).ts'].map((n) => copyOf(n, expected))).toEqual(Array(6).fill(undefined));
  const near = ['IQL.ts', 'Iql.TS', 'iql.ts.txt', 'iql.js', 'iql.tsx', 'iql', 'iql copy.ts', 'iql - Copy.ts', 'IQL (1).ts', 'filtered-bc.ts', 'FilteredBC.ts'];
  expect(near.map((n) => nearTo(n, EXPECTED))).toEqual([...Array(9).fill('iql.ts'), 'filtered_bc.ts', 'filtered_bc.ts']);
  expect(['iql.ts', 'iql.md', 'iql.d.ts', 'iqn.ts', 'notes.txt', 'README'].map((n) => nearTo(n, EXPECTED))).toEqual(Array(6).fill(undefined));
});

test("a numbered copy ('iql (1).ts') is graded as iql.ts when no iql.ts was sent, and the student is told", async () => {
  const { intake, work } = await intakeOf({ 'homework/iql (1).ts': 'export const iql = 1;\n', ...OTHERS });
  expect(intake.missing).toEqual([]);
  expect(fs.readFileSync(intake.files['iql.ts'], 'utf8')).toBe('export const iql = 1;\n');
  expect(intake.problems).toEqual([{ file: 'iql.ts', message: expect.stringMatching(/^'homework\/iql \(1\)\.ts' was graded as 'iql\.ts', since no file named 'iql\.ts' was found/) }]);
  expect(intake.upload).toEqual({ status: 'complete', why: {} });
  expectStudentFacing(intake.problems);
  expectOnly(work, EXPECTED);
});

test('the same in a zip, as Gradescope keeps a second upload of one name', async () => {
  const out = tempDir();
  const zip = zipSync({ 'iql(2).ts': strToU8('export const iql = 2;\n'), 'awr.ts': strToU8(OTHERS['awr.ts']), 'filtered_bc.ts': strToU8(OTHERS['filtered_bc.ts']) });
  fs.writeFileSync(path.join(out, 'submission.zip'), zip);
  const intake = await prepareSubmission(path.join(out, 'submission.zip'), EXPECTED, tempDir());
  expect(intake.missing).toEqual([]);
  expect(fs.readFileSync(intake.files['iql.ts'], 'utf8')).toBe('export const iql = 2;\n');
});

test('with iql.ts itself present, its numbered copy is not used, and the student is told which one was graded', async () => {
  const { intake } = await intakeOf({ 'iql.ts': 'export const v = "plain";\n', 'old/iql (1).ts': 'export const v = "copy";\n', ...OTHERS });
  expect(fs.readFileSync(intake.files['iql.ts'], 'utf8')).toBe('export const v = "plain";\n');
  expect(intake.problems).toEqual([
    { file: 'iql.ts', message: "'old/iql (1).ts' was not used, because 'iql.ts' was found too and is the one graded; if it is your latest version, name it 'iql.ts' instead and resubmit." },
  ]);
  expect(intake.upload.status).toBe('complete');
});

test('two numbered copies and no iql.ts: neither is used', async () => {
  const { intake, work } = await intakeOf({ 'iql (1).ts': 'a', 'iql (2).ts': 'b', ...OTHERS });
  expect(intake.missing).toEqual(['iql.ts']);
  expect(intake.problems[0].message).toMatch(/^No file named 'iql.ts' was found, only 2 numbered copies of it \('iql \(\d\).ts', 'iql \(\d\).ts'\), so none was used/);
  expect(intake.upload.why['iql.ts']).toBe('iql.ts was not found in your upload, only 2 numbered copies of it, and none was used');
  expectOnly(work, ['awr.ts', 'filtered_bc.ts']);
});

test.each([
  ['IQL.ts', ' (upper and lower case count)'],
  ['homework/Iql.TS', ' (upper and lower case count)'],
  ['iql.ts.txt', ''],
  ['iql.js', ''],
  ['iql', ''],
  ['src/iql copy.ts', ''],
  ['IQL (1).ts', ''],
])('%s is never used, but named in a "did you mean"', async (name, caseNote) => {
  const { intake, work } = await intakeOf({ [name]: 'export const iql = 1;\n', ...OTHERS });
  expect(intake.missing).toEqual(['iql.ts']);
  expect(intake.problems).toEqual([
    { file: 'iql.ts', message: `No file named 'iql.ts' was found; did you mean '${name}'? It was not used, because the grader takes only a file named exactly 'iql.ts'${caseNote}: rename it and resubmit.` },
  ]);
  expect(intake.upload.why['iql.ts']).toBe(`iql.ts was not found in your upload (did you mean '${name}'?)`);
  expectStudentFacing(intake.problems);
  expectOnly(work, ['awr.ts', 'filtered_bc.ts']);
});

test('several near names are all offered; a compiled iql.js next to iql.ts is no problem at all', async () => {
  const both = await intakeOf({ 'IQL.ts': 'x', 'iql.js': 'y', ...OTHERS });
  expect(both.intake.problems[0].message).toMatch(/^No file named 'iql.ts' was found; did you mean 'IQL.ts' or 'iql.js'\? They were not used, .*: rename the one you meant and resubmit\.$/);
  const compiled = await intakeOf({ 'iql.ts': 'x', 'iql.js': 'y', 'dist/awr.js': 'z', ...OTHERS });
  expect(compiled.intake.problems).toEqual([]);
  expect(compiled.intake.upload.status).toBe('complete');
});

test('the same name in nested folders is used as it is, with nothing to say', async () => {
  const { intake } = await intakeOf({ 'homework/src/iql.ts': 'x', 'homework/awr.ts': 'y', 'filtered_bc.ts': 'z' });
  expect(intake.missing).toEqual([]);
  expect(intake.problems).toEqual([]);
  expect(intake.upload).toEqual({ status: 'complete', why: {} });
});
