/**
 * A grading worker: a child process of `rlgrade batch` that grades one submission at a time with
 * `gradeSubmission`, into the temporary folder the parent gives it, and replies with the plain
 * outcome. It always leaves a results.json (a failure result when the grader throws). When the
 * parent goes away (even killed with SIGKILL) the IPC channel closes and the worker ends its whole
 * process group, so no grading outlives the batch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gradeSubmission, type GradeOptions, type Graded } from '../cli/grade';
import { failureResults, writeResults } from '../results';
import type { GradingRecord, Status } from './types';

/** What every task of one worker shares. */
export type WorkerSettings = Pick<GradeOptions, 'assignmentDir' | 'backend' | 'secret' | 'isolation' | 'sandboxUser' | 'cacheDir' | 'skipTraining' | 'lanes'>;

export interface WorkerTask {
  name: string;
  /** The submission's folder or archive. */
  path: string;
  /** An empty folder for results.json and the reports. */
  outDir: string;
  /** The students' names from the export's metadata, for the report's header. */
  student?: string;
}

/** The grading part of a record; the parent adds the name, students, hashes and dates. */
export type Outcome = Pick<GradingRecord, 'status' | 'total' | 'questions' | 'hints' | 'timedOut' | 'reason' | 'seconds'>;

export type ToWorker = { type: 'init'; settings: WorkerSettings } | { type: 'grade'; task: WorkerTask };
export type FromWorker = { type: 'ready' } | { type: 'done'; name: string; outcome: Outcome };

const oneLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** The outcome of a finished grading. */
export function outcomeOf(g: Graded, seconds: number): Outcome {
  const hints: Outcome['hints'] = [];
  const seen = new Set<string>();
  for (const q of g.report.questions) {
    for (const c of q.cases) {
      const key = `${q.id}\0${c.hint}`;
      if (c.hint && !seen.has(key)) hints.push({ question: q.id, hint: c.hint });
      seen.add(key);
    }
  }
  // The upload comes first: a student who must resubmit matters more to staff than a slow case.
  const upload = g.report.upload;
  const status: Status = upload ? UPLOAD_STATUS[upload.status] : g.timedOut.length > 0 ? 'timeout' : 'ok';
  // Reasons are clauses for staff (timings.csv), as the others: the student's sentence without its full stop.
  const reasons = [...(upload ? [upload.headline.replace(/\.$/, '')] : []), ...(g.timedOut.length > 0 ? [`time limit reached in ${g.timedOut.join(', ')}`] : [])];
  return {
    status,
    total: g.report.total,
    questions: Object.fromEntries(g.report.questions.map((q) => [q.id, q.earned])),
    hints,
    timedOut: g.timedOut,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    seconds,
  };
}

/** The gradebook's name for an upload that is not complete. */
const UPLOAD_STATUS = { unreadable: 'bad-upload', incomplete: 'missing-files' } as const;

/** The results of a submission the grader could not finish: only a failure results.json. */
export function writeFailure(outDir: string, reason: string, seconds: number): void {
  for (const name of fs.readdirSync(outDir)) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
  writeResults(path.join(outDir, 'results.json'), failureResults(reason, seconds));
}

export async function gradeTask(settings: WorkerSettings, task: WorkerTask): Promise<Outcome> {
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  try {
    const g = await gradeSubmission({ ...settings, submission: task.path, outDir: task.outDir, student: task.student });
    return outcomeOf(g, seconds());
  } catch (err) {
    const reason = oneLine(err);
    writeFailure(task.outDir, reason, seconds());
    return { status: 'error', total: 0, questions: {}, hints: [], timedOut: [], reason, seconds: seconds() };
  }
}

/** Ends this worker and everything it started (it leads its own process group). */
function endGroup(): never {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    // not a group leader: end this process alone
  }
  process.exit(1);
}

/** The worker's main loop (called by worker-entry.js). */
export function serve(): void {
  if (!process.send) throw new Error('the batch worker must be started by rlgrade batch (with an IPC channel)');
  let settings: WorkerSettings | undefined;
  const send = (m: FromWorker) => process.send!(m);
  process.on('disconnect', endGroup);
  process.on('message', (m: ToWorker) => {
    if (m.type === 'init') {
      settings = m.settings;
      send({ type: 'ready' });
    } else if (m.type === 'grade' && settings) {
      void gradeTask(settings, m.task).then((outcome) => send({ type: 'done', name: m.task.name, outcome }));
    }
  });
}
