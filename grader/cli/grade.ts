/**
 * `rlgrade grade`: intake -> case inputs -> reference (cached) -> student run -> scoring ->
 * results.json + report.md + report.html. The stages pass plain data only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../assignment/load';
import type { Assignment } from '../assignment/types';
import { buildCalls, isTrainingCase } from '../cases/build';
import { prepareSubmission } from '../intake';
import { toResultsJson, writeReport, type GradeReport } from '../report';
import { writeResults, type GradescopeResults } from '../results';
import { CHILD_ENTRY, plainLauncher, sandboxLauncher, type Launcher } from '../runner/launch';
import { checkReachableByOthers, graderCompileCache, protectFromStudent, SECRET_KIT_PATHS } from '../runner/protect';
import { DEFAULT_SANDBOX_USER, ensureSandboxUser, isRoot } from '../sandbox';
import { computeReference, DEFAULT_CACHE_DIR } from '../runner/reference';
import { evaluateTraining } from '../runner/evaluate';
import { runCalls } from '../runner/run-calls';
import { KIT_ROOT, prepareWorkDir } from '../runner/workdir';
import { buildReport } from '../scoring/score';
import { addLearningCurves } from '../scoring/train';
import { GradeClock, type GradeTimings } from './grade-timings';

/**
 * How student code runs: 'auto' (the sandbox, with namespaces when root allows them), 'full'
 * (sandbox with namespaces, or fail), 'reduced' (sandbox without namespaces: user drop, limits,
 * watchdog, as in a container with only SETUID/SETGID/KILL), 'plain' (a plain child process with a
 * wall-clock limit: tests and trusted code only).
 */
export type Isolation = 'auto' | 'full' | 'reduced' | 'plain';
export const ISOLATIONS: Isolation[] = ['auto', 'full', 'reduced', 'plain'];

export interface GradeOptions {
  /** Folder, .tar, .tgz or .zip as uploaded. */
  submission: string;
  assignmentDir?: string;
  /** Where results.json and the reports go; nothing is written when absent. */
  outDir?: string;
  backend?: Assignment['backend'];
  secret: string;
  /** Default 'auto'. */
  isolation?: Isolation;
  /** Sandbox user (default rlhw-student); parallel graders need one each (runs on a user are serialised). */
  sandboxUser?: string;
  cacheDir?: string;
  /** Do not run training cases or FQE runs (they score 0 as not run): for tests that grade many submissions. */
  skipTraining?: boolean;
  /** Who submitted, for the report's header (from Gradescope's metadata); else the submission's name alone. */
  student?: string;
}

export interface Graded {
  report: GradeReport;
  results: GradescopeResults;
  /** Isolation mechanisms the sandbox used for the student's code (empty when 'plain'). */
  mechanisms: string[];
  /** Permission changes made to keep secrets from the sandbox user, for the grader's log. */
  protected: string[];
  /** Ids of the cases whose run hit its time limit (the batch gradebook marks them). */
  timedOut: string[];
  /** Where the time went (npm run bench). */
  timings: GradeTimings;
}

/**
 * Before student code runs as the sandbox user: the solutions, the reference cache and the out
 * folder become root-only, and what the child must load is checked to be reachable.
 */
function guardFiles(cacheDir: string, outDir: string | undefined): string[] {
  if (outDir) fs.mkdirSync(outDir, { recursive: true });
  const changed = protectFromStudent([...SECRET_KIT_PATHS.map((p) => path.join(KIT_ROOT, p)), graderCompileCache(), cacheDir, ...(outDir ? [outDir] : [])]);
  for (const needed of [path.join(KIT_ROOT, 'provided'), path.join(KIT_ROOT, 'node_modules'), CHILD_ENTRY]) checkReachableByOthers(needed);
  return changed;
}

export const launcherFor = (isolation: Isolation, user?: string): Launcher =>
  isolation === 'plain' ? plainLauncher : sandboxLauncher({ isolation, user });

