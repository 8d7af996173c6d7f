// What a grading may leave behind on the machine, measured before and after each case of the
// hostile corpus: the grader's own files (hashed), files owned by the sandbox user wherever it
// can write, files named like the corpus' escape targets, and live processes of the sandbox user.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lockUser } from '../../grader/sandbox/lock';

export const ROOT = path.resolve(__dirname, '../..');

/** Trees hashed by content, and trees (large) hashed by metadata: size, times (ctime cannot be set back), mode, owner. */
const CONTENT_TREES = ['grader', 'provided', 'solutions', 'starter', 'assignments', 'fixtures', 'package.json', 'node_modules/.cache/rlhw-child'];
const STAT_TREES = ['node_modules/@tensorflow', 'node_modules/tsx', 'node_modules/esbuild'];

/** Where an unprivileged user can create files (world-writable folders). */
export const WRITABLE_DIRS = ['/tmp', '/var/tmp', '/dev/shm', '/run/lock'];
/** Folders where the corpus' escape targets (names holding 'rlhw-hostile') would land. */
const MARKER_DIRS = ['/', '/tmp', '/var/tmp', '/dev/shm', '/etc/cron.d', '/work', path.dirname(ROOT), ROOT];
export const MARKER = 'rlhw-hostile';

function walk(file: string, visit: (file: string, st: fs.Stats) => void): void {
  const st = fs.lstatSync(file, { throwIfNoEntry: false });
  if (!st) return;
  visit(file, st);
  if (st.isDirectory()) for (const name of fs.readdirSync(file).sort()) walk(path.join(file, name), visit);
}

/** Relative path -> digest of every file of the grader's own trees. */
export function hashGraderFiles(root = ROOT): Map<string, string> {
  const out = new Map<string, string>();
  for (const tree of CONTENT_TREES) {
    walk(path.join(root, tree), (file, st) => {
      const meta = `${st.mode.toString(8)}:${st.uid}:${st.size}`;
      const content = st.isFile() ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : st.isSymbolicLink() ? fs.readlinkSync(file) : '';
      out.set(path.relative(root, file), `${meta}:${content}`);
    });
  }
  for (const tree of STAT_TREES) {
    walk(path.join(root, tree), (file, st) => out.set(path.relative(root, file), `${st.mode.toString(8)}:${st.uid}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`));
  }
  return out;
}

/** Entries added, removed or changed between two maps. */
export function changedEntries(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) if (before.get(k) !== v) out.push(before.has(k) ? `changed ${k}` : `added ${k}`);
  for (const k of before.keys()) if (!after.has(k)) out.push(`removed ${k}`);
  return out.sort();
}

/**
 * Files the user owns in the world-writable folders (descending only into folders it could write
 * in: world-writable ones and its own), with size and modification time.
 */
export function filesOfUser(uid: number): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string): void => {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      const st = fs.lstatSync(file, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.uid === uid) out.set(file, `${st.size}:${st.mtimeMs}`);
      if (st.isDirectory() && (st.uid === uid || (st.mode & 0o002) !== 0)) visit(file);
    }
  };
  WRITABLE_DIRS.forEach(visit);
  return out;
}

/** Paths whose name holds the corpus marker, in the folders escape attempts aim at. */
export function markerFiles(): string[] {
  return MARKER_DIRS.flatMap((dir) => {
    try {
      return fs.readdirSync(dir).filter((n) => n.includes(MARKER)).map((n) => path.join(dir, n));
    } catch {
      return [];
    }
  });
}

/**
 * Live processes of `user`, listed while holding the user's sandbox lock: a grading of someone
 * else that is running right now would otherwise look like a leftover.
 */
export async function liveProcessesOf(user: string): Promise<string[]> {
  const release = await lockUser(user, 10 * 60 * 1000);
  try {
    const text = execFileSync('ps', ['-u', user, '-o', 'pid=,stat=,args='], { encoding: 'utf8' });
    return text.split('\n').map((l) => l.trim()).filter((l) => l && !/^\d+\s+Z/.test(l));
  } catch {
    return []; // ps exits 1 when the user has no process
  } finally {
    release();
  }
}
