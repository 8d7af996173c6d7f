// The end-to-end FQE cases (Q7.8): the child runs the student's FQE of a fixed policy, the parent
// compares the estimate with the reference's. A wrong target (no terminal mask) loses the points and
// gets its hint; the reference passes. (The buggy-submission test skips these runs to stay fast.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { publicModulePath } from '../../grader/assignment/plugin';
import { starterDir, studentModules } from '../../grader/assignment/types';
import { buildCalls } from '../../grader/cases/build';
import { DEV_SECRET } from '../../grader/cases/seed';
import { plainLauncher } from '../../grader/runner/launch';
import { computeReference } from '../../grader/runner/reference';
import type { CallOutcome } from '../../grader/runner/run-calls';
import { runCalls } from '../../grader/runner/run-calls';
import { prepareWorkDir } from '../../grader/runner/workdir';
import { scoreCase } from '../../grader/scoring/score';
import { buggySubmission, CACHE_DIR, FQE_RUN_CASES, ROOT, TRAINING_CASE } from './support';

const a = loadAssignment();
const all = buildCalls(a, DEV_SECRET);
const calls = all.filter((c) => FQE_RUN_CASES.includes(c.id));
let reference: Map<string, CallOutcome>;

/** Runs the FQE-run calls on the files of `dir` in a plain child, as grading does. */
async function run(dir: string): Promise<Map<string, CallOutcome>> {
  const files = Object.fromEntries(a.files.map((f) => [f, path.join(dir, f)]).filter(([, p]) => fs.existsSync(p)));
  const work = prepareWorkDir(files, a.files, starterDir(a));
  try {
    return await runCalls(calls, {
      launcher: plainLauncher,
      backend: a.backend,
      studentDir: work.submissionDir,
      modules: studentModules(a),
      publicModule: publicModulePath(a),
      cwd: work.root,
      timeLimits: Object.fromEntries(a.cases.map((c) => [c.id, c.timeLimit])),
      startupCpuSeconds: a.limits.startupCpuSeconds,
      wallFactor: a.limits.wallFactor,
      memoryMiB: a.limits.memoryMiB,
    });
  } finally {
    work.dispose();
  }
}

function score(student: Map<string, CallOutcome>, id: string) {
  const spec = a.cases.find((c) => c.id === id)!;
  return scoreCase(spec, 1, { assignment: a, student, reference, missingFiles: [], submission: 'x', backend: a.backend, intakeProblems: [] });
}

beforeAll(async () => {
  // The same call list as grading uses, so the reference cache is shared with the other grader tests.
  reference = await computeReference(a, all.filter((c) => c.id !== TRAINING_CASE), a.backend, CACHE_DIR);
}, 600_000);

test('the reference estimate is a plausible value of a policy that reaches the goal, over the counted starts', () => {
  const mixed = reference.get('fqe-run-mixed')!.result.outputs;
  expect(mixed.starts.data[0]).toBe(150); // mixed holds 150 episodes (manifest)
  expect(mixed.estimate.data[0]).toBeGreaterThan(0.3); // gamma^15 ~ 0.46 for a ~16-step path
  expect(mixed.estimate.data[0]).toBeLessThan(0.7);
  expect(reference.get('fqe-run-hidden')!.result.outputs.starts.data[0]).toBe(400); // stitch
});

test('a correct submission passes both FQE runs; one without the terminal mask fails them with the hint', async () => {
  const [right, wrong] = await Promise.all([run(path.join(ROOT, 'solutions')), run(buggySubmission('fqe-target-no-mask'))]);
  for (const id of FQE_RUN_CASES) {
    expect(score(right, id)).toMatchObject({ status: 'passed', score: 1 });
    const bad = score(wrong, id);
    expect(bad).toMatchObject({ status: 'failed', score: 0 });
    expect(bad.hint).toContain('(1 - terminal)');
  }
  // The visible case shows the numbers, the hidden one does not.
  expect(score(wrong, 'fqe-run-mixed').details?.[0]).toMatch(/^estimate: expected [\d.]+, got [\d.]+$/);
  expect(score(wrong, 'fqe-run-hidden').details).toBeUndefined();
}, 300_000);
