// Ordinary uploads: folders, nested folders, tar, tar.gz, zip, a folder holding one zip, macOS
// leftovers, duplicates, missing and empty files, and the format found by content, not extension.
import * as fs from 'fs';
import * as path from 'path';
import * as tar from 'tar';
import { strToU8, zipSync } from 'fflate';
import { prepareSubmission } from '../../grader/intake';
import { expectOnly, expectStudentFacing, removeTempDirs, tempDir, writeTree } from './support';

const EXPECTED = ['iql.ts', 'awr.ts', 'bc.ts'];
const SOURCES = { 'iql.ts': 'export const iql = 1;\n', 'awr.ts': 'export const awr = 2;\n', 'bc.ts': 'export const bc = 3;\n' };

afterAll(removeTempDirs);

/** A project folder as a student might have it: nested, with extras, dot-folders and macOS copies. */
function project(root: string): void {
  writeTree(root, {
    'hw/src/iql.ts': SOURCES['iql.ts'],
    'hw/src/algos/awr.ts': SOURCES['awr.ts'],
    'hw/bc.ts': SOURCES['bc.ts'],
    'hw/README.md': '# notes\n',
    'hw/.git/bc.ts': 'old version',
    'hw/.cache/iql.ts': 'cached',
    'hw/src/._iql.ts': 'AppleDouble',
    '__MACOSX/hw/src/iql.ts': 'resource fork',
    '__MACOSX/hw/src/._awr.ts': 'resource fork',
  });
}

async function expectAllFound(input: string): Promise<void> {
  const work = tempDir();
  const intake = await prepareSubmission(input, EXPECTED, work);
  expect(intake.problems).toEqual([]);
  expect(intake.missing).toEqual([]);
  for (const [name, text] of Object.entries(SOURCES)) {
    expect(intake.files[name]).toBe(path.join(work, name));
    expect(fs.readFileSync(intake.files[name], 'utf8')).toBe(text);
  }
  expectOnly(work, EXPECTED);
}

test('a flat folder', async () => {
  const dir = tempDir();
  writeTree(dir, { ...SOURCES, 'notes.txt': 'extra files are ignored' });
  await expectAllFound(dir);
});

test('a nested folder, ignoring dot-folders, dot-files and __MACOSX copies', async () => {
  const dir = tempDir();
  project(dir);
  await expectAllFound(dir);
});

test('a tar.gz, a plain tar and a .tgz made by node-tar', async () => {
  const src = tempDir();
  project(src);
  const out = tempDir();
  await tar.c({ gzip: true, file: path.join(out, 'hw.tar.gz'), cwd: src, portable: true }, ['hw', '__MACOSX']);
  await tar.c({ file: path.join(out, 'hw.tar'), cwd: src, portable: true }, ['hw']);
  await tar.c({ gzip: true, file: path.join(out, 'dot.tgz'), cwd: path.join(src, 'hw'), portable: true }, ['.']);
  await expectAllFound(path.join(out, 'hw.tar.gz'));
  await expectAllFound(path.join(out, 'hw.tar'));
  await expectAllFound(path.join(out, 'dot.tgz'));
});

test('a zip made by fflate, with __MACOSX copies', async () => {
  const out = tempDir();
  const zip = zipSync({
    'hw/src/iql.ts': strToU8(SOURCES['iql.ts']),
    'hw/awr.ts': strToU8(SOURCES['awr.ts']),
    'hw/bc.ts': [strToU8(SOURCES['bc.ts']), { level: 0 }],
    '__MACOSX/hw/src/._iql.ts': strToU8('fork'),
    '__MACOSX/hw/iql.ts': strToU8('fork'),
  });
  fs.writeFileSync(path.join(out, 'hw.zip'), zip);
  await expectAllFound(path.join(out, 'hw.zip'));
});

test('a folder holding exactly one zip, as Gradescope leaves an upload', async () => {
  const upload = tempDir();
  fs.writeFileSync(path.join(upload, 'submission.zip'), zipSync({ 'a/iql.ts': strToU8(SOURCES['iql.ts']), 'awr.ts': strToU8(SOURCES['awr.ts']), 'bc.ts': strToU8(SOURCES['bc.ts']) }));
  fs.writeFileSync(path.join(upload, '.DS_Store'), 'x');
  await expectAllFound(upload);
});

