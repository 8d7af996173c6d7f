// The handout's tests/public-cases.json from the assignment and the reference's results: for
// each visible case its call (inputs), the reference's outputs and the known mistakes' outputs
// with their hints. Hidden cases contribute nothing but their share of the points.
import * as path from 'node:path';
import { loadPublic, publicModulePath } from '../../grader/assignment/plugin';
import { KIT_ROOT } from '../../grader/runner/workdir';
import type { Assignment, CaseSpec, Question } from '../../grader/assignment/types';
import { isThresholdCase } from '../../grader/cases/build';
import { splitTarget, type RunnerCall } from '../../grader/child/protocol';
import type { CallOutcome } from '../../grader/runner/run-calls';
import type { FileStake, PublicCase, PublicData, PublicQuestion } from '../../handout/public-cases';

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A question answered in words: marked manual, or without any case. */
export const isWritten = (q: Question, cases: CaseSpec[]): boolean => q.manual || cases.length === 0;

/** The run a case scored by thresholds runs (its target's), as the assignment's public grading declares it. */
function runOf(a: Assignment, spec: CaseSpec) {
  const harness = loadPublic(a).targets[spec.target]?.harness;
  return harness?.kind === 'run' ? loadPublic(a).runs[harness.run] : undefined;
}

function runNote(a: Assignment, cases: CaseSpec[]): string {
  const label = runOf(a, cases[0])?.metricLabel ?? 'result';
  const steps = cases.flatMap((c) => (c.thresholds ?? []).map((t) => `${label} >= ${t.success}: ${Math.round(t.fraction * 100)}%`));
  return `graded by the ${label} of a whole run with your functions (${steps.join(', ')} of the points)`;
}

function publicCase(a: Assignment, spec: CaseSpec, maxScore: number, call: RunnerCall, reference: CallOutcome | undefined): PublicCase {
  if (!reference || !reference.result.ok) throw new Error(`case ${spec.id}: the reference has no result for this visible case`);
  return {
    id: spec.id,
    name: spec.name,
    call,
    argNames: loadPublic(a).targets[spec.target]?.args ?? [],
    tolerance: spec.tolerance,
    partial: spec.partial,
    maxScore: round(maxScore),
    timeLimit: spec.timeLimit,
    reference: { result: reference.result, ...(reference.variants ? { variants: reference.variants } : {}) },
    ...(call.harness.kind === 'run' ? { wholeRun: true } : {}),
  };
}

/** "Q2.1–Q2.10" for a run of consecutive questions (in the assignment's order), else "Q6.1, Q6.3". */
export function questionSpan(ids: string[], order: string[]): string {
  const runs: string[][] = [];
  for (const id of [...ids].sort((a, b) => order.indexOf(a) - order.indexOf(b))) {
    const last = runs[runs.length - 1];
    if (last && order.indexOf(id) === order.indexOf(last[last.length - 1]) + 1) last.push(id);
    else runs.push([id]);
  }
  return runs.map((r) => (r.length >= 3 ? `${r[0]}–${r[r.length - 1]}` : r.join(', '))).join(', ');
}

/** For each submission file, the questions that score 0 while it does not load: those any case of which calls it. */
function fileStakes(a: Assignment): Record<string, FileStake> {
  const order = a.questions.map((q) => q.id);
  const out: Record<string, FileStake> = {};
  for (const file of a.files) {
    const module = file.replace(/\.ts$/, '');
    const questions = a.questions.filter((q) => a.cases.some((c) => c.question === q.id && splitTarget(c.target)[0] === module));
    if (questions.length === 0) continue;
    const points = round(questions.reduce((s, q) => s + q.points, 0));
    const extra = round(questions.filter((q) => q.extraCredit).reduce((s, q) => s + q.points, 0));
    const credit = extra === 0 ? '' : extra === points ? ', extra credit' : `, ${extra} of them extra credit`;
    out[file] = { questions: questions.map((q) => q.id), points, summary: `${questionSpan(questions.map((q) => q.id), order)} (${points} points${credit})` };
  }
  return out;
}

/**
 * @param calls every case's call by id (only visible ones are read)
 * @param reference the reference's outcome by case id (only visible ones are read)
 */
export function buildPublicData(a: Assignment, calls: ReadonlyMap<string, RunnerCall>, reference: ReadonlyMap<string, CallOutcome>): PublicData {
  const questions = a.questions.map((q): PublicQuestion => {
    const specs = a.cases.filter((c) => c.question === q.id);
    const base = { id: q.id, title: q.title, points: q.points, extraCredit: q.extraCredit, functions: q.functions };
    if (isWritten(q, specs)) return { ...base, kind: 'written', publicPoints: 0, cases: [], ...(q.prompt ? { note: q.prompt } : {}) };
    if (specs.every(isThresholdCase)) {
      const check = runOf(a, specs[0])?.localCheck;
      return { ...base, kind: 'training', publicPoints: 0, cases: [], note: runNote(a, specs), ...(check ? { check } : {}) };
    }
    const weights = specs.reduce((s, c) => s + c.weight, 0);
    const cases = specs
      .filter((c) => c.visibility === 'visible' && !isThresholdCase(c))
      .map((c) => publicCase(a, c, (q.points * c.weight) / weights, calls.get(c.id)!, reference.get(c.id)));
    return { ...base, kind: 'cases', publicPoints: round(cases.reduce((s, c) => s + c.maxScore, 0)), cases };
  });
  return {
    title: a.title,
    backend: a.backend,
    submission: [...a.files],
    limits: { startupSeconds: a.limits.startupCpuSeconds, memoryMiB: a.limits.memoryMiB },
    stakes: fileStakes(a),
    publicModule: path.relative(KIT_ROOT, publicModulePath(a)),
    questions,
  };
}
