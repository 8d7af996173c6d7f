/**
 * The private part of the CQL homework's grading (grader/assignment/plugin.ts): the case
 * generators (hidden inputs come from them and the course secret), the known mistakes (variants
 * of the reference, each with its hint) and the report of the end-to-end training run. Loaded by
 * the trusted side only; this folder is not readable by student code.
 */
import type { PrivateGrading } from '../../../grader/assignment/plugin';
import type { CaseSpec } from '../../../grader/assignment/types';
import { describeTrainingRun, trainingRunFigures } from '../../../provided/plots/run-figures';
import { GENERATORS } from './generators';
import { UPDATE_VARIANTS } from './update-variants';
import { FUNCTION_VARIANTS } from './variants';

const datasetOf = (spec: CaseSpec): string => String(spec.inputs.dataset);

export const grading: PrivateGrading = {
  generators: GENERATORS,
  variants: [...FUNCTION_VARIANTS, ...UPDATE_VARIANTS],
  reports: {
    train: {
      describe: (spec, outputs) => [describeTrainingRun('CQL', datasetOf(spec), outputs)],
      figures: (spec, outputs) => trainingRunFigures('CQL', datasetOf(spec), outputs),
    },
  },
};
