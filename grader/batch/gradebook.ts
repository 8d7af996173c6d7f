/**
 * DIR/gradebook.csv and DIR/timings.csv. The gradebook holds only what grading decides (students,
 * points per question, total, status), one row per submission in name order, so two runs on the
 * same input give the same bytes; how long each took goes to timings.csv.
 */
import { stringify } from 'csv-stringify/sync';
import { byName } from './input';
import type { GradingRecord, QuestionInfo } from './types';

/**
 * Text from students (names, emails, folder names) that a spreadsheet would run as a formula
 * gets a leading apostrophe (CSV injection).
 */
export function safeCell(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

const sorted = (records: GradingRecord[]): GradingRecord[] => [...records].sort((a, b) => byName(a.submission, b.submission));

/** The gradebook rows, header first. Several students of one submission are joined with "; ". */
export function gradebookRows(questions: QuestionInfo[], records: GradingRecord[]): (string | number)[][] {
  const header = ['submission', 'student_ids', 'names', 'emails', ...questions.map((q) => q.id), 'total', 'status'];
  const rows = sorted(records).map((r) => {
    const join = (key: 'sid' | 'name' | 'email') => safeCell(r.submitters.map((s) => s[key]).join('; '));
    return [safeCell(r.submission), join('sid'), join('name'), join('email'), ...questions.map((q) => r.questions[q.id] ?? 0), r.total, r.status];
  });
  return [header, ...rows];
}

export const gradebookCsv = (questions: QuestionInfo[], records: GradingRecord[]): string => stringify(gradebookRows(questions, records));

/** Seconds per submission, with when it was graded and the reason of any status other than ok. */
export function timingsCsv(records: GradingRecord[]): string {
  const rows = sorted(records).map((r) => [safeCell(r.submission), r.status, r.seconds.toFixed(3), r.gradedAt, safeCell(r.reason ?? '')]);
  return stringify([['submission', 'status', 'seconds', 'graded_at', 'reason'], ...rows]);
}
