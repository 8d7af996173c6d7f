/**
 * Trusted evaluation of training cases. The student's process trains and reports its final
 * policy's parameters; but it could report any success rate (forged channel messages, a patched
 * maze), so the numbers that earn points (success rate, mean return, the final trajectories) are
 * measured again here, from those parameters, by the kit's own roll-out in a trusted plain child,
 * as the reference runs. The learning curve and the losses stay as the student's run reported them
 * (they are only shown).
 */
import * as path from 'node:path';
import { LOSS_EVERY, MAX_TRAJECTORIES, TRAIN_LOSSES, type TrainRun } from '../child/train';
import type { PlainTensor, RunnerCall, RunnerRequest } from '../child/protocol';
import { plainLauncher } from './launch';
import type { Envelope } from './messages';
import { runCalls, type CallOutcome } from './run-calls';
import { KIT_ROOT } from './workdir';

/** Most layers a reported policy may have (weights and biases of each, then log sigma). */
const MAX_POLICY_TENSORS = 33;
/** Most values of one policy tensor (a 1024 x 1024 layer). */
const MAX_POLICY_ELEMENTS = 1 << 20;
/** Most points of one reported trajectory (x, y per step; the trusted evaluation replaces them). */
const MAX_TRAJECTORY_ELEMENTS = 2 * 10_001;

/**
 * What a training run may return (grader/child/train.ts): the learning curve has one row per
 * evaluation (every `evalEvery` steps and the last step), each loss one point per LOSS_EVERY steps.
 */
export function trainingEnvelope(call: RunnerCall): Envelope {
  const run = call.args[0] as unknown as TrainRun;
  const rows = Math.floor(run.steps / Math.max(1, run.evalEvery)) + 1;
  const lossPoints = Math.ceil(run.steps / LOSS_EVERY) + 1;
  const fixed: Record<string, number> = { successRate: 1, meanReturn: 1, trajectorySuccess: MAX_TRAJECTORIES, curve: 2 * rows, lossSteps: lossPoints };
  for (const loss of TRAIN_LOSSES) fixed[`loss:${loss}`] = lossPoints;
  const numbered = (name: string, prefix: string, count: number): boolean => name.startsWith(prefix) && /^\d{1,2}$/.test(name.slice(prefix.length)) && Number(name.slice(prefix.length)) < count;
  return {
    elements: (name) => {
      if (Object.hasOwn(fixed, name)) return fixed[name];
      if (numbered(name, 'policy:', MAX_POLICY_TENSORS)) return MAX_POLICY_ELEMENTS;
      if (numbered(name, 'trajectory:', MAX_TRAJECTORIES)) return MAX_TRAJECTORY_ELEMENTS;
      return undefined;
    },
    maxOutputs: Object.keys(fixed).length + MAX_POLICY_TENSORS + MAX_TRAJECTORIES,
    network: () => false,
    maxElements: MAX_POLICY_ELEMENTS,
  };
}

/** Whether an output name belongs to the final evaluation (train.ts, evaluationOutputs). */
const isEvaluationOutput = (name: string): boolean => ['successRate', 'meanReturn', 'trajectorySuccess'].includes(name) || name.startsWith('trajectory:');

/** The reported policy parameters of a training result, in order. */
function policyOf(outputs: Record<string, PlainTensor>): PlainTensor[] {
  const out: PlainTensor[] = [];
  for (let i = 0; outputs[`policy:${i}`]; i++) out.push(outputs[`policy:${i}`]);
  return out;
}

/**
 * Replaces the evaluation outputs of every successful training result in `student` (the calls of
 * harness 'train') with a trusted evaluation of the policy it reported; a result whose policy
 * cannot be evaluated fails with the reason.
 */
export async function evaluateTraining(student: Map<string, CallOutcome>, calls: RunnerCall[], backend: RunnerRequest['backend']): Promise<void> {
  const trained = calls.filter((c) => c.harness === 'train' && student.get(c.id)?.result.ok);
  if (trained.length === 0) return;
  const evaluations: RunnerCall[] = trained.map((c) => ({ ...c, harness: 'evaluate', args: [c.args[0], ...policyOf(student.get(c.id)!.result.outputs)] }));
  const trusted = await runCalls(evaluations, {
    launcher: plainLauncher,
    backend,
    studentDir: path.join(KIT_ROOT, 'solutions'),
    cwd: KIT_ROOT,
    timeLimits: {},
    startupCpuSeconds: 60,
    wallFactor: 3,
    memoryMiB: 2048,
  });
  for (const c of trained) {
    const outcome = student.get(c.id)!;
    const evaluation = trusted.get(c.id)?.result;
    if (!evaluation?.ok) {
      const reason = (evaluation?.error?.message ?? 'it was not evaluated').replace(/^Error: /, '');
      outcome.result = { ...outcome.result, ok: false, outputs: {}, error: { kind: 'bad-return', message: `the trained policy could not be evaluated: ${reason}` } };
      continue;
    }
    const kept = Object.entries(outcome.result.outputs).filter(([name]) => !isEvaluationOutput(name) && !name.startsWith('policy:'));
    outcome.result = { ...outcome.result, outputs: { ...Object.fromEntries(kept), ...evaluation.outputs } };
  }
}
