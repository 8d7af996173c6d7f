/**
 * The private part of the offline-RL homework's grading (grader/assignment/plugin.ts): the case
 * generators (hidden inputs come from them and the course secret), the known mistakes (variants
 * of the reference, each with its hint) and the report of the end-to-end training run. Loaded by
 * the trusted side only; this folder is not readable by student code.
 */
import type { PrivateGrading } from '../../../grader/assignment/plugin';
import { GENERATORS } from './generators';
import { REPORTS } from './reports';
import { VARIANTS } from './variants';

export const grading: PrivateGrading = {
  generators: GENERATORS,
  variants: VARIANTS,
  reports: REPORTS,
};
