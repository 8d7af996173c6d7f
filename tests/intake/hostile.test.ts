// Hostile archives and folders: paths out of the archive, absolute paths, links to /etc/passwd,
// setuid bits, devices and FIFOs. Each must give a clear problem, write nothing outside the work
// folder, and leave in it only the expected regular files.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { prepareSubmission } from '../../grader/intake';
import { expectOnly, expectStudentFacing, listTree, makeZip, removeTempDirs, TAR_END, tarEntry, tempDir, writeTree } from './support';

const EXPECTED = ['iql.ts', 'awr.ts', 'bc.ts'];

afterAll(removeTempDirs);

/** A work folder inside a sandbox folder, so that anything written "next to" it would be seen. */
function sandbox(): { root: string; work: string } {
  const root = tempDir();
  return { root, work: path.join(root, 'work') };
}

test('tar: ../ paths, absolute paths, links to /etc/passwd, setuid bits, devices and FIFOs', async () => {
  const { root, work } = sandbox();
  const archive = Buffer.concat([
    tarEntry({ path: '../../escape.ts' }, 'pwned'),
    tarEntry({ path: '../iql.ts' }, 'pwned'),
    tarEntry({ path: '/tmp/abs-escape.ts' }, 'pwned'),
    tarEntry({ path: 'hw/iql.ts', type: 'SymbolicLink', linkpath: '/etc/passwd', size: 0 }),
    tarEntry({ path: 'hw/link-to-passwd', type: 'SymbolicLink', linkpath: '/etc/passwd', size: 0 }),
    tarEntry({ path: 'hw/awr.ts', type: 'Link', linkpath: '/etc/passwd', size: 0 }),
    tarEntry({ path: 'hw/bc.ts', mode: 0o6755 }, 'export const bc = 3;\n'),
    tarEntry({ path: 'hw/dev-null', type: 'CharacterDevice', size: 0 }),
    tarEntry({ path: 'hw/pipe', type: 'FIFO', size: 0 }),
    TAR_END,
  ]);
  const file = path.join(root, 'hw.tar.gz');
  fs.writeFileSync(file, zlib.gzipSync(archive));
  const before = listTree(root);
  const intake = await prepareSubmission(file, EXPECTED, work);

  expect(intake.files).toEqual({ 'bc.ts': path.join(work, 'bc.ts') });
  expect(intake.missing.sort()).toEqual(['awr.ts', 'iql.ts']);
  const messages = intake.problems.map((p) => p.message);
  expect(messages).toContainEqual(expect.stringMatching(/The entry '..\/..\/escape.ts' and 2 more point outside the archive/));
  expect(intake.problems).toContainEqual({ file: 'iql.ts', message: "'hw/iql.ts' is a symbolic link, so it was not used; submit the file itself." });
  expect(intake.problems).toContainEqual({ file: 'awr.ts', message: "'hw/awr.ts' is a hard link, so it was not used; submit the file itself." });
  expect(messages).toContainEqual(expect.stringMatching(/'hw\/link-to-passwd' is a link, which is not allowed/));
  expect(messages).toContainEqual(expect.stringMatching(/'hw\/dev-null' and 1 more are special files/));
  expectStudentFacing(intake.problems);
  // Nothing next to the work folder, nothing in /tmp, only bc.ts (mode reset) inside it.
  expect(listTree(root)).toEqual([...before, 'work', 'work/bc.ts'].sort());
  expect(fs.existsSync('/tmp/abs-escape.ts')).toBe(false);
  expectOnly(work, ['bc.ts']);
});

test('zip: ../ names, absolute and drive-letter names, a symlink entry, a FIFO entry', async () => {
  const { root, work } = sandbox();
  const zip = makeZip([
    { name: '../../escape.ts', data: 'pwned' },
    { name: '/abs/iql.ts', data: 'pwned' },
    { name: 'C:\\Windows\\awr.ts', data: 'pwned' },
    { name: 'hw\\..\\..\\bc.ts', data: 'pwned' },
    { name: 'hw/iql.ts', data: '/etc/passwd', unixMode: 0o120777 },
    { name: 'hw/fifo', unixMode: 0o010644 },
    { name: 'hw/awr.ts', data: 'export const awr = 2;\n', unixMode: 0o104755 },
  ]);
  const file = path.join(root, 'hw.zip');
  fs.writeFileSync(file, zip);
  const intake = await prepareSubmission(file, EXPECTED, work);
  expect(Object.keys(intake.files)).toEqual(['awr.ts']);
  expect(fs.readFileSync(intake.files['awr.ts'], 'utf8')).toBe('export const awr = 2;\n');
  const messages = intake.problems.map((p) => p.message);
  expect(messages).toContainEqual(expect.stringMatching(/The entry '..\/..\/escape.ts' and 3 more point outside the archive/));
  expect(intake.problems).toContainEqual({ file: 'iql.ts', message: "'hw/iql.ts' is a symbolic link, so it was not used; submit the file itself." });
  expect(messages).toContainEqual(expect.stringMatching(/'hw\/fifo' is a special file/));
  expectStudentFacing(intake.problems);
  expect(listTree(root)).toEqual(['hw.zip', 'work', 'work/awr.ts']);
  expectOnly(work, ['awr.ts']);
});

