// The assignment file: schema errors name the file, the field path and what was expected; the
// kit's own file is consistent; hidden inputs depend on the course secret.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseQuestionMap } from '../../authoring/questions';
import { loadAssignment, parseAssignment } from '../../grader/assignment/load';
import { AssignmentError } from '../../grader/assignment/types';
import { buildCall, caseProblems } from '../../grader/cases/build';
import { validateAssignment } from '../../grader/cli/validate';
import { ROOT } from './support';

const FILE = path.join(ROOT, 'assignments/offline-rl/assignment.yaml');
const text = fs.readFileSync(FILE, 'utf8');

function problemsOf(yaml: string): string[] {
  try {
    parseAssignment(yaml, 'a.yaml', ROOT);
  } catch (err) {
    if (err instanceof AssignmentError) return err.problems.map((p) => `${err.file}: ${p}`);
    throw err;
  }
  return [];
}

test('the kit assignment passes the static checks of rlgrade validate', async () => {
  expect(await validateAssignment({ secret: 'dev-secret', staticOnly: true })).toEqual([]);
});

test('every function question has a visible and a hidden case; update steps have cases', () => {
  const a = loadAssignment();
  expect(caseProblems(a, 'dev-secret')).toEqual([]);
  for (const fn of ['iqlUpdate', 'awrUpdate', 'softUpdate', 'createIqlAgent']) expect(a.cases.some((c) => c.target.endsWith(`.${fn}`))).toBe(true);
  expect(a.cases.filter((c) => c.visibility !== 'visible').every((c) => c.visibility === 'after_due_date')).toBe(true);
});

test('the starter builder reads the same file', () => {
  const map = parseQuestionMap(text, 'assignment.yaml');
  expect(map.get('expectileLoss')).toBe('Q3.1');
  expect(map.size).toBe(loadAssignment().questions.reduce((s, q) => s + q.functions.length, 0));
});

test('schema errors name the file, the field path and what was expected', () => {
  const bad = text.replace('tolerance: { atol: 1.0e-5, rtol: 1.0e-4 }', 'tolerance: { atol: small, rtol: 1.0e-4 }').replace('visibility: visible, inputs: { generator: episodes, rows: 12, gamma: 0.9', 'visibility: secret, inputs: { generator: episodes, rows: 12, gamma: 0.9');
  const problems = problemsOf(bad);
  expect(problems).toContain('a.yaml: /case_defaults/tolerance/atol: expected number');
  expect(problems.some((p) => p.startsWith('a.yaml: /cases/0/visibility: expected one of "visible", "hidden"'))).toBe(true);
  expect(problemsOf(text.replace('question: Q1.1, target', 'question: Q9.9, target'))).toEqual(["a.yaml: /cases/0/question: expected one of the question ids, got 'Q9.9'"]);
  expect(problemsOf('title: [')[0]).toMatch(/^a\.yaml: line \d+: invalid YAML/);
});

test('hidden inputs depend on the course secret, visible ones do not', () => {
  const a = loadAssignment();
  const hidden = a.cases.find((c) => c.visibility !== 'visible')!;
  const visible = a.cases.find((c) => c.visibility === 'visible')!;
  expect(buildCall(a, hidden, 's1')).not.toEqual(buildCall(a, hidden, 's2'));
  expect(buildCall(a, hidden, 's1')).toEqual(buildCall(a, hidden, 's1'));
  expect(buildCall(a, visible, 's1')).toEqual(buildCall(a, visible, 's2'));
});
