/**
 * Expected values: the same runner, pointed at the kit's solutions/ in a trusted plain child,
 * with every diagnostic variant run on the same inputs. Cached under a key that hashes the
 * calls (inputs), the backend, the solution files and the grader files that shape the numbers.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { plainLauncher } from './launch';
import type { RunnerCall, RunnerRequest } from '../child/protocol';
import { CallOutcome, runCalls } from './run-calls';
import { KIT_ROOT } from './workdir';

/** Folders whose files change the reference numbers. */
const HASHED = ['solutions', 'provided/nets', 'provided/runtime', 'provided/train', 'grader/child', 'grader/runner', 'grader/cases', 'grader/diagnostics'];

/** CPU seconds per reference call, its diagnostic variants included. */
const REFERENCE_CALL_SECONDS = 180;

export const DEFAULT_CACHE_DIR = process.env.RLGRADE_CACHE_DIR || path.join(os.tmpdir(), 'rlgrade-cache');

function hashFolders(hash: ReturnType<typeof createHash>, kitRoot: string): void {
  for (const rel of HASHED) {
    const dir = path.join(kitRoot, rel);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (!fs.statSync(file).isFile()) continue;
      hash.update(`${rel}/${name}\0`).update(fs.readFileSync(file));
    }
  }
}

export function referenceKey(calls: RunnerCall[], backend: string, kitRoot = KIT_ROOT): string {
  const hash = createHash('sha256').update(JSON.stringify({ calls, backend }));
  hashFolders(hash, kitRoot);
  // The FQE-run and training cases read bundled datasets by name: hash every file's bytes (not the
  // manifest's recorded SHA-256), so a changed dataset never serves stale expected values.
  const datasets = path.join(kitRoot, 'fixtures/datasets');
  for (const name of fs.existsSync(datasets) ? fs.readdirSync(datasets).sort() : []) {
    const file = path.join(datasets, name);
    if (fs.statSync(file).isFile()) hash.update(`fixtures/datasets/${name}\0`).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 32);
}

/** Reference results (and variant results) per call id, from the cache when possible. */
export async function computeReference(
  calls: RunnerCall[],
  backend: RunnerRequest['backend'],
  cacheDir = DEFAULT_CACHE_DIR,
): Promise<Map<string, CallOutcome>> {
  const file = path.join(cacheDir, `reference-${referenceKey(calls, backend)}.json`);
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
    studentDir: path.join(KIT_ROOT, 'solutions'),
    cwd: KIT_ROOT,
    // Trusted code: the limit is only a backstop, generous because every diagnostic variant of a
    // call runs inside that call's budget (a whole FQE run and its variants take ~20 s).
    timeLimits: Object.fromEntries(calls.map((c) => [c.id, REFERENCE_CALL_SECONDS])),
    startupCpuSeconds: 60,
    wallFactor: 3,
    memoryMiB: 2048,
    variants: true,
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
