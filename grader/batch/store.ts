/**
 * The batch out folder:
 *   DIR/batch.json                      the manifest (types.ts)
 *   DIR/submissions/<name>/             as `rlgrade grade` writes it, plus grading.json
 *   DIR/gradebook.csv, timings.csv, summary.html
 *   DIR/.lock                           held while a batch writes DIR
 * A submission's folder is built under a temporary name and renamed into place with grading.json
 * already inside, so a folder with grading.json is always complete; leftovers of a killed batch
 * (temporary and replaced folders) are removed when the next one starts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MANIFEST_FILE, RECORD_FILE, SUBMISSIONS_DIR, type BatchManifest, type GradingRecord, type Hashes } from './types';

const TEMP_PREFIX = '.tmp-';
const OLD_PREFIX = '.old-';

export const submissionsDir = (out: string): string => path.join(out, SUBMISSIONS_DIR);
export const submissionDir = (out: string, name: string): string => path.join(out, SUBMISSIONS_DIR, name);

/** Writes a text file atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(file: string, content: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content, { mode: 0o644 });
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

let tempCounter = 0;

/** A new, empty temporary folder inside DIR/submissions for one grading. */
export function makeTempDir(out: string): string {
  const dir = path.join(submissionsDir(out), `${TEMP_PREFIX}${process.pid}-${++tempCounter}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  return dir;
}

/**
 * Puts the finished folder `temp` in place as the result of `name`, with `record` written into
 * it first. Killed between the two renames, the submission has no result and is graded again.
 */
export function commit(out: string, temp: string, record: GradingRecord): void {
  fs.writeFileSync(path.join(temp, RECORD_FILE), JSON.stringify(record, null, 2) + '\n', { mode: 0o644 });
  place(out, temp, record.submission);
}

/** Renames the finished folder `temp` into place as the result of `name`, replacing any older one. */
export function place(out: string, temp: string, name: string): void {
  const final = submissionDir(out, name);
  if (fs.existsSync(final)) {
    const old = path.join(submissionsDir(out), `${OLD_PREFIX}${process.pid}-${++tempCounter}`);
    fs.renameSync(final, old);
    fs.renameSync(temp, final);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(temp, final);
  }
}

/** Removes what a killed batch left half-done. */
export function removeLeftovers(out: string): number {
  const dir = submissionsDir(out);
  if (!fs.existsSync(dir)) return 0;
  const left = fs.readdirSync(dir).filter((n) => n.startsWith(TEMP_PREFIX) || n.startsWith(OLD_PREFIX));
  for (const n of left) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
  return left.length;
}

/** The record of a finished submission, or undefined when it has none (or an unreadable one). */
export function readRecord(out: string, name: string): GradingRecord | undefined {
  const dir = submissionDir(out, name);
  try {
    const record = JSON.parse(fs.readFileSync(path.join(dir, RECORD_FILE), 'utf8')) as GradingRecord;
    if (record.format !== 1 || record.submission !== name || !fs.existsSync(path.join(dir, 'results.json'))) return undefined;
    return record;
  } catch {
    return undefined;
  }
}

/** Whether two sets of hashes are the same. */
export const sameHashes = (a: Partial<Hashes> | undefined, b: Hashes): boolean => (Object.keys(b) as (keyof Hashes)[]).every((k) => a?.[k] === b[k]);

/** Whether a record was graded against exactly these hashes. */
export const isFresh = (record: GradingRecord | undefined, hashes: Hashes): record is GradingRecord => !!record && sameHashes(record.hashes, hashes);

/** Names of every folder under DIR/submissions that holds a finished result. */
export function finishedNames(out: string): string[] {
  const dir = submissionsDir(out);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((n) => !n.startsWith('.') && fs.existsSync(path.join(dir, n, RECORD_FILE)));
}

export function writeManifest(out: string, manifest: BatchManifest): void {
  writeFileAtomic(path.join(out, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}

/** DIR/batch.json, or a one-line error naming the folder. */
export function readManifest(out: string): BatchManifest {
  const file = path.join(out, MANIFEST_FILE);
  let m: BatchManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as BatchManifest;
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(`${out}: ${missing ? `no ${MANIFEST_FILE}; is this the --out folder of an rlgrade batch?` : `${MANIFEST_FILE} is not valid JSON`}`);
  }
  if (m.format !== 1 || !Array.isArray(m.input) || !Array.isArray(m.share) || !m.assignment || !m.hashes) {
    throw new Error(`${file}: not a batch manifest this version of rlgrade reads`);
  }
  return m;
}

// --- the lock --------------------------------------------------------------------------------

interface LockInfo {
  pid: number;
  host: string;
}

/** A lock whose holder has not refreshed it for this long is stale (the holder was killed). */
const STALE_MS = 30_000;
const HEARTBEAT_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes DIR/.lock for this process, refreshing it every few seconds, and returns its release.
 * A lock left by a dead process on this host, or not refreshed for 30 s (its holder was killed,
 * perhaps on another machine sharing the volume), is taken over; otherwise this waits up to
 * `waitMs` and then refuses with a one-line error.
 */
export async function lockOut(out: string, waitMs = STALE_MS + HEARTBEAT_MS): Promise<() => void> {
  const file = path.join(out, '.lock');
  const me: LockInfo = { pid: process.pid, host: os.hostname() };
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o644 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: LockInfo | undefined;
    let age = 0;
    try {
      holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      age = Date.now() - fs.statSync(file).mtimeMs;
    } catch {
      holder = undefined; // half-written or just removed
    }
    const stale = !holder || age > STALE_MS || (holder.host === me.host && (holder.pid === me.pid || !alive(holder.pid)));
    if (stale) {
      fs.rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(`${out} is in use by another rlgrade batch (pid ${holder!.pid} on ${holder!.host}); use another --out, or wait for it to finish`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const beat = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(file, now, now);
    } catch {
      // the folder went away; nothing to keep
    }
  }, HEARTBEAT_MS);
  beat.unref();
  return () => {
    clearInterval(beat);
    try {
      if ((JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo).pid === me.pid) fs.rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
}
