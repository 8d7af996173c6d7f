/**
 * The `train` run: CQL trained end to end with the student's cql.ts on a bundled dataset
 * (provided/train/graded-run.ts), and the `evaluate` run, its trusted re-evaluation of the
 * reported policy. The budget and the dataset come from the case (the `training` generator).
 */
import type { Modules } from '../../../grader/child/execute';
import type { HarnessOutput } from '../../../grader/child/harnesses';
import type { PlainArg } from '../../../grader/child/protocol';
import { gradedEvaluation, gradedTraining, type GradedRun, type PlainValues } from '../../../provided/train/graded-run';
import type { Impl } from '../../../provided/train/impl';
import { CQL_LOSSES } from './envelopes';

export function trainHarness(modules: Modules, args: PlainArg[]): HarnessOutput {
  return { outputs: gradedTraining('cql', modules as unknown as Impl, args[0] as unknown as GradedRun, CQL_LOSSES) };
}

/** Trusted processes only: args [run, policy:0, policy:1, ...]. */
export function evaluateHarness(_modules: Modules, args: PlainArg[]): HarnessOutput {
  return { outputs: gradedEvaluation(args[0] as unknown as GradedRun, args.slice(1) as PlainValues[]) };
}
