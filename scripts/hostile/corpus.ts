// The hostile corpus end to end: build each case of fixtures/submissions/hostile, grade it with the
// real `rlgrade grade` in a child process (isolation auto: as root, the sandbox user in its own
// namespaces), then check every promise of the grader (issue 7) on what it wrote and on the machine.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { defaultAssignmentDir, loadAssignment } from '../../grader/assignment/load';
import type { Assignment } from '../../grader/assignment/types';
import { buildCalls, isThresholdCase, isWholeRun } from '../../grader/cases/build';
import { buildHostile, hostileManifest, MARKER_PORT, type HostileManifest } from '../examples/hostile';
import { graderCompileCache, lockAwayKit, protectFromStudent, secretKitPaths } from '../../grader/runner/protect';
import { anyChildKitPaths } from '../../grader/runner/child-view';
import { computeReference, DEFAULT_CACHE_DIR } from '../../grader/runner/reference';
import { ensureChildCompileCache } from '../../grader/runner/compile-cache';
import { DEFAULT_SANDBOX_USER, ensureSandboxUser } from '../../grader/sandbox';
import { changedEntries, filesOfUser, hashGraderFiles, liveProcessesOf, MARKER, markerFiles, ROOT } from './machine';
import { checkOutputs, hiddenValues, readOutputs } from './outputs';
import { stage, trainedPolicy, type Staged } from './stages';

const BIN = path.join(ROOT, 'grader/bin/rlgrade.js');
/** The course secret of the corpus runs: passed in the environment, so a leak of it is visible. */
export const CORPUS_SECRET = 'hostile-corpus-secret-7f3a9c';
/** Seconds a grading may take beyond its case's limit (start-up of the CLI on a busy machine). */
export const MARGIN_SECONDS = 20;


export interface Corpus {
  /** Temporary folder holding everything the run builds. */
  dir: string;
  /** The assignments the cases are graded with (only those some case needs). */
  assignments: Partial<Record<HostileManifest['assignment'], { dir: string | undefined; a: Assignment; hidden: number[] }>>;
  /** Strings the student-facing output must never hold. */
  forbidden: string[];
  /** A policy the reference trained (JSON), for the cases that forge a training result. */
  trainedPolicy?: string;
  /** Connections the grader's machine received on the corpus' marker port. */
  connections: () => number;
  close: () => Promise<void>;
}

/**
 * The kit's assignment with at most one visible and one hidden case per question, no slow case,
 * and tighter time limits, so that a case that times out costs little.
 */
export function writeReducedAssignment(dir: string): string {
  const base = loadAssignment();
  const raw = parseDocument(fs.readFileSync(path.join(defaultAssignmentDir(), 'assignment.yaml'), 'utf8')).toJS() as {
    base?: string;
    grading: { limits?: Record<string, number> };
    cases: Array<{ id: string; question: string; target: string; visibility?: string; time_limit?: number }>;
  };
  // Whole runs (trainings, FQE runs) are slow: left out.
  const slow = new Set(base.cases.filter((c) => isWholeRun(base, c)).map((c) => c.id));
  const kept = new Set<string>();
  raw.cases = raw.cases.filter((c) => {
    const key = `${c.question}:${c.visibility === 'visible' ? 'visible' : 'hidden'}`;
    if (slow.has(c.id) || kept.has(key)) return false;
    kept.add(key);
    return true;
  });
  raw.base = base.codeDir;
  for (const c of raw.cases) c.time_limit = Math.min(c.time_limit ?? 5, 5);
  // 768 MiB, Gradescope's default machine: a heap bomb then reaches the memory limit in about half
  // the CPU time of a case, so it ends the same way (memory, not time) in every run.
  raw.grading.limits = { ...raw.grading.limits, startup_cpu_seconds: 12, memory_mib: 768 };
  const out = path.join(dir, 'reduced');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'assignment.yaml'), `# Reduced copy of the kit's assignment for the hostile corpus (its code: base).\n${stringify(raw)}`);
  return out;
}

async function assignmentOf(dir: string | undefined): Promise<{ dir: string | undefined; a: Assignment; hidden: number[] }> {
  const a = loadAssignment(dir);
  const scored = new Set(a.cases.filter(isThresholdCase).map((c) => c.id));
  const calls = buildCalls(a, CORPUS_SECRET).filter((c) => !scored.has(c.id));
  // The same reference `rlgrade grade` computes (and caches) for these calls.
  const reference = await computeReference(a, calls, a.backend, process.env.RLGRADE_CACHE_DIR || DEFAULT_CACHE_DIR);
  // The runner child's compile cache, as the first grading would make it (its files are hashed: the poison case).
  if (!(await ensureChildCompileCache(a, a.backend))) throw new Error("cannot write the runner child's compile cache");
  return { dir, a, hidden: hiddenValues(a, reference) };
}

