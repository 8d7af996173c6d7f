// Helpers of the batch tests: a small Gradescope-style export (reference, starter, two buggy
// submissions, one of them uploaded as a zip, and one hostile submission that kills its grading
// process), and the rlgrade command run as a child process (vega and the workers need real
// processes, not Jest's module sandbox).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { buggySubmission } from '../../scripts/examples/buggy';
import { CACHE_DIR, ROOT } from '../grader/support';

export { ROOT };
export const BIN = path.join(ROOT, 'grader/bin/rlgrade.js');

export const tempDir = (label: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `rlgrade-batch-${label}-`));

/**
 * A snapshot of the kit's assignment file (its code is the kit's: `base`), so that the batches of
 * one test run grade against the same cases even while the file is being edited.
 */
export function assignmentSnapshot(): string {
  const dir = tempDir('assignment');
  const kitAssignment = path.join(ROOT, 'assignments/offline-rl');
  fs.writeFileSync(path.join(dir, 'assignment.yaml'), `base: ${JSON.stringify(kitAssignment)}\n${fs.readFileSync(path.join(kitAssignment, 'assignment.yaml'), 'utf8')}`);
  return dir;
}

export const METADATA = `# as Gradescope's "Export Submissions" writes it (Ruby symbols and tags)
submission_1001:
  :submitters:
  - :name: Ada Lovelace
    :sid: '0001'
    :email: ada@example.edu
  :created_at: 2025-03-01 10:00:00.000000000 -08:00
  :score: !ruby/object:BigDecimal 18:0.98e2
submission_1002:
  :submitters:
  - :name: Bob Baker
    :sid: '0002'
    :email: bob@example.edu
  - :name: "=1+1"
    :sid: '0003'
    :email: eve@example.edu
submission_1003:
  :submitters:
  - :name: Cy Young
    :sid: '0004'
    :email: cy@example.edu
submission_1004:
  :submitters:
  - :name: Di Prince
    :sid: '0005'
    :email: di@example.edu
submission_1005:
  :submitters:
  - :name: Mal Ory
    :sid: '0006'
    :email: mal@example.edu
`;

/** Buggy fixtures used: each costs the submission points on a known question. */
export const BUGGY = { submission_1003: 'expectile-swapped-tau', submission_1004: 'returns-ignore-timeouts' } as const;

function zipFolder(dir: string, file: string): void {
  const files = Object.fromEntries(fs.readdirSync(dir).map((n) => [`hw/${n}`, new Uint8Array(fs.readFileSync(path.join(dir, n)))]));
  fs.writeFileSync(file, zipSync(files));
}

/** The export folder: submission_1001 reference, _1002 starter, _1003 and _1004 (a zip) buggy, _1005 hostile. */
export function makeExport(dir = tempDir('input')): string {
  fs.cpSync(path.join(ROOT, 'solutions'), path.join(dir, 'submission_1001'), { recursive: true, dereference: true });
  fs.cpSync(path.join(ROOT, 'starter'), path.join(dir, 'submission_1002'), { recursive: true, dereference: true });
  fs.cpSync(buggySubmission(BUGGY.submission_1003), path.join(dir, 'submission_1003'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'submission_1004'));
  zipFolder(buggySubmission(BUGGY.submission_1004), path.join(dir, 'submission_1004', 'upload.zip'));
  // Hostile: kills the process that started it (in plain isolation, the grading worker).
  fs.cpSync(path.join(ROOT, 'solutions'), path.join(dir, 'submission_1005'), { recursive: true, dereference: true });
  fs.appendFileSync(path.join(dir, 'submission_1005', 'returns.ts'), "\nprocess.kill(process.ppid, 'SIGKILL');\n");
  fs.writeFileSync(path.join(dir, 'submission_metadata.yml'), METADATA);
  return dir;
}

export const NAMES = ['submission_1001', 'submission_1002', 'submission_1003', 'submission_1004', 'submission_1005'];

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const env = (extra: Record<string, string> = {}) => ({ ...process.env, RLGRADE_CACHE_DIR: CACHE_DIR, CI: 'true', ...extra });

/** `rlgrade ARGS` to completion. */
export function rlgrade(args: string[], extraEnv: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: env(extraEnv), timeout: 900_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `rlgrade ARGS` in the background (for concurrent shards, or to be killed). */
export function rlgradeAsync(args: string[], extraEnv: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<Run>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  return { child, done };
}

/** The flags every test batch uses: plain isolation, no training case, a fixed assignment. */
export const fastFlags = (assignment: string): string[] => ['--isolation', 'plain', '--skip-training', '--assignment', assignment, '--progress', 'lines'];

export const read = (file: string): string => fs.readFileSync(file, 'utf8');

/** Waits until `test()` holds, polling every 100 ms (gives up after `ms`). */
export async function waitFor(test: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}
