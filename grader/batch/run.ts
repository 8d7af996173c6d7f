/**
 * `rlgrade batch`: list the input's submissions, keep this shard's share, hash what each grading
 * depends on, grade what is missing (or, with `resume`, stale) on parallel workers, commit each
 * result atomically as it ends, then write the gradebook, timings and summary of the share.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../assignment/load';
import { KIT_ROOT } from '../runner/workdir';
import type { Assignment } from '../assignment/types';
import type { Isolation } from '../cli/grade';
import { DEFAULT_CACHE_DIR } from '../runner/reference';
import { protectFromStudent } from '../runner/protect';
import { DEFAULT_SANDBOX_USER, isRoot } from '../sandbox';
import { studentNames } from '../gradescope/metadata';
import { batchHashes, hashTree } from './hashes';
import { listSubmissions } from './input';
import { shareRecords, writeOutputs } from './outputs';
import { killAllWorkers, runPool, type TaskResult } from './pool';
import { defaultProgressMode, startProgress, type ProgressMode } from './progress';
import { shareOf } from './shard';
import { commit, finishedNames, isFresh, lockOut, makeTempDir, readManifest, readRecord, removeLeftovers, submissionsDir, writeManifest } from './store';
import { MANIFEST_FILE, noStatuses, STATUSES, type BatchManifest, type GradingRecord, type Hashes, type Shard, type Status, type Submission } from './types';
import { writeFailure, type WorkerTask } from './worker';

export interface BatchOptions {
  input: string;
  out: string;
  /** Parallel workers (default: the number of cores). */
  workers?: number;
  /** Grade only submissions without a result or whose result is stale. */
  resume?: boolean;
  /** With resume: grade again the submissions whose result is an error. */
  retryErrors?: boolean;
  shard?: Shard | null;
  assignmentDir?: string;
  backend?: Assignment['backend'];
  secret: string;
  /** Made root-only before student code runs (as `rlgrade grade` does). */
  secretFile?: string;
  isolation?: Isolation;
  cacheDir?: string;
  /** Leave out the end-to-end training cases (tests). */
  skipTraining?: boolean;
  /** Worker k runs student code as the sandbox user `<sandboxUsers>-<k>` (default rlhw-student). */
  sandboxUsers?: string;
  /** Per-submission limit; default from the assignment's case limits. */
  submissionTimeoutSeconds?: number;
  progress?: ProgressMode;
  log?: (line: string) => void;
}

export interface BatchSummary {
  share: number;
  graded: number;
  upToDate: number;
  statuses: Record<Status, number>;
  files: string[];
}

/** "4 ok, 0 timeout, 1 missing-files, 0 bad-upload, 1 error": the counts the batch ends with. */
export const statusCounts = (s: Record<Status, number>): string => STATUSES.map((k) => `${s[k]} ${k}`).join(', ');

/**
 * A generous backstop: every case in a fresh child (start-up plus its limit, at the wall factor),
 * plus five minutes. The per-case limits of the runner normally end a grading long before.
 */
export function defaultSubmissionTimeout(a: Assignment): number {
  const perCase = a.cases.map((c) => (a.limits.startupCpuSeconds + c.timeLimit) * a.limits.wallFactor + 15);
  return Math.ceil(perCase.reduce((s, x) => s + x, 0) + 300);
}

/** The questions the autograder scores (written questions marked `manual` are graded in Gradescope). */
const gradedQuestions = (a: Assignment) =>
  a.questions.filter((q) => !(q as { manual?: boolean }).manual).map((q) => ({ id: q.id, title: q.title, points: q.points }));

const shardText = (s: Shard | null | undefined): string => (s ? `shard ${s.index}/${s.count}` : 'the whole input');

/** Keeps other students' submissions and this batch's results away from the sandbox user. */
function guardFolders(input: string, out: string, secretFile: string | undefined): string[] {
  const changed = protectFromStudent([out, ...(secretFile ? [secretFile] : [])]);
  try {
    changed.push(...protectFromStudent([input]));
  } catch (err) {
    throw new Error(`${input}: other users can read it and it cannot be made root-only (${(err as Error).message.split('\n')[0]}); chmod 700 it or copy it to a root-only folder`);
  }
  return changed;
}

interface Planned extends WorkerTask {
  submission: Submission;
  hashes: Hashes;
}

function recordOf(p: Planned, r: TaskResult, maxTotal: number): GradingRecord {
  const outcome = r.kind === 'done'
    ? r.outcome
    : { status: (r.kind === 'timeout' ? 'timeout' : 'error') as Status, total: 0, questions: {}, hints: [], timedOut: [], reason: r.reason, seconds: r.seconds };
  if (r.kind !== 'done') writeFailure(p.outDir, r.reason, r.seconds);
  return {
    format: 1,
    submission: p.name,
    submitters: p.submission.submitters,
    hashes: p.hashes,
    ...outcome,
    maxTotal,
    gradedAt: new Date().toISOString(),
  };
}

