/**
 * The private part of the offline-RL homework's grading (grader/assignment/plugin.ts): the case
 * generators (hidden inputs come from them and the course secret), the known mistakes (variants
 * of the reference, each with its hint) and the report of the end-to-end training run. Loaded by
 * the trusted side only; this folder is not readable by student code.
 */
import type { PrivateGrading } from '../../../grader/assignment/plugin';
import { GENERATORS } from './generators';
import { REPORTS } from './reports';
import type { Variant } from '../../../grader/diagnostics/define';

// The variants run TensorFlow.js: loaded on first use (the trusted reference child, the batch
// summary), so that the grader process builds its cases without loading TensorFlow.js.
let variants: Variant[] | undefined;

export const grading: PrivateGrading = {
  generators: GENERATORS,
  get variants() {
    return (variants ??= (require('./variants') as typeof import('./variants')).VARIANTS);
  },
  reports: REPORTS,
};
