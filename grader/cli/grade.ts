/**
 * `rlgrade grade`: intake -> case inputs -> reference (cached) -> student run -> scoring ->
 * results.json + report.md + report.html. The stages pass plain data only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../assignment/load';
import type { Assignment } from '../assignment/types';
import { buildCalls, isThresholdCase, isWholeRun } from '../cases/build';
import { loadPublic, publicModulePath } from '../assignment/plugin';
import { solutionsDir, starterDir, studentModules } from '../assignment/types';
import { prepareSubmission } from '../intake';
import { toResultsJson, writeReport, type GradeReport } from '../report';
import { writeResults, type GradescopeResults } from '../results';
import { computeReference, DEFAULT_CACHE_DIR } from '../runner/reference';
import { needsVerification, verifyRuns, warmVerifier } from '../runner/verify';
import { ensureChildCompileCache } from '../runner/compile-cache';
import { referenceEnvelope, type Envelope } from '../runner/messages';
import { runCalls, type CallOutcome } from '../runner/run-calls';
import { laneCount, splitLanes } from '../runner/lanes';
import { openSession, type Isolation, type Lane, type Session } from '../runner/session';
import { KIT_ROOT, makeWorkFolder, prepareWorkDir, removeStaleWorkFolders, type WorkDir } from '../runner/workdir';
import type { RunnerCall } from '../child/protocol';
import { buildReport, scoredRun } from '../scoring/score';
import { addRunFigures } from '../scoring/runs';
import { GradeClock, type GradeTimings } from './grade-timings';
import { preloadPlots } from '../../provided/plots/vega-svg';

export { ISOLATIONS, type Isolation } from '../runner/session';

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
  /** The course secret's file, made root-only with the other secrets before student code runs. */
  secretFile?: string;
  /** Sandbox user (default rlhw-student); parallel graders need one each (gradings on a user are serialised). */
  sandboxUser?: string;
  cacheDir?: string;
  /** Seconds the grading may take (default: the assignment's total_seconds); waiting for the sandbox user does not count. */
  totalSeconds?: number;
  /** Do not run whole runs (training, evaluation: they score 0 as not run): for tests that grade many submissions. */
  skipTraining?: boolean;
  /** Who submitted, for the report's header (from Gradescope's metadata); else the submission's name alone. */
  student?: string;
  /** Runner children side by side (runner/lanes.ts); default: 2 when two CPUs and the memory are free, else 1. */
  lanes?: number;
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

/** What each call may return: the reference's own outputs, or (a run scored by thresholds) what its run declares. */
function envelopesOf(a: Assignment, calls: RunnerCall[], reference: Map<string, CallOutcome>): Map<string, Envelope> {
  const runs = loadPublic(a).runs;
  const envelopeOf = (c: RunnerCall): Envelope => {
    const known = reference.get(c.id);
    if (known) return referenceEnvelope(known.result.outputs);
    const own = c.harness.kind === 'run' ? runs[c.harness.run]?.envelope : undefined;
    if (own) return own(c.args);
    throw new Error(`case ${c.id}: no reference and no envelope of its own: the grader cannot bound what it returns`);
  };
  return new Map(calls.map((c) => [c.id, envelopeOf(c)]));
}

/**
 * Runs the student's calls in the session's sandbox, split between `lanes` children side by side
 * (runner/lanes.ts), each in a work folder that exists only for that time: they are removed, and
 * the sandbox users handed back, before anything else happens.
 */
async function runStudent(o: { session: Session; a: Assignment; files: Record<string, string>; calls: RunnerCall[]; wholeRuns: Set<string>; lanes: number; onCoreFree: () => void; envelopes: Map<string, Envelope>; backend: Assignment['backend']; deadline: number; clock: GradeClock; mechanisms: Set<string> }): Promise<Map<string, CallOutcome>> {
  const { session, a, clock } = o;
  const timeLimits = Object.fromEntries(a.cases.map((c) => [c.id, c.timeLimit]));
  const planned = splitLanes(o.calls, o.lanes, (c) => o.wholeRuns.has(c.id), (id) => timeLimits[id] ?? 10);
  const lanes: Lane[] = [session];
  const second = planned.length > 1 ? session.secondLane() : undefined;
  if (second) lanes.push(second);
  const groups = second ? planned : [o.calls];
  // With one child the second core is free once the child has started; with two, once one ends.
  let started = groups.length > 1;
  const works: WorkDir[] = [];
  try {
    const outcomes = await Promise.all(
      groups.map((calls, i) => {
        const lane = lanes[i];
        const work = prepareWorkDir(o.files, a.files, starterDir(a), lane.user);
        works.push(work);
        return runCalls(calls, {
          launcher: lane.launcher,
          backend: o.backend,
          studentDir: work.submissionDir,
          cwd: work.root,
          modules: studentModules(a),
          publicModule: publicModulePath(a),
          envelopes: o.envelopes,
          view: lane.viewOf(work),
          home: work.scratchDir,
          deadline: o.deadline,
          timeLimits,
          startupCpuSeconds: a.limits.startupCpuSeconds,
          wallFactor: a.limits.wallFactor,
          memoryMiB: a.limits.memoryMiB,
          onRun: (r) => {
            r.mechanisms.forEach((m) => o.mechanisms.add(m));
            clock.peakRssMiB = Math.max(clock.peakRssMiB, r.peakRssMiB ?? 0);
          },
          onMessage: (m) => {
            clock.onMessage(m, i);
            if (!started && (m as { type?: unknown })?.type === 'start') (started = true), o.onCoreFree();
          },
        }).finally(o.onCoreFree);
      }),
    );
    const all = new Map(outcomes.flatMap((m) => [...m]));
    return new Map(o.calls.map((c) => [c.id, all.get(c.id)!]));
  } finally {
    works.forEach((w) => w.dispose());
    lanes.forEach((l) => l.release());
  }
}