test('the format comes from the bytes: a .zip that is really a tar.gz is read', async () => {
  const src = tempDir();
  writeTree(src, SOURCES);
  const out = tempDir();
  await tar.c({ gzip: true, file: path.join(out, 'hw.zip'), cwd: src }, Object.keys(SOURCES));
  await expectAllFound(path.join(out, 'hw.zip'));
});

test('duplicates are flagged and treated as missing; missing files are listed', async () => {
  const dir = tempDir();
  writeTree(dir, { 'v1/iql.ts': 'a', 'v2/iql.ts': 'b', 'awr.ts': SOURCES['awr.ts'] });
  const work = tempDir();
  const intake = await prepareSubmission(dir, EXPECTED, work);
  expect(Object.keys(intake.files)).toEqual(['awr.ts']);
  expect(intake.missing.sort()).toEqual(['bc.ts', 'iql.ts']);
  const dup = intake.problems.find((p) => p.file === 'iql.ts')!;
  expect(dup.message).toMatch(/Found 2 files named 'iql.ts'/);
  expect(dup.message).toContain('v1/iql.ts');
  expect(intake.problems.find((p) => p.file === 'bc.ts')).toBeUndefined(); // said once, by the headline
  expect(intake.upload.headline).toBe('Your upload is incomplete: bc.ts was not found and iql.ts is there 2 times, so the tests that need them score 0.');
  expectStudentFacing(intake.problems);
  expectOnly(work, ['awr.ts']);
});


test('a zero-byte file is kept but flagged', async () => {
  const dir = tempDir();
  writeTree(dir, { ...SOURCES, 'iql.ts': '' });
  const work = tempDir();
  const intake = await prepareSubmission(dir, EXPECTED, work);
  expect(intake.missing).toEqual([]);
  expect(fs.statSync(intake.files['iql.ts']).size).toBe(0);
  expect(intake.problems).toEqual([{ file: 'iql.ts', message: expect.stringMatching(/empty \(0 bytes\)/) }]);
  expectOnly(work, EXPECTED);
});

test('an empty folder: everything missing', async () => {
  const intake = await prepareSubmission(tempDir(), EXPECTED, tempDir());
  expect(intake.files).toEqual({});
  expect(intake.missing).toEqual(EXPECTED);
  expect(intake.problems).toEqual([]);
  expect(intake.upload.headline).toBe('Nothing could be graded: none of the 3 files the assignment asks for (iql.ts, awr.ts and bc.ts) was found in your upload.');
});

test('a file that is no archive, and a RAR, are clear problems', async () => {
  const out = tempDir();
  fs.writeFileSync(path.join(out, 'hw.zip'), 'just some text, not a zip at all\n');
  fs.writeFileSync(path.join(out, 'hw.rar'), Buffer.from([0x52, 0x61, 0x72, 0x21, 0x1a, 0x07, 0x00, 1, 2, 3]));
  const work = tempDir();
  const text = await prepareSubmission(path.join(out, 'hw.zip'), EXPECTED, work);
  expect(text.upload.headline).toBe("Nothing could be graded: the uploaded file 'hw.zip' is not a .zip, .tar or .tar.gz archive, so it could not be unpacked.");
  expect(text.missing).toEqual(EXPECTED);
  const rar = await prepareSubmission(path.join(out, 'hw.rar'), EXPECTED, work);
  expect(rar.upload.headline).toMatch(/'hw.rar' is a RAR archive, which is not supported/);
  expect(fs.readdirSync(work)).toEqual([]);
});

test('grader mistakes throw: bad expected names, missing input', async () => {
  await expect(prepareSubmission(tempDir(), ['src/iql.ts'], tempDir())).rejects.toThrow(TypeError);
  await expect(prepareSubmission(tempDir(), ['iql.ts', 'iql.ts'], tempDir())).rejects.toThrow(TypeError);
  await expect(prepareSubmission(path.join(tempDir(), 'nope'), EXPECTED, tempDir())).rejects.toThrow(/ENOENT/);
});