/**
 * The machine as staff leave it after running the kit under tsx as root (tests, training): tsx's
 * compile cache of root holds the compiled solutions and is world-readable, as tsx makes it.
 * (The read-solutions case then checks that grading hides it.)
 */
function stageCompileCache(): void {
  const env = { ...process.env };
  delete env.TSX_DISABLE_CACHE;
  const load = `require('tsx/cjs'); require(${JSON.stringify(path.join(ROOT, 'solutions', 'iql.ts'))});`;
  const r = spawnSync(process.execPath, ['-e', load], { cwd: ROOT, env, stdio: 'ignore' });
  if (r.status !== 0) throw new Error('cannot compile solutions/iql.ts with tsx');
  fs.chmodSync(graderCompileCache(), 0o755);
}

/** Builds the reduced assignment, computes the references the cases need and opens the marker listeners. */
export async function prepareCorpus(names: string[], o: { keep?: boolean } = {}): Promise<Corpus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-hostile-'));
  stageCompileCache();
  // The first grading makes solutions/ and .git root-only (a mode change the grader files' hash
  // would see on a fresh clone): do it now, so each case compares the kit as grading leaves it.
  protectFromStudent(secretKitPaths(ROOT));
  const kinds = new Set(names.map((n) => hostileManifest(n).assignment));
  kinds.add('reduced'); // the batch checks use it
  const reduced = await assignmentOf(writeReducedAssignment(dir));
  const full = kinds.has('full') ? await assignmentOf(undefined) : undefined;
  const needsPolicy = names.some((n) => Object.values(hostileManifest(n).substitute ?? {}).includes('trained-policy'));
  const policy = needsPolicy ? await trainedPolicy(full?.a ?? reduced.a, CORPUS_SECRET) : undefined;
  // Reduced isolation makes everything under the kit the child does not load root-only: do it
  // now, so each case compares the kit as grading leaves it (as for solutions/ above).
  lockAwayKit(ROOT, anyChildKitPaths(reduced.a));
  const cache = process.env.RLGRADE_CACHE_DIR || DEFAULT_CACHE_DIR;
  // (The child's own work folder is not among them: it is its HOME, which it may print.)
  // Lines of the grader's trusted code (the attack that reads them prints them).
  const trusted = ['assignments/offline-rl/private/updates.ts', 'assignments/offline-rl/private/generators.ts', 'grader/runner/reference.ts'].map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n')[1].trim());
  const forbidden = [...new Set([ROOT, fs.realpathSync(ROOT), cache, '/tmp/rlgrade-cache', 'intake-', CORPUS_SECRET, ...trusted])];
  // Last, the listeners (nothing after them may throw and leave them open: Jest would never exit).
  let connections = 0;
  const servers = [net.createServer((s) => (connections++, s.destroy())), net.createServer((s) => (connections++, s.destroy()))];
  const closeServers = (): Promise<unknown> => Promise.all(servers.map((s) => new Promise((resolve) => (s.listening ? s.close(resolve) : resolve(undefined)))));
  try {
    await Promise.all([
      new Promise<void>((resolve, reject) => servers[0].once('error', reject).listen(MARKER_PORT, '127.0.0.1', resolve)),
      new Promise<void>((resolve, reject) => servers[1].once('error', reject).listen(`\0${MARKER}`, resolve)),
    ]);
  } catch (err) {
    await closeServers();
    throw err;
  }
  return {
    dir,
    assignments: { reduced, full },
    forbidden,
    trainedPolicy: policy,
    connections: () => connections,
    close: async () => {
      await closeServers();
      if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CaseResult {
  name: string;
  seconds: number;
  score: number | undefined;
  bound: number;
  failures: string[];
}

/** Runs `rlgrade grade` and waits at most `limitSeconds` (then kills its whole process group). */
function runGrade(args: string[], limitSeconds: number): Promise<{ code: number | null; stderr: string; seconds: number; timedOut: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, RLHW_COURSE_SECRET: CORPUS_SECRET },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    let timedOut = false;
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, limitSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, seconds: (performance.now() - started) / 1000, timedOut });
    });
  });
}

/**
 * Most points the case may earn, and the questions that must earn nothing, from its manifest and
 * the assignment it is graded with.
 */
