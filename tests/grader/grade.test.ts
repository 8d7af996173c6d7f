// rlgrade grade end to end: the reference earns full marks, the starter none, each buggy
// submission loses points on its question with the expected hint, results.json validates,
// grading is repeatable and hidden cases never show expected numbers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Graded } from '../../grader/cli/grade';
import { loadAssignment } from '../../grader/assignment/load';
import { buildCalls } from '../../grader/cases/build';
import { validateResults } from '../../grader/results';
import { computeReference } from '../../grader/runner/reference';
import { buggyNames, buggySubmission, CACHE_DIR, FQE_RUN_CASES, grade, inBatches, manifest, ROOT, TRAINING_CASE } from './support';

let solutions: Graded;
let starter: Graded;
const buggy = new Map<string, Graded>();
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-out-'));

// The training case (a ~25 s IQL run) runs for the reference, the starter and one buggy IQL
// (expectile-swapped-tau, which does not learn); the other buggy submissions skip it.
const TRAINED_BUGGY = 'expectile-swapped-tau';

beforeAll(async () => {
  [solutions, starter] = await Promise.all([grade(path.join(ROOT, 'solutions'), outDir), grade(path.join(ROOT, 'starter'))]);
  const names = buggyNames();
  const graded = await inBatches(names, 2, (n) => grade(buggySubmission(n), undefined, { skipTraining: n !== TRAINED_BUGGY }));
  names.forEach((n, i) => buggy.set(n, graded[i]));
}, 400_000);

test('the reference solution earns every point, extra credit included', () => {
  for (const q of solutions.report.questions) {
    for (const c of q.cases) {
      if (c.id === TRAINING_CASE) expect({ status: c.status, score: c.score, first: c.messages[0] }).toEqual({ status: 'passed', score: c.maxScore, first: expect.stringMatching(/reached a success rate of (100|9\d(\.\d)?|8\d(\.\d)?)%/) });
      else expect({ id: c.id, status: c.status, messages: c.messages }).toEqual({ id: c.id, status: 'passed', messages: ['Passed.'] });
    }
    expect(q.earned).toBeCloseTo(q.points, 6);
  }
  expect(solutions.report.total).toBeCloseTo(123, 6); // 120 autograded + 3 extra credit
});

