/**
 * What a student sees of the end-to-end IQL training run (the `train` run): one sentence on the
 * success rate its policy reached (measured again by the trusted `evaluate` run), and for the
 * visible case the final trajectories in the maze and the learning curve
 * (provided/plots/run-figures.ts).
 */
import type { RunReport } from '../../../grader/assignment/plugin';
import type { CaseSpec } from '../../../grader/assignment/types';
import { describeTrainingRun, trainingRunFigures } from '../../../provided/plots/run-figures';

const datasetOf = (spec: CaseSpec): string => String(spec.inputs.dataset);

export const REPORTS: Record<string, RunReport> = {
  train: {
    describe: (spec, outputs) => [describeTrainingRun('IQL', datasetOf(spec), outputs)],
    figures: (spec, outputs) => trainingRunFigures('IQL', datasetOf(spec), outputs),
  },
};
