// The CQL homework (assignments/cql, docs/contract.md §9) through the same engine as the default
// homework: every known mistake gives other numbers than the reference (visible and hidden cases,
// several secrets) and its hint; the update the variants are built from is the reference update;
// the reference earns full marks (its training run included), the starter none, and each buggy
// submission loses points on its question with its hint.
import * as path from 'node:path';
import type { Graded } from '../../grader/cli/grade';
import { runHarness, type Loaded } from '../../grader/child/execute';
import { closeTo } from '../../grader/diagnostics/match';
import { validateResults } from '../../grader/results';
import { composeCqlUpdate } from '../../assignments/cql/private/update-variants';
import { grading } from '../../assignments/cql/private';
import { allTrue, loadReference, runCases, SECRETS, verdict, type CaseRun } from './diagnostics-support';
import { buggyManifest, buggyNames, buggySubmission, grade, inBatches, ROOT } from './support';

const CQL = path.join(ROOT, 'assignments/cql');
const VARIANTS = grading.variants;
let loaded: Loaded;
let runs: CaseRun[];

beforeAll(async () => {
  loaded = await loadReference(CQL);
  runs = runCases(loaded, { secrets: SECRETS, variants: true, assignment: CQL });
}, 900_000);

const named = (list: typeof VARIANTS) => list.map((v) => [`${v.target} ${v.id}`, v] as const);
const seenThrough = (v: (typeof VARIANTS)[number]) => v.id.includes(':');

test.each(named(VARIANTS.filter((v) => !seenThrough(v))))('%s: other numbers than the reference (visible and hidden), and its hint', (_name, v) => {
  expect(verdict(v, runs, SECRETS)).toEqual(allTrue(SECRETS));
});

test.each(named(VARIANTS.filter(seenThrough)))('%s: other numbers than the reference on some case, and its hint', (_name, v) => {
  const { ran, differsOnAVisibleCase, differsOnAHiddenCase, hintGiven } = verdict(v, runs, SECRETS);
  expect({ ran, differs: differsOnAVisibleCase || Object.values(differsOnAHiddenCase).some(Boolean), hintGiven }).toEqual({ ran: true, differs: true, hintGiven: true });
});

test('the update rebuilt with no mistake switched on is the reference update, with and without warm-up', () => {
  const mine = runs.filter((r) => r.spec.target === 'cql.cqlUpdate');
  expect(mine.length).toBeGreaterThanOrEqual(2 + 2 * SECRETS.length);
  for (const r of mine) {
    const out = runHarness(r.call, composeCqlUpdate(loaded.modules, {}), loaded.dir);
    expect(out.ok).toBe(true);
    expect(out.changed).toEqual(r.reference.changed);
    for (const [name, t] of Object.entries(r.reference.outputs)) expect({ case: r.spec.id, name, equal: closeTo(out.outputs[name], t, { atol: 0, rtol: 0 }) }).toEqual({ case: r.spec.id, name, equal: true });
  }
});

describe('grading the CQL homework', () => {
  let solutions: Graded;
  let starter: Graded;
  const buggy = new Map<string, Graded>();

  beforeAll(async () => {
    [solutions, starter] = await Promise.all([grade(path.join(CQL, 'solutions'), undefined, { assignment: CQL }), grade(path.join(CQL, 'starter'), undefined, { assignment: CQL, skipTraining: true })]);
    const names = buggyNames(CQL);
    const graded = await inBatches(names, 2, (n) => grade(buggySubmission(n, CQL), undefined, { assignment: CQL, skipTraining: true }));
    names.forEach((n, i) => buggy.set(n, graded[i]));
  }, 900_000);

  test('the reference earns every point, the end-to-end training run included; the starter none', () => {
    expect(solutions.report.total).toBeCloseTo(70, 6);
    expect(solutions.report.questions.filter((q) => q.earned < q.points - 1e-9).map((q) => q.id)).toEqual([]);
    const train = solutions.report.questions.find((q) => q.id === 'Q4.1')!.cases[0];
    expect(train.messages[0]).toMatch(/^Your CQL, trained on the stitch dataset, reached a success rate of \d+(\.\d)?%/);
    expect(validateResults(solutions.results)).toEqual([]);
    expect(starter.report.total).toBe(0);
  });

  test('there are buggy submissions for most questions', () => {
    expect(new Set(buggyNames(CQL).map((n) => buggyManifest(n, CQL).question)).size).toBeGreaterThanOrEqual(9);
  });

  test.each(buggyNames(CQL))('buggy submission %s loses points on its question and gets the hint', (name) => {
    const m = buggyManifest(name, CQL);
    const q = buggy.get(name)!.report.questions.find((x) => x.id === m.question)!;
    expect(q.earned).toBeLessThan(q.points);
    const hints = q.cases.filter((c) => c.status === 'failed').map((c) => c.hint ?? '');
    expect(hints.some((h) => h.includes(m.hint_contains))).toBe(true);
  });
});
