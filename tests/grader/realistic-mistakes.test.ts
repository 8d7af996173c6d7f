// Realistic submissions (tests/grader/realistic-mistakes.ts), graded in-process against the reference
// and its variants on the inputs of two secrets: each one-mistake submission loses points on its
// question, on the visible cases or the hidden ones of every secret, with the hint that names it;
// each correct but unusual one keeps every point of every question.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { starterDir, studentModules } from '../../grader/assignment/types';
import { loadModules, runCall, type Loaded } from '../../grader/child/execute';
import { prepareWorkDir } from '../../grader/runner/workdir';
import { judgeCase } from '../../grader/scoring/judge';
import { loadReference, ROOT, runCases, SECRETS, type CaseRun } from './diagnostics-support';
import { REWRITES, type Rewrite } from './realistic-mistakes';

const secrets = SECRETS.slice(0, 2);
let runs: CaseRun[];

beforeAll(async () => {
  const reference: Loaded = await loadReference();
  runs = runCases(reference, { secrets, variants: true });
}, 600_000);

/** The submission's modules: solutions/ with the rewrite's edits, loaded from a work folder. */
function load(r: Rewrite): { loaded: Loaded; dispose(): void } {
  let text = fs.readFileSync(path.join(ROOT, 'solutions', r.file), 'utf8');
  for (const [find, replace] of r.edits) {
    expect({ rewrite: r.name, occurrences: text.split(find).length - 1 }).toEqual({ rewrite: r.name, occurrences: 1 });
    text = text.replace(find, () => replace);
  }
  const files = Object.fromEntries(loadAssignment().files.map((f) => [f, path.join(ROOT, 'solutions', f)]));
  const work = prepareWorkDir(files, Object.keys(files), starterDir(loadAssignment()));
  fs.writeFileSync(path.join(work.submissionDir, r.file), text);
  return { loaded: loadModules(work.submissionDir, studentModules(loadAssignment())), dispose: work.dispose };
}

/** Each case's verdict for the submission. */
function grade(r: Rewrite) {
  const { loaded, dispose } = load(r);
  try {
    return runs.map((run) => {
      const student = runCall(loaded, run.call);
      const verdict = student.ok ? judgeCase(run.spec, student, { result: run.reference, variants: run.variants }) : undefined;
      return { run, passed: verdict?.passed ?? false, hint: verdict?.hint, error: student.error?.message };
    });
  } finally {
    dispose();
  }
}

const mistakes = REWRITES.filter((r) => r.kind === 'mistake');
const correct = REWRITES.filter((r) => r.kind === 'correct');

test.each(mistakes.map((r) => [r.name, r] as const))('%s loses points on its question, with its hint', (_name, r) => {
  const mine = grade(r).filter((c) => c.run.spec.question === r.question);
  const failsFor = (secret: string) => mine.some((c) => !c.passed && (c.run.secret === '' || c.run.secret === secret));
  expect(Object.fromEntries(secrets.map((s) => [s, failsFor(s)]))).toEqual(Object.fromEntries(secrets.map((s) => [s, true])));
  const hints = [...new Set(mine.filter((c) => !c.passed).map((c) => c.hint ?? '(no hint)'))];
  expect({ hinted: hints.some((h) => h.includes(r.hint!)), hints }).toEqual({ hinted: true, hints });
});

test.each(correct.map((r) => [r.name, r] as const))('%s keeps every point', (_name, r) => {
  const failed = grade(r).filter((c) => !c.passed).map((c) => `${c.run.spec.id} (${c.run.secret || 'visible'}): ${c.error ?? c.hint ?? 'not within tolerance'}`);
  expect(failed).toEqual([]);
});

test('the corpus covers every kind of rewrite it claims', () => {
  expect(mistakes.length).toBeGreaterThanOrEqual(30);
  expect(correct.length).toBeGreaterThanOrEqual(10);
});