export function scoreBound(m: HostileManifest, a: Assignment): { bound: number; lost: string[] } {
  const graded = a.questions.filter((q) => a.cases.some((c) => c.question === q.id));
  const all = graded.reduce((s, q) => s + q.points, 0);
  const bound = m.expect.max_score;
  if (bound === 'all') return { bound: all, lost: [] };
  if (typeof bound === 'number') return { bound, lost: bound === 0 ? graded.map((q) => q.id) : [] };
  const lost = graded.filter((q) => bound.includes(q.id) || a.cases.some((c) => c.question === q.id && bound.includes(`${c.target.split('.')[0]}.ts`)));
  return { bound: all - lost.reduce((s, q) => s + q.points, 0), lost: lost.map((q) => q.id) };
}

/** The isolation modes the corpus is graded in: 'auto' (full, with namespaces, here) and 'reduced' (as in the grader image). */
export const CORPUS_MODES = ['auto', 'reduced'] as const;
export type CorpusMode = (typeof CORPUS_MODES)[number];

/** Grades one case and returns every broken promise (an empty list when the grader kept them all). */
export async function gradeCase(corpus: Corpus, name: string, o: { user?: string; isolation?: CorpusMode } = {}): Promise<CaseResult> {
  const user = o.user ?? DEFAULT_SANDBOX_USER;
  const isolation = o.isolation ?? 'auto';
  const m = hostileManifest(name);
  const graded = corpus.assignments[m.assignment];
  if (!graded) throw new Error(`${name}: the corpus was prepared without the ${m.assignment} assignment`);
  const caseDir = path.join(corpus.dir, `${name}-${isolation}`);
  fs.mkdirSync(caseDir);
  const staged = await stage(m.stage ?? [], caseDir, { isolation, user, assignmentDir: graded.dir, secret: CORPUS_SECRET });
  try {
    return await gradeStaged(corpus, name, m, { caseDir, user, isolation, staged });
  } finally {
    staged.remove();
  }
}

async function gradeStaged(corpus: Corpus, name: string, m: HostileManifest, o: { caseDir: string; user: string; isolation: CorpusMode; staged: Staged }): Promise<CaseResult> {
  const { caseDir, user, isolation, staged } = o;
  const { dir: assignmentDir, a, hidden } = corpus.assignments[m.assignment]!;
  const values: Record<string, string | undefined> = { ...staged.values, 'trained-policy': corpus.trainedPolicy };
  const substitutions = Object.fromEntries(Object.entries(m.substitute ?? {}).map(([placeholder, v]) => [placeholder, values[v] ?? 'undefined']));
  const built = buildHostile(name, caseDir, m, substitutions);
  const out = path.join(caseDir, 'out');
  const uid = ensureSandboxUser(user).uid; // made now when it does not exist yet (a fresh machine)
  const before = { grader: hashGraderFiles(), userFiles: filesOfUser(uid), markers: markerFiles(), connections: corpus.connections() };
  const args = ['grade', built.path, '--out', out, '--isolation', isolation, '--sandbox-user', user, ...(assignmentDir ? ['--assignment', assignmentDir] : [])];
  const run = await runGrade(args, m.expect.time_limit_seconds + MARGIN_SECONDS);
  const failures: string[] = [];
  if (run.timedOut) failures.push(`rlgrade grade did not finish within ${m.expect.time_limit_seconds} s + ${MARGIN_SECONDS} s`);
  else if (run.seconds > m.expect.time_limit_seconds + MARGIN_SECONDS) failures.push(`took ${run.seconds.toFixed(1)} s`);
  if (run.code !== 0) failures.push(`rlgrade grade exited with ${run.code}: ${run.stderr.trim().split('\n').pop()}`);
  const { bound, lost } = scoreBound(m, a);
  const outputs = readOutputs(out);
  const forbidden = [...corpus.forbidden, ...staged.forbidden].filter((f) => !built.supplied.some((s) => s.includes(f)));
  failures.push(...checkOutputs(outputs, { manifest: m, bound, lost, hidden, forbidden }));
  // The machine as the grading found it.
  const processes = await liveProcessesOf(user);
  if (processes.length > 0) failures.push(`processes of ${user} left: ${processes.slice(0, 3).join('; ')}`);
  const graderChanges = changedEntries(before.grader, hashGraderFiles());
  if (graderChanges.length > 0) failures.push(`grader files changed: ${graderChanges.slice(0, 5).join(', ')}`);
  const userChanges = changedEntries(before.userFiles, filesOfUser(uid)).filter((c) => !c.startsWith('removed'));
  if (userChanges.length > 0) failures.push(`files of ${user} written outside the grading folder: ${userChanges.slice(0, 5).join(', ')}`);
  const markers = markerFiles().filter((f) => !before.markers.includes(f));
  if (markers.length > 0) failures.push(`escape targets created: ${markers.join(', ')}`);
  if (corpus.connections() > before.connections) failures.push('a connection reached the grader machine from the submission');
  return { name, seconds: run.seconds, score: outputs.score, bound, failures };
}
