/**
 * Gradescope's submission_metadata.json, read leniently: every field is optional and a missing
 * or damaged file gives an empty record plus one problem line (grading goes on without it).
 */
import * as fs from 'node:fs';

export interface SubmissionUser {
  name?: string;
  email?: string;
  id?: string;
}

export interface SubmissionMetadata {
  id?: string;
  createdAt?: Date;
  dueDate?: Date;
  lateDueDate?: Date;
  assignmentTitle?: string;
  users: SubmissionUser[];
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function date(v: unknown): Date | undefined {
  if (typeof v !== 'string') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The fields this grader uses, from the parsed JSON of submission_metadata.json. */
export function parseMetadata(json: unknown): SubmissionMetadata {
  const top = obj(json);
  const assignment = obj(top.assignment);
  const users = Array.isArray(top.users) ? top.users.map(obj) : [];
  return {
    id: text(top.id),
    createdAt: date(top.created_at),
    dueDate: date(assignment.due_date),
    lateDueDate: date(assignment.late_due_date),
    assignmentTitle: text(assignment.title),
    users: users.map((u) => ({ name: text(u.name), email: text(u.email), id: text(u.id) })),
  };
}

/** Reads the file; never throws. `problem` says why the record is empty, when it is. */
export function readMetadata(file: string): { metadata: SubmissionMetadata; problem?: string } {
  const empty: SubmissionMetadata = { users: [] };
  if (!fs.existsSync(file)) return { metadata: empty, problem: `${file}: not found (grading without it)` };
  try {
    return { metadata: parseMetadata(JSON.parse(fs.readFileSync(file, 'utf8'))) };
  } catch (err) {
    return { metadata: empty, problem: `${file}: unreadable (${(err as Error).message.split('\n')[0]}); grading without it` };
  }
}

/**
 * The names of a submission's students for the report's header ("Ada Lovelace, Grace Hopper" for a
 * group), from Gradescope's users[].name (or the batch export's :name); undefined when none is known.
 */
export function studentNames(users: readonly { name?: string }[]): string | undefined {
  const names = users.map((u) => u.name?.trim() ?? '').filter((n) => n !== '');
  return names.length > 0 ? names.join(', ') : undefined;
}

/** 'on time', 'late' (after the due date), 'after the late due date', or undefined without dates. */
export function lateness(m: SubmissionMetadata): 'on time' | 'late' | 'after the late due date' | undefined {
  if (!m.createdAt || !m.dueDate) return undefined;
  if (m.createdAt <= m.dueDate) return 'on time';
  return m.lateDueDate && m.createdAt > m.lateDueDate ? 'after the late due date' : 'late';
}

/** One line for the staff-only log: who, when, and whether it was late. */
export function describeSubmission(m: SubmissionMetadata): string {
  const who = m.users.map((u) => [u.name, u.email && `<${u.email}>`].filter(Boolean).join(' ') || `user ${u.id ?? '?'}`);
  const parts = [`submission ${m.id ?? '(no id)'}`, `by ${who.length ? who.join(', ') : '(unknown)'}`];
  if (m.createdAt) parts.push(`at ${m.createdAt.toISOString()}`);
  if (m.dueDate) parts.push(`due ${m.dueDate.toISOString()}`);
  const late = lateness(m);
  if (late) parts.push(late);
  return parts.join(', ');
}
