/**
 * Every known mistake (docs/contract.md §8 and the mistakes students really make), each a patched
 * version of one reference function with the one-sentence hint a student sees when their outputs
 * match it (define.ts). The reference process runs each variant on the inputs of every case of its
 * target; tests/grader/diagnostics.test.ts checks, for each one declared here, that it gives other
 * numbers than the reference and that its hint can be given. Mistakes recognised from the student's
 * outputs alone, with no reference code, are in output-checks.ts.
 */
import { CRITIC_VARIANTS } from './critic-variants';
import { DATA_VARIANTS } from './data-variants';
import type { Variant } from '../../../grader/diagnostics/define';
import { FQE_VARIANTS } from './fqe-variants';
import { POLICY_VARIANTS } from './policy-variants';
import { UPDATE_VARIANTS } from './update-variants';

export type { Variant } from '../../../grader/diagnostics/define';

export const VARIANTS: Variant[] = [...DATA_VARIANTS, ...POLICY_VARIANTS, ...CRITIC_VARIANTS, ...UPDATE_VARIANTS, ...FQE_VARIANTS];
