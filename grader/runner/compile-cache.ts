/**
 * Makes the runner child's compile cache (grader/child/compile-cache.js) before the children that
 * read it: a trusted child, given the assignment's starter as the homework and no calls, loads
 * what a grading child loads (the whole runs' code too) and writes the cache as it exits. Once per
 * Node version, V8 flags (the child's heap limit), assignment and version of the kit's public
 * sources (`kitFingerprint`: a kit updated in place writes what changed); later gradings find its
 * mark and start nothing.
 *
 * A grader that cannot write the cache's folder (a read-only image built without it) grades
 * without it, and so does one whose writing child fails: neither changes a result, only start-up.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Assignment } from '../assignment/types';
import { starterDir, studentModules } from '../assignment/types';
import { publicModulePath } from '../assignment/plugin';
import type { RunnerRequest } from '../child/protocol';
import { CHILD_ENTRY, childEnv, childExecArgv } from './plain-launch';
import { VERIFY_MIB } from './verify';
import { KIT_ROOT } from './workdir';

const cache = require('../child/compile-cache.js') as { cacheFolder(execArgv: string[]): string; markName(what: string): string };

/** How long the writing child may take (it loads TensorFlow.js and the kit: about half a second). */
const WRITE_TIMEOUT_MS = 60_000;

/** The cache folder a child started with the heap limit `memoryMiB` reads. */
export const childCacheFolder = (memoryMiB: number): string => cache.cacheFolder(childExecArgv(memoryMiB));

/** Whether this process may create or add to `folder`. */
function writable(folder: string): boolean {
  let dir = folder;
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs the writing child; resolves whether it exited cleanly (it then wrote its mark). */
function runWriter(memoryMiB: number, req: RunnerRequest, mark: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...childExecArgv(memoryMiB), CHILD_ENTRY], {
      cwd: KIT_ROOT,
      // sucrase keeps every line where it was, so the kit's cached files need no source map
      env: { ...childEnv(), RLHW_CHILD_CACHE: 'write', RLHW_CHILD_CACHE_MARK: mark, RLHW_TS_STRIPPER: 'sucrase' },
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), WRITE_TIMEOUT_MS);
    child.on('error', () => resolve(false));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
    (child.stdio[4] as NodeJS.ReadableStream).resume();
    (child.stdio[3] as NodeJS.WritableStream).on('error', () => undefined).end(JSON.stringify(req) + '\n');
  });
}

/**
 * The version of the public sources a writer compiles (provided/, grader/child/, the assignment's
 * public/, and package-lock.json for node_modules), from each file's path, size and modification
 * time: 1.7 ms here, where hashing their contents would cost more. A mark names it, so
 * that after an update in place (git pull) the next grading writes the entries of the changed
 * files instead of finding the old mark; entries are named by their source, so old ones are
 * never used for new source.
 */
export function kitFingerprint(a: Assignment): string {
  const h = createHash('sha256');
  const add = (file: string, st: fs.Stats): void => void h.update(`${path.relative(KIT_ROOT, file)}\0${st.size}\0${st.mtimeMs}\n`);
  const visit = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) add(p, fs.statSync(p));
    }
  };
  for (const dir of [path.join(KIT_ROOT, 'provided'), path.join(KIT_ROOT, 'grader', 'child'), path.join(a.codeDir, 'public')]) if (fs.existsSync(dir)) visit(dir);
  const lock = path.join(KIT_ROOT, 'package-lock.json');
  if (fs.existsSync(lock)) add(lock, fs.statSync(lock));
  return h.digest('hex').slice(0, 12);
}

/** The mark a complete writer leaves for `a` on `backend` (its file is COMPLETE-<this, made safe>). */
export const childCacheMark = (a: Assignment, backend: RunnerRequest['backend']): string => `${path.relative(KIT_ROOT, a.codeDir)}-${backend}-${kitFingerprint(a)}`;

/** The heap limits of the children a grading starts: the student's and the trusted verifier's. */
const gradingHeaps = (a: Assignment): number[] => [...new Set([a.limits.memoryMiB, VERIFY_MIB])];

/** The cache folders (one per heap limit in `memoryMiB`) that lack this version's mark for `a` on `backend`. */
export function missingChildCaches(a: Assignment, backend: RunnerRequest['backend'], memoryMiB: number[] = gradingHeaps(a)): string[] {
  const mark = cache.markName(childCacheMark(a, backend));
  return [...new Set(memoryMiB)].map(childCacheFolder).filter((folder) => !fs.existsSync(path.join(folder, mark)));
}

const writing = new Map<string, Promise<boolean>>();

/**
 * The compile cache for `a`'s children with each heap limit in `memoryMiB` (by default those a
 * grading starts: the student's children and the trusted verifier), made now where it is missing
 * (at most once per process and folder); resolves whether every one is there.
 */
export async function ensureChildCompileCache(a: Assignment, backend: RunnerRequest['backend'], memoryMiB: number[] = gradingHeaps(a)): Promise<boolean> {
  if (process.env.RLHW_CHILD_CACHE === 'off') return false;
  const missing = missingChildCaches(a, backend, memoryMiB);
  if (missing.length === 0) return true;
  const mark = childCacheMark(a, backend); // what its writer loads, and which version
  const req: RunnerRequest = { backend, studentDir: starterDir(a), modules: studentModules(a), publicModule: publicModulePath(a), calls: [] };
  const made = [...new Set(memoryMiB)].map((mib) => {
    const folder = childCacheFolder(mib);
    if (!missing.includes(folder)) return Promise.resolve(true);
    if (!writable(folder)) return Promise.resolve(false);
    const key = `${folder}\0${mark}`;
    if (!writing.has(key)) writing.set(key, runWriter(mib, req, mark));
    return writing.get(key)!;
  });
  return (await Promise.all(made)).every(Boolean);
}
