// The handout's Jest summary: its local total accounts for every autograded point, the training
// run's (Q3.10) included, so public + hidden + training runs add up to the assignment's points; a
// question whose passed case got the grader's remark (a tensor leak) says so.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PublicData, PublicQuestion } from '../../handout/public-cases';

// The reporter is plain JavaScript that ships as the handout's tests/summary-reporter.js.
const SummaryReporter = require('../../handout/summary-reporter.js') as new (g: { rootDir: string }, o: { cases: string }) => {
  onTestResult(t: unknown, r: { console?: { type: string; message: string }[] }): void;
  onRunComplete(c: unknown, a: unknown): void;
};

const question = (id: string, kind: PublicQuestion['kind'], points: number, publicPoints: number, extraCredit = false): PublicQuestion => ({
  id,
  title: `title of ${id}`,
  points,
  extraCredit,
  functions: kind === 'cases' ? [`f${id}`] : [],
  kind,
  publicPoints,
  cases: kind === 'cases' ? [{ name: 'check', maxScore: publicPoints } as PublicQuestion['cases'][number]] : [],
});

const DATA: PublicData = {
  title: 'Offline RL',
  backend: 'wasm',
  submission: ['iql.ts'],
  limits: { startupSeconds: 20, memoryMiB: 1536 },
  stakes: {},
  publicModule: 'assignments/offline-rl/public/index.ts',
  questions: [
    question('Q3.1', 'cases', 4, 2),
    question('Q3.10', 'training', 5, 0),
    question('Q6.1', 'cases', 1, 0.5, true),
    question('W1', 'written', 5, 0),
  ],
};

function summary(consoleEntries: { type: string; message: string }[] = []): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-reporter-')), 'public-cases.json');
  fs.writeFileSync(file, JSON.stringify(DATA));
  const results = { testResults: [{ testResults: [{ ancestorTitles: ['Q3.1 fQ3.1'], title: 'check', status: 'passed', failureMessages: [] }] }] };
  let text = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((text += String(s)), true));
  try {
    const reporter = new SummaryReporter({ rootDir: path.dirname(file) }, { cases: file });
    reporter.onTestResult({}, { console: consoleEntries });
    reporter.onRunComplete([], results);
  } finally {
    spy.mockRestore();
  }
  return text;
}

test("the local total names the training run's points with the hidden cases, and the sum is every autograded point", () => {
  const text = summary();
  expect(text).toContain('Total: 2.00 of 2.50 public points.');
  expect(text).toContain('Graded after you submit: hidden cases worth 2.50 points, Q3.10 title of Q3.10 worth 5.00 points (a training run); 10.00 autograded points in all, 1.00 of them extra credit.');
  expect(text).toContain('Written answers (5.00 points) are graded by hand.');
  // public 2.50 + hidden 2.50 + training 5.00 = 10.00 = 4 + 5 + 1
  const [pub, hidden, training, all] = [/of ([\d.]+) public/, /hidden cases worth ([\d.]+)/, /Q3\.10 .* worth ([\d.]+)/, /([\d.]+) autograded points in all/].map((re) => Number(re.exec(text)![1]));
  expect(pub + hidden + training).toBeCloseTo(all, 6);
});

test("a passed case with the grader's remark (printed by the test with console.warn) marks its question", () => {
  expect(summary()).toMatch(/Q3\.1 +title of Q3\.1 +2\.00 \/ 2\.00 +passed\n/);
  const remark = { type: 'warn', message: 'Q3.1 check passed, but the grader remarks: Your code left 5 more tensor(s) allocated than the reference; wrap intermediate work in tf.tidy.' };
  expect(summary([remark])).toMatch(/Q3\.1 +title of Q3\.1 +2\.00 \/ 2\.00 +passed, with a remark from the grader \(above\)\n/);
  expect(summary([{ ...remark, type: 'log' }])).toMatch(/Q3\.1 +title of Q3\.1 +2\.00 \/ 2\.00 +passed\n/);
});
