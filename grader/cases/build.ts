/**
 * From case specs to runner calls: generate each case's inputs (plain data) from its seed with the
 * assignment's generators and order them as its target's arguments. Also the static checks
 * `rlgrade validate` runs on cases.
 */
import { Rng } from '../../provided/runtime/rng';
import { loadPrivate, loadPublic } from '../assignment/plugin';
import type { Assignment, CaseSpec } from '../assignment/types';
import type { PlainArg, RunnerCall } from '../child/protocol';
import { caseSeed } from './seed';

/** The runner call of one case. Throws with the case id when the spec cannot be built. */
export function buildCall(a: Assignment, spec: CaseSpec, secret: string): RunnerCall {
  const target = loadPublic(a).targets[spec.target];
  const generate = loadPrivate(a).generators[spec.inputs.generator];
  if (!target) throw new Error(`case ${spec.id}: unknown target '${spec.target}'`);
  if (!generate) throw new Error(`case ${spec.id}: unknown generator '${spec.inputs.generator}'`);
  const { generator: _g, seed: _s, ...params } = spec.inputs;
  let values: Record<string, unknown>;
  try {
    values = { ...params, ...generate(params, new Rng(caseSeed(spec, secret))) };
  } catch (err) {
    throw new Error(`case ${spec.id}: ${(err as Error).message}`);
  }
  const args = target.args.map((name) => {
    if (values[name] === undefined) throw new Error(`case ${spec.id}: ${spec.target} needs an argument '${name}' that neither the generator nor the inputs give`);
    return values[name] as PlainArg;
  });
  return { id: spec.id, target: spec.target, harness: target.harness, args };
}

/** A case scored by thresholds on its whole run's metric (a training run), not against the reference. */
export const isThresholdCase = (c: CaseSpec): boolean => c.thresholds !== undefined;
/** A case whose target is a whole run (slow; left out with skipTraining). */
export const isWholeRun = (a: Assignment, c: CaseSpec): boolean => loadPublic(a).targets[c.target]?.harness.kind === 'run';

/** Every case's call, in file order. */
export function buildCalls(a: Assignment, secret: string): RunnerCall[] {
  return a.cases.map((c) => buildCall(a, c, secret));
}

/** Problems of one case's fields that depend on what its target is. */
function targetProblems(a: Assignment, c: CaseSpec): string[] {
  const problems: string[] = [];
  const q = a.questions.find((x) => x.id === c.question);
  const target = loadPublic(a).targets[c.target];
  const run = target?.harness.kind === 'run' ? loadPublic(a).runs[target.harness.run] : undefined;
  // A whole run calls every function of its module, so its question lists none.
  if (q && target && !run && !q.functions.includes(c.target.split('.')[1])) problems.push(`/target: expected one of ${c.question}'s functions (${q.functions.join(', ')}), got '${c.target}'`);
  if (target?.harness.kind === 'run' && !run) problems.push(`/target: its run '${target.harness.run}' is not in the assignment's public runs`);
  if (c.thresholds && !run?.metric) problems.push(": 'thresholds' apply only to a whole run with a metric (such as a training run's success rate)");
  if (c.leaderboard && !c.thresholds) problems.push(": 'leaderboard' applies only to a case scored by thresholds");
  if (c.thresholds && !loadPrivate(a).reports[(target?.harness as { run: string }).run]) problems.push(`: a case scored by thresholds needs its run's report in the private grading (reports.${(target?.harness as { run?: string })?.run})`);
  for (const r of c.requires ?? []) {
    const required = a.questions.find((x) => x.id === r);
    if (!required || required.manual || r === c.question) problems.push(`/requires: '${r}' is not another autograded question`);
  }
  return problems;
}

/**
 * Static problems of the cases: unknown targets or generators, inputs that do not build, a target
 * that is not among its question's functions, thresholds on something that is not a scored run,
 * and questions without a visible and a hidden case.
 */
export function caseProblems(a: Assignment, secret: string): string[] {
  const problems: string[] = [];
  a.cases.forEach((c, i) => {
    try {
      buildCall(a, c, secret);
    } catch (err) {
      problems.push(`${a.file}: /cases/${i}: ${(err as Error).message}`);
    }
    for (const p of targetProblems(a, c)) problems.push(`${a.file}: /cases/${i}${p}`);
  });
  for (const q of a.questions.filter((x) => !x.manual)) {
    const cases = a.cases.filter((c) => c.question === q.id);
    if (!cases.some((c) => c.visibility === 'visible')) problems.push(`${a.file}: question ${q.id} has no visible case`);
    // A run scored by thresholds has no inputs to keep secret, so a question of such cases only needs no hidden case.
    if (!cases.some((c) => c.visibility !== 'visible') && !(cases.length > 0 && cases.every(isThresholdCase))) problems.push(`${a.file}: question ${q.id} has no hidden case`);
  }
  return problems;
}
