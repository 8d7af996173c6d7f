// A bad or incomplete upload, from the intake to what the student reads: its one sentence is the
// first line of results.json's output, of report.md and of report.html, and each test of a file
// not used gives that file's own reason (not "was not submitted" for a damaged archive).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAssignment } from '../../grader/assignment/load';
import { prepareSubmission } from '../../grader/intake';
import { renderHtml, renderMarkdown, toResultsJson, type GradeReport } from '../../grader/report';
import { mdText } from '../../grader/report/escape';
import { validateResults } from '../../grader/results';
import { buildReport } from '../../grader/scoring/score';
import { makeZip } from '../intake/support';

const assignment = loadAssignment();
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-upload-report-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

/** The report of an upload whose student code never ran (no case outcomes): only the intake speaks. */
async function reportOf(upload: string): Promise<GradeReport> {
  const work = fs.mkdtempSync(path.join(temp, 'work-'));
  const intake = await prepareSubmission(upload, assignment.files, work);
  return buildReport({
    assignment,
    student: new Map(),
    reference: new Map(),
    missingFiles: intake.missing,
    submission: 'submission_7',
    backend: 'wasm',
    intakeProblems: intake.problems.map((p) => p.message),
    upload: intake.upload,
  });
}

/** A Gradescope upload folder holding a zip of every file, cut off before its end. */
function damagedUpload(): string {
  const dir = fs.mkdtempSync(path.join(temp, 'damaged-'));
  const zip = makeZip(assignment.files.map((name) => ({ name, data: `export const x = '${name}';\n` })));
  fs.writeFileSync(path.join(dir, 'submission.zip'), zip.subarray(0, Math.floor(zip.length * 0.8)));
  return dir;
}

/** Every file but iql.ts, which was sent as IQL.ts. */
function misnamedUpload(): string {
  const dir = fs.mkdtempSync(path.join(temp, 'misnamed-'));
  for (const name of assignment.files) fs.writeFileSync(path.join(dir, name === 'iql.ts' ? 'IQL.ts' : name), 'export {};\n');
  return dir;
}

const DAMAGED = "Nothing could be graded: the archive 'submission.zip' is damaged or incomplete, so it could not be unpacked; make it again, check that it opens, and resubmit.";
const MISNAMED = "Your upload is incomplete: iql.ts was not found (did you mean 'IQL.ts'?), so the tests that need it score 0.";

test('results.json: the headline of a damaged upload is the first line of the output, said once', async () => {
  const results = toResultsJson(await reportOf(damagedUpload()), { executionTime: 1 });
  expect(validateResults(results)).toEqual([]);
  expect(results.output!.split('\n')[0]).toBe(`**${mdText(DAMAGED)}**`);
  expect(results.output).not.toContain('Problems with your submission');
  expect(results.output!.split('damaged or incomplete')).toHaveLength(2);
});

test('results.json: every test of a damaged upload says the upload could not be read, none that a file was not submitted', async () => {
  const results = toResultsJson(await reportOf(damagedUpload()), { executionTime: 1 });
  const tests = results.tests!;
  expect(tests.length).toBe(assignment.cases.length);
  for (const t of tests) {
    expect(t.output).toBe('Your upload could not be read (see the first line of the output), so this case could not run.');
    expect(t.score).toBe(0);
  }
});

test('results.json: a misnamed file is the first line, with "did you mean"; only its own tests say so', async () => {
  const results = toResultsJson(await reportOf(misnamedUpload()), { executionTime: 1 });
  expect(results.output!.split('\n')[0]).toBe(`**${mdText(MISNAMED)}**`);
  expect(results.output).toContain("did you mean 'IQL.ts'? It was not used, because the grader takes only a file named exactly 'iql.ts'");
  const iql = assignment.cases.filter((c) => c.target.startsWith('iql.')).map((c) => c.id);
  const tests = results.tests!;
  const mine = tests.filter((t, i) => iql.includes(assignment.cases[i].id));
  expect(mine.length).toBeGreaterThan(5);
  for (const t of mine) expect(t.output).toBe("iql.ts was not found in your upload (did you mean 'IQL.ts'?), so this case could not run.");
  expect(tests.filter((t) => t.output?.includes('iql.ts'))).toHaveLength(mine.length);
});

test('report.md and report.html: the headline comes first, right under the title', async () => {
  for (const [upload, headline] of [[damagedUpload(), DAMAGED], [misnamedUpload(), MISNAMED]]) {
    const report = await reportOf(upload);
    const md = renderMarkdown(report).markdown.split('\n').filter((line) => line.trim() !== '');
    expect(md[0]).toMatch(/^# /);
    expect(md[1]).toBe(`**${headline}**`);
    const html = renderHtml(report);
    const body = html.slice(html.indexOf('<body>'));
    expect(body).toMatch(/^<body>\n<h1>[^<]*<\/h1>\n<p class="upload" role="alert">([^<]*)<\/p>\n/);
    const shown = /<p class="upload" role="alert">([^<]*)<\/p>/.exec(body)![1].replace(/&#x27;/g, "'");
    expect(shown).toBe(headline);
  }
});

test('a complete upload has no headline', async () => {
  const dir = fs.mkdtempSync(path.join(temp, 'complete-'));
  for (const name of assignment.files) fs.writeFileSync(path.join(dir, name), 'export {};\n');
  const report = await reportOf(dir);
  expect(report.upload).toBeUndefined();
  expect(renderHtml(report)).not.toContain('class="upload"');
  expect(toResultsJson(report, { executionTime: 1 }).output!.startsWith('| Question |')).toBe(true);
});
