/**
 * What the training run may return (train.ts), as the grader checks it before any use
 * (grader/runner/messages.ts): the learning curve has one row per evaluation (every `evalEvery`
 * steps and the last step), each loss one point per LOSS_EVERY steps, at most MAX_TRAJECTORIES
 * final trajectories, and the policy's parameters.
 */
import type { Envelope } from '../../../grader/assignment/public-grading';
import type { PlainArg } from '../../../grader/child/protocol';

/** The budget of one training run, as the `training` generator builds it. */
export interface TrainRun {
  steps: number;
  evalEpisodes: number;
  evalEvery: number;
  curveEpisodes: number;
  seed: number;
}

/** At most this many final trajectories travel back to the parent. */
export const MAX_TRAJECTORIES = 10;
/** The losses an IQL update returns (docs/contract.md §5); only these are drawn. */
export const TRAIN_LOSSES = ['valueLoss', 'policyLoss', 'criticLoss'] as const;
/** Steps per point of the loss curves (each point the mean over its window). */
export const LOSS_EVERY = 50;
/** Most layers a reported policy may have (weights and biases of each, then log sigma). */
const MAX_POLICY_TENSORS = 33;
/** Most values of one policy tensor (a 1024 x 1024 layer). */
const MAX_POLICY_ELEMENTS = 1 << 20;
/** Most points of one reported trajectory (x, y per step; the trusted evaluation replaces them). */
const MAX_TRAJECTORY_ELEMENTS = 2 * 10_001;

/** The outputs of the final evaluation: the ones the trusted `evaluate` run measures again. */
export const EVALUATION_OUTPUT = (name: string): boolean => ['successRate', 'meanReturn', 'trajectorySuccess'].includes(name) || name.startsWith('trajectory:');

const numbered = (name: string, prefix: string, count: number): boolean =>
  name.startsWith(prefix) && /^\d{1,2}$/.test(name.slice(prefix.length)) && Number(name.slice(prefix.length)) < count;

export function trainingEnvelope(args: PlainArg[]): Envelope {
  const run = args[0] as unknown as TrainRun;
  const rows = Math.floor(run.steps / Math.max(1, run.evalEvery)) + 1;
  const lossPoints = Math.ceil(run.steps / LOSS_EVERY) + 1;
  const fixed: Record<string, number> = { successRate: 1, meanReturn: 1, trajectorySuccess: MAX_TRAJECTORIES, curve: 2 * rows, lossSteps: lossPoints };
  for (const loss of TRAIN_LOSSES) fixed[`loss:${loss}`] = lossPoints;
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
