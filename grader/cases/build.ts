/**
 * From case specs to runner calls: generate each case's inputs (plain data) from its seed and
 * order them as the target's arguments. Also the static checks `rlgrade validate` runs on cases.
 */
import { Rng } from '../../provided/runtime/rng';
import type { Assignment, CaseSpec } from '../assignment/types';
import type { PlainArg, RunnerCall } from '../child/protocol';
import { GENERATORS } from './generators';
import { caseSeed } from './seed';
import { TARGETS } from './targets';

/** The runner call of one case. Throws with the case id when the spec cannot be built. */
export function buildCall(spec: CaseSpec, secret: string): RunnerCall {
  const target = TARGETS[spec.target];
  const generate = GENERATORS[spec.inputs.generator];
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

/** A case whose target runs a whole training run (the `train` harness). */
export const isTrainingCase = (c: CaseSpec): boolean => TARGETS[c.target]?.harness === 'train';
/** A case that runs a whole FQE evaluation (the `fqe` harness): compared with the reference, but slow like training. */
export const isFqeRunCase = (c: CaseSpec): boolean => TARGETS[c.target]?.harness === 'fqe';

/** Every case's call, in file order. */
export function buildCalls(a: Assignment, secret: string): RunnerCall[] {
  return a.cases.map((c) => buildCall(c, secret));
}

/**
 * Static problems of the cases: unknown targets or generators, inputs that do not build, a target
 * that is not among its question's functions, and questions without a visible and a hidden case.
 */
export function caseProblems(a: Assignment, secret: string): string[] {
  const problems: string[] = [];
  a.cases.forEach((c, i) => {
    try {
      buildCall(c, secret);
    } catch (err) {
      problems.push(`${a.file}: /cases/${i}: ${(err as Error).message}`);
    }
    const q = a.questions.find((x) => x.id === c.question);
    const fnName = c.target.split('.')[1];
    // A training case (or FQE run) calls every function of its module, so its question lists none.
    if (q && !isTrainingCase(c) && !isFqeRunCase(c) && !q.functions.includes(fnName)) problems.push(`${a.file}: /cases/${i}/target: expected one of ${c.question}'s functions (${q.functions.join(', ')}), got '${c.target}'`);
    const training = isTrainingCase(c);
    if (training && !c.thresholds) problems.push(`${a.file}: /cases/${i}: a training case needs 'thresholds' (its score comes from the success rate)`);
    if (!training && (c.thresholds || c.leaderboard)) problems.push(`${a.file}: /cases/${i}: 'thresholds' and 'leaderboard' apply only to training cases (target with the train harness)`);
    for (const r of c.requires ?? []) {
      const required = a.questions.find((x) => x.id === r);
      if (!required || required.manual || r === c.question) problems.push(`${a.file}: /cases/${i}/requires: '${r}' is not another autograded question`);
    }
  });
  for (const q of a.questions.filter((x) => !x.manual)) {
    const cases = a.cases.filter((c) => c.question === q.id);
    if (!cases.some((c) => c.visibility === 'visible')) problems.push(`${a.file}: question ${q.id} has no visible case`);
    // A training run has no inputs to keep secret, so a question of training cases only needs no hidden case.
    if (!cases.some((c) => c.visibility !== 'visible') && !(cases.length > 0 && cases.every(isTrainingCase))) problems.push(`${a.file}: question ${q.id} has no hidden case`);
  }
  return problems;
}
