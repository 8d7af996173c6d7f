// The results.json schema, its validator, the atomic writer and the failure fallback.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failureResults, RESULTS_SCHEMA_PATH, validateResults, writeResults } from '../../grader/results';

/** Every field Gradescope documents, at both levels. */
function fullExample(): Record<string, unknown> {
  return {
    score: 42.5,
    execution_time: 136,
    output: 'Text relevant to the entire submission',
    output_format: 'simple_format',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'after_due_date',
    stdout_visibility: 'visible',
    extra_data: { anything: [1, 2] },
    tests: [
      {
        score: 2,
        max_score: 2,
        status: 'passed',
        name: 'Your name here',
        name_format: 'text',
        number: '1.1',
        output: 'Giant multiline string',
        output_format: 'md',
        tags: ['tag1', 'tag2'],
        visibility: 'visible',
        extra_data: {},
      },
      { score: 0, max_score: 1, status: 'failed', name: 'hidden one', visibility: 'hidden', output_format: 'ansi' },
    ],
    leaderboard: [
      { name: 'Accuracy', value: 0.926 },
      { name: 'Time', value: 15, order: 'asc' },
      { name: 'Stars', value: '*****' },
    ],
  };
}

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-results-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the schema file is JSON Schema draft-07 and accepts a full example', () => {
  expect(JSON.parse(fs.readFileSync(RESULTS_SCHEMA_PATH, 'utf8')).$schema).toMatch(/draft-07/);
  expect(validateResults(fullExample())).toEqual([]);
  expect(validateResults({ score: 0 })).toEqual([]);
  expect(validateResults({ tests: [{ score: 1, max_score: 1, name: 'a' }] })).toEqual([]);
});

test('the failure results are valid, zero, and free of stack traces and paths', () => {
  const err = new Error('ENOENT: no such file /autograder/source/grader/cases.yaml');
  const results = failureResults(`${err.message}\n${err.stack}`, 12.5);
  expect(validateResults(results)).toEqual([]);
  expect(results.score).toBe(0);
  expect(results.execution_time).toBe(12.5);
  expect(results.output).toMatch(/could not finish/);
  expect(results.output).toMatch(/staff have been told/);
  expect(results.output).not.toMatch(/\/autograder|at .*:\d+|\.ts/);
  expect(validateResults(failureResults('', NaN))).toEqual([]);
});

test('bad status, bad visibility, missing max_score and unknown keys are rejected, naming the path', () => {
  const bad = fullExample();
  const tests = bad.tests as Array<Record<string, unknown>>;
  tests[0].status = 'ok';
  tests[1].visibility = 'students';
  delete tests[1].max_score;
  bad.colour = 'red';
  (bad.leaderboard as Array<Record<string, unknown>>)[1].order = 'up';
  expect(validateResults(bad).sort()).toEqual(
    [
      '/: unexpected property "colour"',
      '/tests/0/status: must be one of "passed", "failed"',
      '/tests/1/visibility: must be one of "hidden", "after_due_date", "after_published", "visible"',
      '/tests/1: missing required property "max_score"',
      '/leaderboard/1/order: must be one of "asc", "desc"',
    ].sort(),
  );
  expect(validateResults({})).toEqual(['/: needs a top-level "score" or a "tests" array']);
  expect(validateResults({ tests: [{ max_score: 1, name: 'a' }] })).toEqual([
    '/tests/0: missing required property "score" (needed when there is no top-level score)',
  ]);
  expect(validateResults({ score: '3' })).toEqual(['/score: must be number']);
  expect(validateResults([])).not.toEqual([]);
});

test('writeResults writes valid results atomically and refuses invalid ones in one line', () => {
  const file = path.join(dir, 'out', 'results.json');
  writeResults(file, fullExample());
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(fullExample());
  expect(fs.readdirSync(path.dirname(file))).toEqual(['results.json']);
  let message = '';
  try {
    writeResults(file, { tests: [{ name: 'x', status: 'maybe' }] });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(message).toMatch(/^results.json would be invalid: /);
  expect(message).not.toContain('\n');
  expect(message).toContain('/tests/0/status');
  // The earlier, valid file is untouched and no temporary file is left behind.
  expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(fullExample());
  expect(fs.readdirSync(path.dirname(file))).toEqual(['results.json']);
});
