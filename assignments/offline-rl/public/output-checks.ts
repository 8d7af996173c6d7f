/**
 * Known mistakes recognised from the student's outputs alone, for mistakes no single variant of
 * the reference reproduces exactly. No reference code here: the student handout ships this file.
 */
import type { OutputCheck } from '../../../grader/assignment/public-grading';
import type { PlainTensor } from '../../../grader/child/protocol';

const differ = (a: PlainTensor | undefined, b: PlainTensor | undefined): boolean => !!a && !!b && a.data.some((x, i) => x !== b.data[i]);

export const OUTPUT_CHECKS: OutputCheck[] = [
  // Any target critic that starts different from its critic is this mistake, whatever its values.
  {
    id: 'targets-differ',
    target: 'iql.createIqlAgent',
    hint: 'The target critics must start as exact copies of Q1 and Q2 (clone them).',
    matches: (got) => ['q1', 'q2'].some((k) => differ(got[k], got[`${k}Target`])),
  },
];
