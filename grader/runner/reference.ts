/**
 * Expected values: the same runner, pointed at the assignment's solutions/ in a trusted plain child,
 * with every diagnostic variant run on the same inputs. Cached under a key that hashes the
 * calls (inputs), the backend, the solution files and the grader files that shape the numbers.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { plainLauncher } from './launch';
import type { RunnerCall, RunnerRequest } from '../child/protocol';
import { loadPublic, privateModulePath, publicModulePath } from '../assignment/plugin';
import { solutionsDir, studentModules, type Assignment } from '../assignment/types';
import { CallOutcome, runCalls } from './run-calls';
import { KIT_ROOT } from './workdir';

/** Kit folders (besides the assignment's) whose files change the reference numbers: the kit's
 * library the solutions build on, and the engine code that calls them and runs the variants. */
const ENGINE_HASHED = ['provided', 'grader/child', 'grader/diagnostics'];

/** CPU seconds per reference call, its diagnostic variants included. */
const REFERENCE_CALL_SECONDS = 180;

export const DEFAULT_CACHE_DIR = process.env.RLGRADE_CACHE_DIR || path.join(os.tmpdir(), 'rlgrade-cache');

/** Every file under `rel` (a file or a folder; symbolic links are not followed), in a fixed order. */
function hashTree(hash: ReturnType<typeof createHash>, kitRoot: string, rel: string): void {
  const st = fs.lstatSync(path.join(kitRoot, rel), { throwIfNoEntry: false });
  if (!st) return;
  if (st.isFile()) hash.update(`${rel}\0`).update(fs.readFileSync(path.join(kitRoot, rel)));
  else if (st.isDirectory()) for (const name of fs.readdirSync(path.join(kitRoot, rel)).sort()) hashTree(hash, kitRoot, path.join(rel, name));
}

/**
 * The cache key of a reference: the calls (their inputs), the backend, the whole assignment folder
 * (its solutions, its grading code, its settings), every file the assignment's runs read (the
 * bundled datasets, hashed by their bytes, not by a manifest), the kit's library and the engine
 * code that shapes the numbers. A change to any of them gives a new key, so a cached reference is
 * reused exactly when it is still right.
 */
export function referenceKey(a: Pick<Assignment, 'codeDir'>, calls: RunnerCall[], backend: string, kitRoot = KIT_ROOT): string {
  const hash = createHash('sha256').update(JSON.stringify({ calls, backend }));
  const reads = loadPublic(a).reads;
  for (const rel of [path.relative(kitRoot, a.codeDir), ...ENGINE_HASHED, ...reads]) hashTree(hash, kitRoot, rel);
  return hash.digest('hex').slice(0, 32);
}

/** Reference results (and variant results) per call id, from the cache when possible. */
export async function computeReference(
  a: Assignment,
  calls: RunnerCall[],
  backend: RunnerRequest['backend'],
  cacheDir = DEFAULT_CACHE_DIR,
): Promise<Map<string, CallOutcome>> {
  const file = path.join(cacheDir, `reference-${referenceKey(a, calls, backend)}.json`);
  if (fs.existsSync(file)) {
    try {
      return new Map(JSON.parse(fs.readFileSync(file, 'utf8')) as [string, CallOutcome][]);
    } catch {
      // a damaged cache entry is recomputed
    }
  }
  const result = await runCalls(calls, {
    launcher: plainLauncher,
    backend,
    studentDir: solutionsDir(a),
    modules: studentModules(a),
    publicModule: publicModulePath(a),
    privateModule: privateModulePath(a),
    cwd: KIT_ROOT,
    // Trusted code: the limit is only a backstop, generous because every diagnostic variant of a
    // call runs inside that call's budget (a whole run and its variants take ~20 s).
    timeLimits: Object.fromEntries(calls.map((c) => [c.id, REFERENCE_CALL_SECONDS])),
    startupCpuSeconds: 60,
    wallFactor: 3,
    memoryMiB: 2048,
  });
  const failed = [...result.values()].find((o) => !o.result.ok);
  if (failed) throw new Error(`the reference solution failed on case ${failed.result.id}: ${failed.result.error?.message}`);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    if (fs.statSync(cacheDir).uid === process.getuid?.()) fs.chmodSync(cacheDir, 0o700); // also when it already existed
    fs.writeFileSync(temp, JSON.stringify([...result.entries()]), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch (err) {
    // A cache that cannot be written (the grader image's read-only root) only makes grading slower.
    if (fs.existsSync(temp)) fs.rmSync(temp, { force: true });
    process.stderr.write(`rlgrade: reference values not cached in ${cacheDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
  }
  return result;
}
