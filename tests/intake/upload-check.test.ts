// The verdict on an upload as a whole: complete, incomplete or unreadable, the one sentence that
// becomes the first line of the student's output, and the reason each unused file's tests give.
import * as fs from 'fs';
import * as path from 'path';
import { prepareSubmission } from '../../grader/intake';
import { makeZip, removeTempDirs, tempDir, writeTree } from './support';

const EXPECTED = ['returns.ts', 'iql.ts', 'awr.ts', 'bc.ts'];

afterAll(removeTempDirs);

async function intakeOf(files: Record<string, string>) {
  const dir = tempDir();
  writeTree(dir, files);
  return prepareSubmission(dir, EXPECTED, tempDir());
}

/** One line, one clear statement ending in a full stop. */
function expectHeadline(headline: string | undefined): void {
  expect(headline).toBeDefined();
  expect(headline).not.toMatch(/\n/);
  expect(headline).toMatch(/\.$/);
}

test('every file there: complete, no headline', async () => {
  const intake = await intakeOf({ 'returns.ts': 'a', 'iql.ts': 'b', 'awr.ts': 'c', 'bc.ts': 'd' });
  expect(intake.upload).toEqual({ status: 'complete', why: {} });
});

test('some files missing or unusable: incomplete, each named once in the headline, a near name offered', async () => {
  const intake = await intakeOf({ 'returns.ts': 'a', 'IQL.ts': 'b', 'v1/awr.ts': 'c', 'v2/awr.ts': 'c2' });
  expect(intake.upload.status).toBe('incomplete');
  expect(intake.upload.headline).toBe("Your upload is incomplete: bc.ts was not found, iql.ts was not found (did you mean 'IQL.ts'?) and awr.ts is there 2 times, so the tests that need them score 0.");
  expectHeadline(intake.upload.headline);
  expect(intake.upload.why).toEqual({
    'iql.ts': "iql.ts was not found in your upload (did you mean 'IQL.ts'?)",
    'awr.ts': 'awr.ts is in your upload 2 times, and none was used',
    'bc.ts': 'bc.ts was not found in your upload',
  });
});

test('an empty file makes the upload incomplete, though it is kept', async () => {
  const intake = await intakeOf({ 'returns.ts': 'a', 'iql.ts': '', 'awr.ts': 'c', 'bc.ts': 'd' });
  expect(intake.missing).toEqual([]);
  expect(intake.upload).toEqual({ status: 'incomplete', headline: 'Your upload is incomplete: iql.ts is empty, so the tests that need it score 0.', why: {} });
});

test('nothing usable in a readable upload: unreadable, the files asked for listed', async () => {
  const intake = await intakeOf({ 'notes.md': '# my homework' });
  expect(intake.upload.status).toBe('unreadable');
  expect(intake.upload.headline).toBe('Nothing could be graded: none of the 4 files the assignment asks for (returns.ts, iql.ts, awr.ts and bc.ts) was found in your upload.');
  const near = await intakeOf({ 'Returns.ts': 'a', 'iql.js': 'b' });
  expect(near.upload.status).toBe('unreadable');
  expect(near.upload.headline).toBe("Nothing could be graded: awr.ts and bc.ts were not found, returns.ts was not found (did you mean 'Returns.ts'?) and iql.ts was not found (did you mean 'iql.js'?).");
});

test('a damaged zip: unreadable, the reason in the headline, and no test blames a forgotten file', async () => {
  const dir = tempDir();
  const zip = makeZip(EXPECTED.map((name) => ({ name: `hw/${name}`, data: `export const x = '${name}';\n` })));
  fs.writeFileSync(path.join(dir, 'submission.zip'), zip.subarray(0, zip.length - 40)); // cut off while uploading
  const intake = await prepareSubmission(dir, EXPECTED, tempDir());
  expect(intake.upload.status).toBe('unreadable');
  expect(intake.upload.headline).toBe(
    "Nothing could be graded: the archive 'submission.zip' is damaged or incomplete, so it could not be unpacked; make it again, check that it opens, and resubmit.",
  );
  expect(intake.problems).toEqual([]); // said once, in the headline
  for (const name of EXPECTED) expect(intake.upload.why[name]).toBe('Your upload could not be read (see the first line of the output)');
});

test('many problems: the headline names the first three and counts the rest', async () => {
  const files = ['returns.ts', 'iql.ts', 'awr.ts', 'bc.ts', 'a.ts', 'b.ts'];
  const dir = tempDir();
  writeTree(dir, { 'a.ts': 'x', 'IQL.ts': 'y', 'Awr.ts': 'z', 'BC.ts': 'w', 'v1/b.ts': '1', 'v2/b.ts': '2' });
  const intake = await prepareSubmission(dir, files, tempDir());
  expect(intake.upload.headline).toBe(
    "Your upload is incomplete: returns.ts was not found, iql.ts was not found (did you mean 'IQL.ts'?), awr.ts was not found (did you mean 'Awr.ts'?) and 2 more problems listed below, so the tests that need them score 0.",
  );
});
