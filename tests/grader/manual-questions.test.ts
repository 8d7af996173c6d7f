// Manual (written) questions: declared in assignment.yaml with `manual: true` and a prompt, read by
// the handout, graded by staff in Gradescope; never part of total_points, the report or results.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseQuestionMap } from '../../authoring/questions';
import { gradedQuestions, loadAssignment, manualQuestions, parseAssignment } from '../../grader/assignment/load';
import { AssignmentError } from '../../grader/assignment/types';
import { toResultsJson } from '../../grader/report';
import { buildReport } from '../../grader/scoring/score';
import { validateResults } from '../../grader/results';
import { ROOT } from './support';

const text = fs.readFileSync(path.join(ROOT, 'assignments/offline-rl/assignment.yaml'), 'utf8');

function problemsOf(yaml: string): string[] {
  try {
    parseAssignment(yaml, 'a.yaml', ROOT);
  } catch (err) {
    if (err instanceof AssignmentError) return err.problems;
    throw err;
  }
  return [];
}

/** A minimal valid assignment with one function question and the given extra question lines. */
const tiny = (extra: string, cases = '') => `title: t
total_points: 1
submission: { files: [a.ts] }
grading: { backend: cpu }
questions:
  - { id: Q1.1, title: f, points: 1, functions: [f] }
${extra}
cases:
  - { id: c1, question: Q1.1, target: a.f, visibility: visible, inputs: { generator: scalars } }
${cases}`;

test('the kit assignment declares the written questions of the offline-evaluation part, outside total_points', () => {
  const a = loadAssignment();
  const manual = manualQuestions(a);
  expect(manual.map((q) => ({ id: q.id, points: q.points, functions: q.functions, extraCredit: q.extraCredit }))).toEqual([
    { id: 'Q7.9', points: 5, functions: [], extraCredit: false },
    { id: 'Q7.10', points: 5, functions: [], extraCredit: false },
  ]);
  for (const q of manual) expect(q.prompt).toMatch(/npm run sweep|Were you right|rank correlations/);
  expect(gradedQuestions(a).filter((q) => !q.extraCredit).reduce((s, q) => s + q.points, 0)).toBe(a.totalPoints);
  expect(a.cases.some((c) => manual.some((q) => q.id === c.question))).toBe(false);
});

test('a manual question needs a prompt; any other question needs functions', () => {
  expect(problemsOf(tiny('  - { id: Q2.1, title: w, points: 2, manual: true }'))).toEqual(["/questions/1: missing required field 'prompt'"]);
  expect(problemsOf(tiny('  - { id: Q2.1, title: w, points: 2 }'))).toEqual(["/questions/1: missing required field 'functions'"]);
  expect(problemsOf(tiny('  - { id: Q2.1, title: w, points: 2, manual: true, prompt: Why? }'))).toEqual([]);
});

test('a manual question has no functions and no cases; a prompt belongs to manual questions only', () => {
  expect(problemsOf(tiny('  - { id: Q2.1, title: w, points: 2, manual: true, prompt: Why?, functions: [g] }'))).toEqual([
    "/questions/1: a manual question has no 'functions' and no 'extra_credit' (staff grade it in Gradescope)",
  ]);
  expect(problemsOf(tiny('  - { id: Q2.1, title: w, points: 2, functions: [g], prompt: Why? }'))).toEqual(['/questions/1/prompt: only manual questions (manual: true) have a prompt']);
  const withCase = tiny('  - { id: Q2.1, title: w, points: 2, manual: true, prompt: Why? }', '  - { id: c2, question: Q2.1, target: a.g, visibility: visible, inputs: { generator: scalars } }');
  expect(problemsOf(withCase)).toEqual(["/cases/1/question: 'Q2.1' is a manual question, which has no cases"]);
});

test('the report and results.json leave manual questions out', () => {
  const a = loadAssignment();
  const report = buildReport({ assignment: a, student: new Map(), reference: new Map(), missingFiles: [], submission: 'none', backend: 'wasm', intakeProblems: [] });
  expect(report.questions.map((q) => q.id)).not.toContain('Q7.9');
  expect(report.questions.map((q) => q.id)).toContain('Q7.8');
  expect(report.maxTotal).toBe(120);
  const results = toResultsJson(report, { executionTime: 1 });
  expect(validateResults(results)).toEqual([]);
  const json = JSON.stringify(results);
  for (const q of manualQuestions(a)) {
    expect(json).not.toContain(q.id);
    expect(json).not.toContain(q.title);
  }
});

test('the starter builder accepts manual questions without functions', () => {
  const map = parseQuestionMap(text, 'assignment.yaml');
  expect(map.get('fqeTarget')).toBe('Q7.2');
  expect([...map.values()]).not.toContain('Q7.9');
});
