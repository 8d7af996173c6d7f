// The handout's README.md: assignments/<name>/handout/README.md.hbs rendered with handlebars from
// the question list (ids, titles, points, functions: assignment.yaml), the formula text of each
// question (handout/questions.yaml) and where each function is (the generated starter).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import { parseDocument } from 'yaml';
import type { PublicData, PublicQuestion } from '../../handout/public-cases';

export const README_TEMPLATE = 'handout/README.md.hbs';
export const QUESTIONS_TEXT = 'handout/questions.yaml';

export interface QuestionText {
  lecture?: string;
  assignment?: string;
  notes?: string;
}

export interface QuestionsText {
  groups: Record<string, string>;
  questions: Record<string, QuestionText>;
}

/** Reads handout/questions.yaml of an assignment folder; every error names the file and the field. */
export function loadQuestionsText(assignmentDir: string): QuestionsText {
  const file = path.join(assignmentDir, QUESTIONS_TEXT);
  if (!fs.existsSync(file)) return { groups: {}, questions: {} };
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${file}: line ${doc.errors[0].linePos?.[0].line ?? '?'}: invalid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  const raw = (doc.toJS() ?? {}) as { groups?: unknown; questions?: unknown };
  const record = (v: unknown, field: string): Record<string, unknown> => {
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw new Error(`${file}: field '${field}' must be a mapping`);
    return v as Record<string, unknown>;
  };
  const groups = record(raw.groups, 'groups');
  for (const [k, v] of Object.entries(groups)) if (typeof v !== 'string') throw new Error(`${file}: field 'groups.${k}' must be a string`);
  const questions: Record<string, QuestionText> = {};
  for (const [id, v] of Object.entries(record(raw.questions, 'questions'))) {
    const q = record(v, `questions.${id}`);
    for (const [k, x] of Object.entries(q)) {
      if (!['lecture', 'assignment', 'notes'].includes(k)) throw new Error(`${file}: field 'questions.${id}.${k}' is unknown (lecture, assignment, notes)`);
      if (typeof x !== 'string') throw new Error(`${file}: field 'questions.${id}.${k}' must be a string`);
    }
    questions[id] = q as QuestionText;
  }
  return { groups: groups as Record<string, string>, questions };
}

/** Where each student function is and its signature, from the starter files (handout path -> text). */
export interface FunctionInfo {
  file: string;
  signature: string;
}

/** "f(x: tf.Tensor1D, k: number): tf.Tensor1D" for every exported function of the files. */
export function functionsOf(files: ReadonlyMap<string, string>): Map<string, FunctionInfo> {
  const out = new Map<string, FunctionInfo>();
  for (const [file, text] of files) {
    // A type parameter list (<T extends ...>) holds no parenthesis or brace.
    for (const m of text.matchAll(/^export function (\w+)\s*(<[^({]*>)?\s*(\([^{]*?)\s*\{\s*$/gm)) {
      out.set(m[1], { file, signature: `${m[1]}${m[2] ?? ''}${m[3].replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/,\s*\)/g, ')')}` });
    }
  }
  return out;
}

export interface ReadmeInput {
  assignmentDir: string;
  data: PublicData;
  totalPoints: number;
  homeworkDir: string;
  datasets: string[];
  functions: ReadonlyMap<string, FunctionInfo>;
}

const groupOf = (id: string): string => id.split('.')[0];

/** Renders README.md; `warnings` lists questions without formula text and functions not found. */
export function renderReadme(input: ReadmeInput): { text: string; warnings: string[] } {
  const text = loadQuestionsText(input.assignmentDir);
  const warnings: string[] = [];
  const known = new Set(input.data.questions.map((q) => q.id));
  for (const id of Object.keys(text.questions)) if (!known.has(id)) warnings.push(`${QUESTIONS_TEXT}: question ${id} is not in the assignment`);
  const view = (q: PublicQuestion) => {
    const t = text.questions[q.id];
    if (!t && q.kind !== 'written') warnings.push(`${QUESTIONS_TEXT}: no formula text for ${q.id} (${q.title})`);
    const functions = q.functions.map((name) => {
      const info = input.functions.get(name);
      if (!info) warnings.push(`${q.id}: function ${name} is not exported by any starter file`);
      return { name, file: info?.file ?? `${input.homeworkDir}/`, signature: info?.signature ?? `${name}(...)` };
    });
    return { ...q, ...t, functions, onePoint: q.points === 1, isCases: q.kind === 'cases', isTraining: q.kind === 'training', wholeRun: q.cases.length > 0 && q.cases.every((c) => c.wholeRun), publicPoints: Number(q.publicPoints.toFixed(2)) };
  };
  const graded = input.data.questions.filter((q) => q.kind !== 'written');
  const groups: { id: string; title: string; questions: ReturnType<typeof view>[] }[] = [];
  for (const q of graded) {
    const id = groupOf(q.id);
    let group = groups.find((g) => g.id === id);
    if (!group) groups.push((group = { id, title: text.groups[id] ?? `Questions ${id}`, questions: [] }));
    group.questions.push(view(q));
  }
  const template = Handlebars.compile(fs.readFileSync(path.join(input.assignmentDir, README_TEMPLATE), 'utf8'), { noEscape: true, strict: false });
  const extraPoints = graded.filter((q) => q.extraCredit).reduce((s, q) => s + q.points, 0);
  const rendered = template({
    title: input.data.title,
    backend: input.data.backend,
    homeworkDir: input.homeworkDir,
    submission: input.data.submission,
    datasets: input.datasets,
    totalPoints: input.totalPoints,
    extraPoints,
    writtenPoints: input.data.questions.filter((q) => q.kind === 'written').reduce((s, q) => s + q.points, 0),
    groups,
    written: input.data.questions.filter((q) => q.kind === 'written').map(view),
  });
  // Blank lines the template's block helpers leave: at most one in a row.
  return { text: `${rendered.replace(/\n{3,}/g, '\n\n').trim()}\n`, warnings };
}