test('results.json, report.md and report.html are written and results.json validates', () => {
  expect(validateResults(JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8')))).toEqual([]);
  expect(fs.existsSync(path.join(outDir, 'report.md'))).toBe(true);
  expect(fs.existsSync(path.join(outDir, 'report.html'))).toBe(true);
  expect(validateResults(starter.results)).toEqual([]);
});

test('the starter earns nothing, and every case says which function is not implemented', () => {
  for (const q of starter.report.questions) {
    expect(q.earned).toBe(0);
    // The training case and the FQE runs call several functions; they name the first one they met (createIqlAgent, Q3.8; fqeUpdate, Q7.4).
    for (const c of q.cases) expect(c.messages[0]).toMatch(c.id === TRAINING_CASE || FQE_RUN_CASES.includes(c.id) ? /^not implemented yet: \w+ \(Q[\d.]+\)/ : new RegExp(`^not implemented yet: \\w+ \\(${q.id.replace('.', '\\.')}\\)`));
  }
});

test('there are at least 15 buggy submissions', () => {
  expect(buggyNames().length).toBeGreaterThanOrEqual(15);
});

test.each(buggyNames())('buggy submission %s loses points on its question and gets the hint', (name) => {
  const m = manifest(name);
  const graded = buggy.get(name)!;
  const q = graded.report.questions.find((x) => x.id === m.question)!;
  expect(q.earned).toBeLessThan(q.points);
  const hints = q.cases.filter((c) => c.status === 'failed').map((c) => c.hint ?? '');
  expect(hints.some((h) => h.includes(m.hint_contains))).toBe(true);
  expect(validateResults(graded.results)).toEqual([]);
});

test('grading twice gives identical scores and messages', async () => {
  const name = 'critic-loss-sum';
  const again = await grade(buggySubmission(name), undefined, { skipTraining: true });
  const strip = (g: Graded) => g.results.tests!.map((t) => ({ name: t.name, score: t.score, output: t.output }));
  expect(strip(again)).toEqual(strip(buggy.get(name)!));
});

test('hidden cases show no expected value', async () => {
  const a = loadAssignment();
  const reference = await computeReference(a, buildCalls(a, 'dev-secret').filter((c) => c.id !== TRAINING_CASE), a.backend, CACHE_DIR);
  for (const graded of buggy.values()) {
    for (const q of graded.report.questions) {
      for (const c of q.cases.filter((x) => x.visibility !== 'visible')) {
        const test = graded.results.tests!.find((t) => t.name.endsWith(`: ${c.name}`))!;
        expect(c.details).toBeUndefined();
        const expected = Object.values(reference.get(c.id)!.result.outputs).flatMap((t) => t.data).filter((x) => Math.abs(x) >= 0.01 && !Number.isInteger(x));
        for (const x of expected) {
          expect(test.output ?? '').not.toContain(Number(x.toPrecision(7)).toString());
          expect(test.output ?? '').not.toContain(x.toFixed(3));
        }
      }
    }
  }
});

test('visible failures show expected and got for the worst elements', () => {
  const q = buggy.get('expectile-swapped-tau')!.report.questions.find((x) => x.id === 'Q3.1')!;
  const visible = q.cases.find((c) => c.visibility === 'visible')!;
  expect(visible.details?.[0]).toMatch(/^result\[\d+\]: expected -?[\d.e-]+, got -?[\d.e-]+$/);
});

describe('the end-to-end IQL training case', () => {
  const trainCase = (g: Graded) => g.report.questions.flatMap((q) => q.cases).find((c) => c.id === TRAINING_CASE)!;

  test('the reference earns its points, states its success rate and the thresholds, and draws the maze', () => {
    const c = trainCase(solutions);
    expect(c.score).toBeCloseTo(c.maxScore, 6);
    expect(c.messages[1]).toMatch(/^Thresholds: 100% of the points at a success rate of at least 80%, 50% of the points at a success rate of at least 50%; this run earns 100% of the points\.$/);
    expect(c.figures?.[0]).toEqual({ title: 'Final evaluation trajectories', svg: expect.stringMatching(/^<svg[\s\S]*<polyline/) });
  });

  test('its success rate feeds the leaderboard of results.json, which validates', () => {
    const results = JSON.parse(fs.readFileSync(path.join(outDir, 'results.json'), 'utf8'));
    expect(validateResults(results)).toEqual([]);
    expect(results.leaderboard).toEqual([{ name: 'IQL success on stitch', value: expect.any(Number), order: 'desc' }]);
    expect(results.leaderboard[0].value).toBeGreaterThanOrEqual(0.8);
    expect(solutions.report.leaderboard?.[0].value).toBe(results.leaderboard[0].value);
  });

  test(`a buggy IQL that does not learn (${TRAINED_BUGGY}) earns fewer points on it`, () => {
    const c = trainCase(buggy.get(TRAINED_BUGGY)!);
    expect(c.score).toBeLessThan(c.maxScore);
    expect(c.messages[0]).toMatch(/reached a success rate of [\d.]+%/);
    expect(buggy.get(TRAINED_BUGGY)!.report.leaderboard?.[0].value).toBeLessThan(0.8);
  });

  test('the starter earns nothing on it and its leaderboard value is 0', () => {
    const c = trainCase(starter);
    expect(c.score).toBe(0);
    expect(c.messages[0]).toMatch(/^not implemented yet: /);
    expect(starter.report.leaderboard).toEqual([{ name: 'IQL success on stitch', value: 0, order: 'desc' }]);
  });
});
