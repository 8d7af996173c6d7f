// What a graded training run (graded-run.ts) takes and may return, without its heavy code: the
// grader's parent reads these bounds before it lets any output of the student's process in.

/** A tensor as plain numbers (the grader's message format). */
export interface PlainValues {
  shape: number[];
  data: number[];
}

/** The budget of one graded training run (a case's `training` inputs). */
export interface GradedRun {
  /** A bundled dataset (fixtures/datasets/manifest.json). */
  dataset: string;
  steps: number;
  evalEpisodes: number;
  evalEvery: number;
  curveEpisodes: number;
  seed: number;
}

/** At most this many final trajectories travel back to the parent. */
export const MAX_TRAJECTORIES = 10;
/** Steps per point of the loss curves (each point the mean over its window). */
export const LOSS_EVERY = 50;

/** The names of the outputs of the final evaluation. */
export const isEvaluationOutput = (name: string): boolean => ['successRate', 'meanReturn', 'trajectorySuccess'].includes(name) || name.startsWith('trajectory:');

/** Most layers a reported policy may have (weights and biases of each, then log sigma). */
const MAX_POLICY_TENSORS = 33;
/** Most values of one policy tensor (a 1024 x 1024 layer). */
const MAX_POLICY_ELEMENTS = 1 << 20;
/** Most points of one reported trajectory (x, y per step; the trusted evaluation replaces them). */
const MAX_TRAJECTORY_ELEMENTS = 2 * 10_001;

const numbered = (name: string, prefix: string, count: number): boolean =>
  name.startsWith(prefix) && /^\d{1,2}$/.test(name.slice(prefix.length)) && Number(name.slice(prefix.length)) < count;

/**
 * What a graded training run may return, as the grader checks it before any use: the learning
 * curve has one row per evaluation (every `evalEvery` steps and the last step), each loss one
 * point per LOSS_EVERY steps, at most MAX_TRAJECTORIES final trajectories, and the policy's
 * parameters. `elements(name)` is the most values an output may have (undefined: not allowed).
 */
export function gradedRunBounds(run: GradedRun, losses: readonly string[]) {
  const rows = Math.floor(run.steps / Math.max(1, run.evalEvery)) + 1;
  const lossPoints = Math.ceil(run.steps / LOSS_EVERY) + 1;
  const fixed: Record<string, number> = { successRate: 1, meanReturn: 1, trajectorySuccess: MAX_TRAJECTORIES, curve: 2 * rows, lossSteps: lossPoints };
  for (const loss of losses) fixed[`loss:${loss}`] = lossPoints;
  return {
    elements: (name: string): number | undefined => {
      if (Object.hasOwn(fixed, name)) return fixed[name];
      if (numbered(name, 'policy:', MAX_POLICY_TENSORS)) return MAX_POLICY_ELEMENTS;
      if (numbered(name, 'trajectory:', MAX_TRAJECTORIES)) return MAX_TRAJECTORY_ELEMENTS;
      return undefined;
    },
    maxOutputs: Object.keys(fixed).length + MAX_POLICY_TENSORS + MAX_TRAJECTORIES,
    maxElements: MAX_POLICY_ELEMENTS,
  };
}
