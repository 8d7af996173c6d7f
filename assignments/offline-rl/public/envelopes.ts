/**
 * What the training run may return (train.ts), as the grader checks it before any use
 * (grader/runner/messages.ts): the bounds of provided/train/graded-run-bounds.ts for IQL's losses.
 */
import type { Envelope } from '../../../grader/assignment/public-grading';
import type { PlainArg } from '../../../grader/child/protocol';
import { gradedRunBounds, type GradedRun } from '../../../provided/train/graded-run-bounds';

/** The losses an IQL update returns (docs/contract.md §5); only these are drawn. */
export const IQL_LOSSES = ['valueLoss', 'policyLoss', 'criticLoss'];

export const trainingEnvelope = (args: PlainArg[]): Envelope => ({ ...gradedRunBounds(args[0] as unknown as GradedRun, IQL_LOSSES), network: () => false });