/** Ends the workers and releases the lock when the batch is interrupted, then exits. */
function onSignals(release: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    killAllWorkers();
    release();
    process.stderr.write(`rlgrade batch: stopped by ${signal}; run again with --resume to finish\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}

export async function runBatch(o: BatchOptions): Promise<BatchSummary> {
  const log = o.log ?? ((line: string) => process.stderr.write(`rlgrade batch: ${line}\n`));
  const a = loadAssignment(o.assignmentDir);
  const backend = o.backend ?? a.backend;
  const isolation = o.isolation ?? 'auto';
  const skipTraining = !!o.skipTraining;
  const cacheDir = o.cacheDir ?? DEFAULT_CACHE_DIR;
  const input = await listSubmissions(o.input);
  for (const line of input.skipped) log(`note: ${line}`);
  const share = shareOf(input.submissions, o.shard);
  const out = path.resolve(o.out);
  fs.mkdirSync(submissionsDir(out), { recursive: true, mode: 0o700 });
  const release = await lockOut(out);
  const unhook = onSignals(release);
  try {
    if (fs.existsSync(path.join(out, MANIFEST_FILE))) {
      const previous = readManifest(out);
      if (JSON.stringify(previous.shard) !== JSON.stringify(o.shard ?? null)) {
        throw new Error(`${o.out} holds the output of ${shardText(previous.shard)}; use another --out for ${shardText(o.shard)}`);
      }
    }
    const common = await batchHashes(a, { backend, skipTraining, secret: o.secret });
    const manifest: BatchManifest = {
      format: 1,
      assignment: { title: a.title, maxTotal: a.totalPoints, questions: gradedQuestions(a), dir: path.relative(KIT_ROOT, a.codeDir) },
      hashes: common,
      input: input.submissions.map((s) => s.name),
      shard: o.shard ?? null,
      share: share.map((s) => s.name),
    };
    const left = removeLeftovers(out);
    if (left > 0) log(`removed ${left} unfinished folder(s) of an interrupted batch`);
    if (isolation !== 'plain' && isRoot()) for (const line of guardFolders(path.resolve(o.input), out, o.secretFile)) log(`made root-only: ${line}`);
    writeManifest(out, manifest);
    const extra = finishedNames(out).filter((n) => !manifest.share.includes(n));
    if (extra.length > 0) log(`note: ${extra.length} result folder(s) of submissions not in this share are left as they are and not in the gradebook`);

    const planned: Planned[] = [];
    let upToDate = 0;
    for (const s of share) {
      const hashes = { ...common, submission: await hashTree(s.path) };
      const previous = readRecord(out, s.name);
      if (o.resume && isFresh(previous, hashes) && !(o.retryErrors && previous.status === 'error')) upToDate += 1;
      else planned.push({ name: s.name, path: s.path, outDir: '', student: studentNames(s.submitters), submission: s, hashes });
    }
    log(`${share.length} submission(s) in ${shardText(o.shard)}: ${planned.length} to grade${o.resume ? `, ${upToDate} already up to date` : ''}`);

    if (planned.length > 0) {
      const workers = Math.max(1, o.workers ?? os.cpus().length);
      const progress = startProgress(o.progress ?? defaultProgressMode(), planned.length, a.totalPoints);
      try {
        await runPool(
          planned,
          {
            workers,
            // Several workers already fill the cores: each grades with one runner child at a time.
            settings: { assignmentDir: o.assignmentDir, backend, secret: o.secret, isolation, cacheDir, skipTraining, ...(workers > 1 ? { lanes: 1 } : {}) },
            // The container image creates rlhw-student-0..3; elsewhere they are created as needed.
            sandboxUserOf: (k) => `${o.sandboxUsers ?? DEFAULT_SANDBOX_USER}-${k}`,
            submissionTimeoutMs: (o.submissionTimeoutSeconds ?? defaultSubmissionTimeout(a)) * 1000,
            beforeTask: (p) => (p.outDir = makeTempDir(out)),
          },
          (p, r) => {
            const record = recordOf(p, r, a.totalPoints);
            commit(out, p.outDir, record);
            progress.finished(record);
          },
        );
      } finally {
        progress.stop();
      }
    }

    const records = shareRecords(out, manifest);
    const statuses = noStatuses();
    for (const r of records) statuses[r.status] += 1;
    const files = await writeOutputs(out, manifest, records);
    return { share: share.length, graded: planned.length, upToDate, statuses, files };
  } finally {
    unhook();
    release();
  }
}
