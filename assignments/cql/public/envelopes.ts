/**
 * What the CQL training run may return (train.ts), as the grader checks it before any use
 * (grader/runner/messages.ts): the bounds of provided/train/graded-run-bounds.ts for CQL's losses.
 */
import type { Envelope } from '../../../grader/assignment/public-grading';
import type { PlainArg } from '../../../grader/child/protocol';
import { gradedRunBounds, type GradedRun } from '../../../provided/train/graded-run-bounds';

/** The losses a CQL update returns (docs/contract.md §9 step 6). */
export const CQL_LOSSES = ['criticLoss', 'policyLoss'] as const;

export const trainingEnvelope = (args: PlainArg[]): Envelope => ({ ...gradedRunBounds(args[0] as unknown as GradedRun, CQL_LOSSES), network: () => false });