test('folder: symlinks (to files and to folders) are never followed; FIFOs are skipped', async () => {
  const dir = tempDir();
  writeTree(dir, { 'hw/bc.ts': 'export const bc = 3;\n' });
  fs.symlinkSync('/etc/passwd', path.join(dir, 'hw', 'iql.ts'));
  const outside = tempDir();
  writeTree(outside, { 'awr.ts': 'not the student\'s' });
  fs.symlinkSync(outside, path.join(dir, 'hw', 'linked-folder'));
  require('child_process').execFileSync('mkfifo', [path.join(dir, 'hw', 'pipe')]);
  const work = tempDir();
  const intake = await prepareSubmission(dir, EXPECTED, work);
  expect(Object.keys(intake.files)).toEqual(['bc.ts']);
  expect(intake.missing.sort()).toEqual(['awr.ts', 'iql.ts']);
  expect(intake.problems).toContainEqual({ file: 'iql.ts', message: "'hw/iql.ts' is a symbolic link, so it was not used; submit the file itself." });
  expect(intake.problems.map((p) => p.message)).toContainEqual("The entry 'hw/linked-folder' is a link, which is not allowed, so it was skipped.");
  expect(intake.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/'hw\/pipe' is a special file/));
  expectStudentFacing(intake.problems);
  expectOnly(work, ['bc.ts']);
});

test('folder: a hard link is not read; an upload folder whose only entry is a symlinked zip is not followed', async () => {
  const dir = tempDir();
  writeTree(dir, { 'bc.ts': 'ok' });
  const secret = path.join(tempDir(), 'secret.ts');
  fs.writeFileSync(secret, 'secret');
  fs.linkSync(secret, path.join(dir, 'iql.ts'));
  const intake = await prepareSubmission(dir, EXPECTED, tempDir());
  expect(intake.problems).toContainEqual({ file: 'iql.ts', message: "'iql.ts' is a hard link, so it was not used; submit the file itself." });

  const upload = tempDir();
  fs.symlinkSync(path.join(tempDir(), 'real.zip'), path.join(upload, 'submission.zip'));
  const work = tempDir();
  const linked = await prepareSubmission(upload, EXPECTED, work);
  expect(linked.problems[0].message).toBe("The entry 'submission.zip' is a link, which is not allowed, so it was skipped.");
  expect(fs.readdirSync(work)).toEqual([]);
});

test('an oversized student file is not used; a lying zip size stops inflation at the declared size', async () => {
  const { root, work } = sandbox();
  const big = Buffer.alloc(6 * 1024 * 1024, 'a');
  const file = path.join(root, 'hw.zip');
  fs.writeFileSync(file, makeZip([
    { name: 'iql.ts', data: big, method: 0 },
    { name: 'awr.ts', data: Buffer.alloc(3 * 1024 * 1024, 'b'), declaredSize: 5000 },
    { name: 'bc.ts', data: 'x', flags: 1 },
  ]));
  const intake = await prepareSubmission(file, EXPECTED, work);
  expect(intake.files).toEqual({});
  expect(intake.problems).toEqual(expect.arrayContaining([
    { file: 'iql.ts', message: "'iql.ts' is larger than the 5 MiB allowed for one file, so it was not used." },
    { file: 'awr.ts', message: expect.stringMatching(/'awr.ts' is damaged in the archive/) },
    { file: 'bc.ts', message: "'bc.ts' is password-protected in the archive, so it could not be read." },
  ]));
  expectStudentFacing(intake.problems);
  expect(fs.readdirSync(work)).toEqual([]);
});

test('damaged archives are refused as a whole with one clear sentence', async () => {
  const { root, work } = sandbox();
  const good = Buffer.concat([tarEntry({ path: 'iql.ts' }, randomBytes(3000).toString('base64')), TAR_END]);
  fs.writeFileSync(path.join(root, 'cut.tar.gz'), zlib.gzipSync(good).subarray(0, 2000));
  fs.writeFileSync(path.join(root, 'cut.tar'), good.subarray(0, 2000));
  fs.writeFileSync(path.join(root, 'plain.gz'), zlib.gzipSync('export const iql = 1;\n'));
  const zip = makeZip([{ name: 'iql.ts', data: 'x' }]);
  fs.writeFileSync(path.join(root, 'cut.zip'), zip.subarray(0, zip.length - 30));
  for (const name of ['cut.tar.gz', 'cut.tar', 'cut.zip']) {
    const intake = await prepareSubmission(path.join(root, name), EXPECTED, work);
    expect(intake.problems).toEqual([]);
    expect(intake.upload.headline).toBe(`Nothing could be graded: the archive '${name}' is damaged or incomplete, so it could not be unpacked; make it again, check that it opens, and resubmit.`);
  }
  const gz = await prepareSubmission(path.join(root, 'plain.gz'), EXPECTED, work);
  expect(gz.upload.headline).toBe("Nothing could be graded: the archive 'plain.gz' is gzip-compressed but holds no tar archive; upload a .zip, .tar or .tar.gz file instead.");
  expect(fs.readdirSync(work)).toEqual([]);
});