export async function gradeSubmission(o: GradeOptions): Promise<Graded> {
  const started = performance.now();
  const clock = new GradeClock();
  const a = loadAssignment(o.assignmentDir);
  const backend = o.backend ?? a.backend;
  const calls = buildCalls(a, o.secret);
  // Runs scored by thresholds on their metric need no reference run.
  const scored = new Set(a.cases.filter(isThresholdCase).map((c) => c.id));
  const cacheDir = o.cacheDir ?? DEFAULT_CACHE_DIR;
  clock.mark('reference-start');
  const reference = await computeReference(a, calls.filter((c) => !scored.has(c.id)), backend, cacheDir);
  clock.mark('reference-end');
  const log = (line: string): void => void process.stderr.write(`rlgrade: ${line}\n`);
  for (const name of removeStaleWorkFolders()) log(`removed the work folder of a grader that is no longer running: ${name}`);
  const waitStarted = performance.now();
  // Compiled code the runner children share, made once (runner/compile-cache.ts); a result never depends on it.
  if (!(await ensureChildCompileCache(a, backend)) && process.env.RLHW_CHILD_CACHE !== 'off') {
    log('the runner children start without a compile cache for this version of the kit (its folder is not writable, or its writer failed): start-up is slower, results are the same');
  }
  const session = await openSession({ assignment: a, isolation: o.isolation ?? 'auto', sandboxUser: o.sandboxUser, cacheDir, outDir: o.outDir, secretFile: o.secretFile, onWait: log });
  // The budget runs from the start, waiting for the sandbox user excepted; what comes after the
  // student's run (the trusted verification, scoring, writing) keeps a reserve of its own.
  const budget = o.totalSeconds ?? a.limits.totalSeconds;
  const deadline = started + (performance.now() - waitStarted) + (budget - Math.min(30, budget / 10)) * 1000;
  const intakeDir = makeWorkFolder('intake');
  try {
    const intake = await prepareSubmission(o.submission, a.files, intakeDir);
    const mechanisms = new Set<string>();
    clock.mark('launch');
    const wholeRuns = new Set(a.cases.filter((c) => isWholeRun(a, c)).map((c) => c.id));
    const run = o.skipTraining ? calls.filter((c) => !wholeRuns.has(c.id)) : calls;
    // The report's plot libraries load while the student's code runs (about half a second less after it).
    if (!o.skipTraining) preloadPlots();
    const lanes = o.lanes ?? laneCount(a.limits.memoryMiB);
    // The trusted child that measures a run again loads TensorFlow.js on a free core meanwhile.
    let warm: ReturnType<typeof warmVerifier> | undefined;
    const warmUp = needsVerification(run, loadPublic(a)) ? () => void (warm ??= warmVerifier(KIT_ROOT)) : () => undefined;
    let student: Map<string, CallOutcome>;
    try {
      student = await runStudent({ session, a, files: intake.files, calls: run, wholeRuns, lanes, onCoreFree: warmUp, envelopes: envelopesOf(a, run, reference), backend, deadline, clock, mechanisms });
      clock.mark('student-ran');
      // What a run reports is measured again by the kit's own code where the assignment says so, in a trusted process.
      await verifyRuns(student, calls, loadPublic(a), { backend, referenceDir: solutionsDir(a), modules: studentModules(a), publicModule: publicModulePath(a), cwd: KIT_ROOT, launcher: warm?.launcher });
    } finally {
      warm?.dispose();
    }
    clock.mark('ran');
    const report = buildReport({
      assignment: a,
      student,
      reference,
      missingFiles: intake.missing,
      submission: path.basename(path.resolve(o.submission)),
      backend,
      intakeProblems: intake.problems.map((p) => p.message),
      upload: intake.upload,
    });
    if (o.student) report.student = o.student;
    if (mechanisms.has('network-open')) report.notes.push('This grader ran your code with the network open (no network namespace and no seccomp filter were available); staff have been told in the log.');
    await addRunFigures(report, a.cases.filter(isThresholdCase).map((spec) => ({ spec, report: scoredRun(a, spec).report })), student);
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
      verify: clock.between('student-ran', 'ran'),
      scoring: clock.between('ran', 'scored'),
      write: clock.between('scored', 'written'),
      total: clock.between(null, 'written'),
      childPeakRssMiB: clock.peakRssMiB,
    };
    return { report, results, mechanisms: [...mechanisms], protected: session.guarded, timedOut, timings };
  } finally {
    session.release();
    fs.rmSync(intakeDir, { recursive: true, force: true });
  }
}