export async function gradeSubmission(o: GradeOptions): Promise<Graded> {
  const started = performance.now();
  const clock = new GradeClock();
  const a = loadAssignment(o.assignmentDir);
  const backend = o.backend ?? a.backend;
  const calls = buildCalls(a, o.secret);
  // Training cases are scored by thresholds on the success rate: they need no reference run.
  const training = new Set(a.cases.filter(isTrainingCase).map((c) => c.id));
  const cacheDir = o.cacheDir ?? DEFAULT_CACHE_DIR;
  clock.mark('reference-start');
  const reference = await computeReference(calls.filter((c) => !training.has(c.id)), backend, cacheDir);
  clock.mark('reference-end');
  const isolation = o.isolation ?? 'auto';
  const guarded = isolation !== 'plain' && isRoot() ? guardFiles(cacheDir, o.outDir) : [];
  const intakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-intake-'));
  try {
    const intake = await prepareSubmission(o.submission, a.files, intakeDir);
    // Readable by the sandbox user's group only: parallel graders (batch workers) run as different users.
    const readerGid = isolation !== 'plain' && isRoot() ? ensureSandboxUser(o.sandboxUser ?? DEFAULT_SANDBOX_USER).gid : undefined;
    const work = prepareWorkDir(intake.files, a.files, KIT_ROOT, readerGid);
    try {
      const mechanisms = new Set<string>();
      clock.mark('launch');
      const student = await runCalls(o.skipTraining ? calls.filter((c) => !training.has(c.id) && c.harness !== 'fqe') : calls, {
        launcher: launcherFor(isolation, o.sandboxUser),
        backend,
        studentDir: work.submissionDir,
        cwd: work.root,
        timeLimits: Object.fromEntries(a.cases.map((c) => [c.id, c.timeLimit])),
        startupCpuSeconds: a.limits.startupCpuSeconds,
        wallFactor: a.limits.wallFactor,
        memoryMiB: a.limits.memoryMiB,
        onRun: (run) => {
          run.mechanisms.forEach((m) => mechanisms.add(m));
          clock.peakRssMiB = Math.max(clock.peakRssMiB, run.peakRssMiB ?? 0);
        },
        onMessage: (m) => clock.onMessage(m),
      });
      // The success rate of a training case is measured again from the reported policy, in a trusted process.
      await evaluateTraining(student, calls, backend);
      clock.mark('ran');
      const report = buildReport({
        assignment: a,
        student,
        reference,
        missingFiles: intake.missing,
        submission: path.basename(path.resolve(o.submission)),
        backend,
        intakeProblems: intake.problems.map((p) => p.message),
      });
      if (o.student) report.student = o.student;
      await addLearningCurves(report, a.cases.filter(isTrainingCase), student);
      const results = toResultsJson(report, { executionTime: (performance.now() - started) / 1000 });
      clock.mark('scored');
      if (o.outDir) {
        writeResults(path.join(o.outDir, 'results.json'), results);
        await writeReport(o.outDir, report);
      }
      clock.mark('written');
      const timedOut = [...student.values()].filter((c) => c.result.error?.kind === 'timeout').map((c) => c.result.id);
      const timings: GradeTimings = {
        setup: clock.between(null, 'launch'),
        reference: clock.between('reference-start', 'reference-end'),
        childStart: clock.childStart('launch'),
        cases: clock.cases,
        run: clock.between('launch', 'ran'),
        scoring: clock.between('ran', 'scored'),
        write: clock.between('scored', 'written'),
        total: clock.between(null, 'written'),
        childPeakRssMiB: clock.peakRssMiB,
      };
      return { report, results, mechanisms: [...mechanisms], protected: guarded, timedOut, timings };
    } finally {
      work.dispose();
    }
  } finally {
    fs.rmSync(intakeDir, { recursive: true, force: true });
  }
}
