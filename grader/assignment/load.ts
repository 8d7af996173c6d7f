/**
 * Reads assignments/<name>/assignment.yaml: YAML parse, JSON Schema (ajv), then the references
 * between questions and cases. Every error names the file, the field path and what was expected.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { Visibility } from '../report/model';
import { Assignment, AssignmentError, CaseSpec, Partial, Question, Tolerance } from './types';

export const ASSIGNMENT_SCHEMA_PATH = path.resolve(__dirname, '../schema/assignment.schema.json');
const KIT = path.resolve(__dirname, '../..');

/**
 * The kit's default assignment folder: $RLHW_ASSIGNMENT (relative to the kit; the grader image takes
 * it at run time), else `rlgrade.defaultAssignment` of the kit's package.json (the top-level
 * solutions/ and starter/ are its own), else the only folder under assignments/.
 */
export function defaultAssignmentDir(kit = KIT, chosen = process.env.RLHW_ASSIGNMENT): string {
  if (chosen) return path.resolve(kit, chosen);
  const pkg = JSON.parse(fs.readFileSync(path.join(kit, 'package.json'), 'utf8')) as { rlgrade?: { defaultAssignment?: string } };
  if (pkg.rlgrade?.defaultAssignment) return path.resolve(kit, pkg.rlgrade.defaultAssignment);
  const all = fs.readdirSync(path.join(kit, 'assignments')).filter((n) => fs.existsSync(path.join(kit, 'assignments', n, 'assignment.yaml')));
  if (all.length !== 1) throw new Error(`no default assignment: give --assignment DIR (or set rlgrade.defaultAssignment in ${path.join(kit, 'package.json')})`);
  return path.join(kit, 'assignments', all[0]);
}

const FALLBACK_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-4 };
const FALLBACK_TIME_LIMIT = 10;

