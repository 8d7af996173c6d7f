/**
 * `rlgrade diff OLD NEW`: every submission whose total, status or any question's points differ
 * between two batch outputs (say, before and after a staff fix), with its students, one line each.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byName } from './input';
import { finishedNames, readManifest, readRecord } from './store';
import { MANIFEST_FILE, type GradingRecord } from './types';

export interface ScoreChange {
  submission: string;
  students: string;
  before?: GradingRecord;
  after?: GradingRecord;
  questions: { id: string; before: number; after: number }[];
}

/** The records of a batch output: its share when it has a manifest, else every finished folder. */
export function recordsOf(dir: string): Map<string, GradingRecord> {
  if (!fs.existsSync(dir)) throw new Error(`${dir}: no such folder`);
  const names = fs.existsSync(path.join(dir, MANIFEST_FILE)) ? readManifest(dir).share : finishedNames(dir);
  const out = new Map<string, GradingRecord>();
  for (const name of names) {
    const r = readRecord(dir, name);
    if (r) out.set(name, r);
  }
  return out;
}

const same = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9;
const points = (n: number): string => String(Math.round(n * 100) / 100);

function students(r: GradingRecord): string {
  return r.submitters.map((s) => [s.name, s.sid && `(${s.sid})`].filter(Boolean).join(' ')).filter(Boolean).join('; ');
}

export function diffOutputs(oldDir: string, newDir: string): ScoreChange[] {
  const before = recordsOf(oldDir);
  const after = recordsOf(newDir);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort(byName);
  const changes: ScoreChange[] = [];
  for (const name of names) {
    const b = before.get(name);
    const a = after.get(name);
    const ids = [...new Set([...Object.keys(b?.questions ?? {}), ...Object.keys(a?.questions ?? {})])];
    const questions = ids
      .map((id) => ({ id, before: b?.questions[id] ?? 0, after: a?.questions[id] ?? 0 }))
      .filter((q) => !same(q.before, q.after));
    if (a && b && same(a.total, b.total) && a.status === b.status && questions.length === 0) continue;
    changes.push({ submission: name, students: students((a ?? b)!), before: b, after: a, questions });
  }
  return changes;
}

/** One line per change, such as "submission_1002 (Bob Baker (1002)): 95 -> 91 [Q1.1 4 -> 0]". */
export function formatChange(c: ScoreChange): string {
  const who = c.students ? `${c.submission} (${c.students})` : c.submission;
  if (!c.before) return `${who}: only in NEW, ${points(c.after!.total)} (${c.after!.status})`;
  if (!c.after) return `${who}: only in OLD, ${points(c.before.total)} (${c.before.status})`;
  const status = c.before.status !== c.after.status ? `, status ${c.before.status} -> ${c.after.status}` : '';
  const qs = c.questions.length > 0 ? ` [${c.questions.map((q) => `${q.id} ${points(q.before)} -> ${points(q.after)}`).join(', ')}]` : '';
  return `${who}: ${points(c.before.total)} -> ${points(c.after.total)}${status}${qs}`;
}
