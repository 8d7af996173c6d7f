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
import type { Variant } from '../../../grader/diagnostics/define';

const datasetOf = (spec: CaseSpec): string => String(spec.inputs.dataset);

// The variants run TensorFlow.js: loaded on first use (the trusted reference child, the batch
// summary), so that the grader process builds its cases without loading TensorFlow.js.
let variants: Variant[] | undefined;

export const grading: PrivateGrading = {
  generators: GENERATORS,
  get variants() {
    variants ??= [
      ...(require('./variants') as typeof import('./variants')).FUNCTION_VARIANTS,
      ...(require('./update-variants') as typeof import('./update-variants')).UPDATE_VARIANTS,
    ];
    return variants;
  },
  reports: {
    train: {
      describe: (spec, outputs) => [describeTrainingRun('CQL', datasetOf(spec), outputs)],
      figures: (spec, outputs) => trainingRunFigures('CQL', datasetOf(spec), outputs),
    },
  },
};
