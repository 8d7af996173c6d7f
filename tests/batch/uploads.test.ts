// Bad and incomplete uploads in a real batch: a damaged zip is a `bad-upload` row, a folder with
// only returns.ts a `missing-files` row that keeps its points; both are counted, listed in
// summary.html for staff, and the student's results start with the reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import type { GradingRecord } from '../../grader/batch/types';
import { assignmentSnapshot, fastFlags, read, rlgrade, ROOT, tempDir } from './support';

jest.setTimeout(600_000);

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

test('a damaged zip is bad-upload, a partial folder missing-files; counted, listed for staff, first in the results', () => {
  const input = tempDir('uploads-input');
  made.push(input);
  const files = fs.readdirSync(path.join(ROOT, 'solutions')).filter((f) => f.endsWith('.ts'));
  const zip = zipSync(Object.fromEntries(files.map((f) => [f, new Uint8Array(fs.readFileSync(path.join(ROOT, 'solutions', f)))])));
  fs.writeFileSync(path.join(input, 'damaged.zip'), zip.subarray(0, Math.floor(zip.length / 2)));
  fs.mkdirSync(path.join(input, 'partial'));
  fs.copyFileSync(path.join(ROOT, 'solutions', 'returns.ts'), path.join(input, 'partial', 'returns.ts'));
  const out = tempDir('uploads-out');
  made.push(out);

  const assignment = assignmentSnapshot();
  made.push(assignment);
  const r = rlgrade(['batch', input, '--out', out, '--workers', '1', ...fastFlags(assignment)]);
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/2 submission\(s\), 2 graded now, 0 up to date; 0 ok, 0 timeout, 1 missing-files, 1 bad-upload, 0 error;/);

  const rows = read(path.join(out, 'gradebook.csv')).trim().split('\n');
  expect(rows[1]).toMatch(/^damaged.zip,.*,0,bad-upload$/);
  expect(rows[2]).toMatch(/^partial,.*,missing-files$/);
  const record = (name: string): GradingRecord => JSON.parse(read(path.join(out, 'submissions', name, 'grading.json')));
  expect(record('damaged.zip').reason).toBe("Nothing could be graded: the archive 'damaged.zip' is damaged or incomplete, so it could not be unpacked; make it again, check that it opens, and resubmit");
  expect(record('partial').reason).toMatch(/^Your upload is incomplete: policy.ts, filtered_bc.ts, .* were not found, so the tests that need them score 0$/);
  expect(record('partial').questions['Q1.1']).toBe(5); // what was sent is graded

  const results = JSON.parse(read(path.join(out, 'submissions', 'damaged.zip', 'results.json')));
  expect(results.output.split('\n')[0]).toMatch(/^\*\*Nothing could be graded: the archive 'damaged\.zip' is damaged or incomplete/);
  for (const t of results.tests) expect(t.output).toBe('Your upload could not be read (see the first line of the output), so this case could not run.');

  const summary = read(path.join(out, 'summary.html'));
  expect(summary).toContain('<tr><th>bad-upload</th><td class="num">1</td></tr>');
  expect(summary).toContain('<h2>Uploads to check</h2>');
  expect(summary).toMatch(/<tr><td>damaged.zip<\/td><td>bad-upload<\/td><td>Nothing could be graded: /);
  expect(summary).toMatch(/<tr><td>partial<\/td><td>missing-files<\/td><td>Your upload is incomplete: /);
});
