/**
 * `rlgrade validate`: the assignment file against its schema, then consistency: cases build,
 * points add up, every function named exists in the solutions, the reference scores full marks
 * and the starter scores zero on every question.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../assignment/load';
import { AssignmentError, solutionsDir, starterDir } from '../assignment/types';
import { caseProblems } from '../cases/build';
import { gradeSubmission } from './grade';

export interface ValidateOptions {
  assignmentDir?: string;
  secret: string;
  cacheDir?: string;
  /** Skip grading the reference and the starter (schema and static checks only). */
  staticOnly?: boolean;
}

/** Names exported as functions by the .ts files of `dir`. */
function exportedFunctions(dir: string): Set<string> {
  const names = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^export function (\w+)/gm)) names.add(m[1]);
  }
  return names;
}

/** Every problem found, one line each; empty when the assignment is consistent. */
export async function validateAssignment(o: ValidateOptions): Promise<string[]> {
  let a;
  try {
    a = loadAssignment(o.assignmentDir);
  } catch (err) {
    if (err instanceof AssignmentError) return err.problems.map((p) => `${err.file}: ${p}`);
    throw err;
  }
  const problems = caseProblems(a, o.secret);
  const regular = a.questions.filter((q) => !q.extraCredit && !q.manual).reduce((s, q) => s + q.points, 0);
  if (Math.abs(regular - a.totalPoints) > 1e-9) problems.push(`${a.file}: total_points is ${a.totalPoints} but the autograded questions that are not extra credit add up to ${regular}`);
  const exported = exportedFunctions(solutionsDir(a));
  a.questions.forEach((q, i) =>
    q.functions.forEach((fn, j) => {
      if (!exported.has(fn)) problems.push(`${a.file}: /questions/${i}/functions/${j}: '${fn}' is not a function exported by the assignment's solutions/`);
    }),
  );
  if (problems.length > 0 || o.staticOnly) return problems;

  const common = { assignmentDir: o.assignmentDir, secret: o.secret, cacheDir: o.cacheDir, isolation: 'plain' as const };
  const reference = await gradeSubmission({ ...common, submission: solutionsDir(a) });
  for (const q of reference.report.questions) {
    for (const c of q.cases) if (c.status !== 'passed') problems.push(`reference solution fails ${q.id} case ${c.id}: ${c.messages.join(' ')}`);
  }
  const starter = await gradeSubmission({ ...common, submission: starterDir(a) });
  for (const q of starter.report.questions) if (q.earned > 0) problems.push(`the starter earns ${q.earned} points on ${q.id}; it should earn none`);
  return problems;
}