/** "/cases/3/tolerance/atol: must be number" in words a course author understands. */
function describe(e: ErrorObject): string {
  const where = e.instancePath || '(top level)';
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${where}: missing required field '${String(p.missingProperty)}'`;
    case 'additionalProperties':
      return `${where}: unknown field '${String(p.additionalProperty)}'`;
    case 'enum':
      return `${where}: expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${where}: expected ${String(p.type)}`;
    case 'pattern':
      return `${where}: expected a string matching ${String(p.pattern)}`;
    default:
      return `${where}: expected a value that ${e.message ?? e.keyword}`;
  }
}

let compiled: ValidateFunction | undefined;
/** The schema's validator, compiled once per process (a batch worker parses the file for every submission). */
function assignmentValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(ASSIGNMENT_SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

/** Parses and schema-checks the text; throws AssignmentError listing every problem. */
export function parseAssignment(text: string, file: string, dir: string): Assignment {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new AssignmentError(file, [`line ${err.linePos?.[0].line ?? '?'}: invalid YAML: ${err.message.split('\n')[0]}`]);
  }
  const raw: unknown = doc.toJS();
  const validate = assignmentValidator();
  // An 'if' error only repeats the error of its branch (such as a missing 'prompt'), reported on its own.
  if (!validate(raw)) throw new AssignmentError(file, [...new Set((validate.errors ?? []).filter((e) => e.keyword !== 'if').map(describe))]);
  return crossCheck(normalise(raw as RawAssignment, file, dir));
}

/** The questions staff grade by hand (id, title, points, prompt), in file order: never in results.json. */
export const manualQuestions = (a: Assignment): Question[] => a.questions.filter((q) => q.manual);
/** The questions the autograder scores. */
export const gradedQuestions = (a: Assignment): Question[] => a.questions.filter((q) => !q.manual);

/**
 * The assignment's solutions and starter import '../provided/...' as students' files do: its code
 * folder links to the kit's provided/. Archives (the Gradescope zip) do not keep links: the link is
 * made again where it is missing and the folder can be written.
 */
function linkProvided(codeDir: string): void {
  const link = path.join(codeDir, 'provided');
  if (fs.lstatSync(link, { throwIfNoEntry: false }) || !fs.existsSync(path.join(KIT, 'provided'))) return;
  try {
    fs.symlinkSync(path.relative(codeDir, path.join(KIT, 'provided')), link);
  } catch {
    // a read-only copy: the reference run will say what it cannot import
  }
}

/** Reads `<dir>/assignment.yaml` (default: the kit's default assignment). */
export function loadAssignment(dir = defaultAssignmentDir()): Assignment {
  dir = path.resolve(dir);
  const file = path.join(dir, 'assignment.yaml');
  if (!fs.existsSync(file)) throw new AssignmentError(file, ['file not found']);
  const a = parseAssignment(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file) || file, dir);
  linkProvided(a.codeDir);
  return a;
}

interface RawCase {
  id: string;
  question: string;
  target: string;
  name?: string;
  weight?: number;
  inputs: CaseSpec['inputs'];
  tolerance?: Tolerance;
  visibility?: Visibility;
  time_limit?: number;
  partial?: Partial;
  thresholds?: CaseSpec['thresholds'];
  leaderboard?: CaseSpec['leaderboard'];
  requires?: string[];
}
interface RawAssignment {
  /** Another assignment folder (relative to this file's) whose code, solutions, starter and handout this one uses. */
  base?: string;
  title: string;
  total_points: number;
  submission: { files: string[] };
  grading: { backend: Assignment['backend']; limits?: { memory_mib?: number; wall_factor?: number; startup_cpu_seconds?: number; total_seconds?: number } };
  case_defaults?: { tolerance?: Tolerance; time_limit?: number; partial?: Partial };
  questions: { id: string; title: string; points: number; functions?: string[]; extra_credit?: boolean; manual?: boolean; prompt?: string }[];
  cases: RawCase[];
}

/** Applies defaults: hidden cases default to after_due_date, visible ones to visible. */
function normalise(raw: RawAssignment, file: string, dir: string): Assignment {
  const d = raw.case_defaults ?? {};
  const questions: Question[] = raw.questions.map(({ extra_credit, manual, prompt, functions, ...q }) => ({
    ...q,
    functions: functions ?? [],
    extraCredit: extra_credit === true,
    manual: manual === true,
    ...(prompt !== undefined ? { prompt } : {}),
  }));
  const cases: CaseSpec[] = raw.cases.map((c) => ({
    id: c.id,
    question: c.question,
    target: c.target,
    name: c.name ?? c.id,
    weight: c.weight ?? 1,
    inputs: c.inputs,
    tolerance: c.tolerance ?? d.tolerance ?? FALLBACK_TOLERANCE,
    visibility: c.visibility === 'hidden' || c.visibility === undefined ? (c.visibility ? 'after_due_date' : 'visible') : c.visibility,
    timeLimit: c.time_limit ?? d.time_limit ?? FALLBACK_TIME_LIMIT,
    partial: c.partial ?? d.partial ?? 'all-or-nothing',
    ...(c.thresholds ? { thresholds: c.thresholds } : {}),
    ...(c.leaderboard ? { leaderboard: c.leaderboard } : {}),
    ...(c.requires ? { requires: c.requires } : {}),
  }));
  const limits = raw.grading.limits ?? {};
  return {
    dir,
    codeDir: raw.base === undefined ? dir : path.resolve(dir, raw.base),
    file,
    title: raw.title,
    totalPoints: raw.total_points,
    files: raw.submission.files,
    backend: raw.grading.backend,
    limits: { memoryMiB: limits.memory_mib ?? 1536, wallFactor: limits.wall_factor ?? 3, startupCpuSeconds: limits.startup_cpu_seconds ?? 20, totalSeconds: limits.total_seconds ?? 480 },
    questions,
    cases,
  };
}

/** Unique ids, cases pointing at existing questions, each function listed once. */
function crossCheck(a: Assignment): Assignment {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  a.questions.forEach((q, i) => {
    if (seen.has(q.id)) problems.push(`/questions/${i}/id: expected a unique id, '${q.id}' is also /questions/${seen.get(q.id)}`);
    seen.set(q.id, i);
  });
  a.questions.forEach((q, i) => {
    if (q.manual && (q.functions.length > 0 || q.extraCredit)) problems.push(`/questions/${i}: a manual question has no 'functions' and no 'extra_credit' (staff grade it in Gradescope)`);
    if (!q.manual && q.prompt !== undefined) problems.push(`/questions/${i}/prompt: only manual questions (manual: true) have a prompt`);
  });
  const fnOwner = new Map<string, string>();
  a.questions.forEach((q, i) =>
    q.functions.forEach((fn, j) => {
      if (fnOwner.has(fn)) problems.push(`/questions/${i}/functions/${j}: '${fn}' is already listed under ${fnOwner.get(fn)}`);
      fnOwner.set(fn, q.id);
    }),
  );
  const caseIds = new Set<string>();
  a.cases.forEach((c, i) => {
    if (caseIds.has(c.id)) problems.push(`/cases/${i}/id: expected a unique id, '${c.id}' is used twice`);
    caseIds.add(c.id);
    if (!seen.has(c.question)) problems.push(`/cases/${i}/question: expected one of the question ids, got '${c.question}'`);
    else if (a.questions[seen.get(c.question)!].manual) problems.push(`/cases/${i}/question: '${c.question}' is a manual question, which has no cases`);
  });
  if (problems.length > 0) throw new AssignmentError(a.file, problems);
  return a;
}
