/**
 * The public part of the offline-RL homework's grading (grader/assignment/plugin.ts): how each
 * student function is called, the two whole runs (a short IQL training on `stitch`, a short FQE
 * run) and the trusted re-evaluation of a trained policy, what the runner child reads, and the
 * mistakes recognised from outputs alone. Loaded by the runner child and shipped in the handout:
 * nothing here is secret. The heavy run code is loaded by the first run that needs it.
 */
import type { PublicGrading, RunSpec } from '../../../grader/assignment/public-grading';
import type { Modules } from '../../../grader/child/execute';
import type { PlainArg } from '../../../grader/child/protocol';
import { OUTPUT_CHECKS } from './output-checks';
import { isEvaluationOutput } from '../../../provided/train/graded-run-bounds';
import { trainingEnvelope } from './envelopes';
import { TARGETS } from './targets';

const train = (): typeof import('./train') => require('./train') as typeof import('./train');
const fqe = (): typeof import('./fqe-run') => require('./fqe-run') as typeof import('./fqe-run');

const RUNS: Record<string, RunSpec> = {
  train: {
    run: (modules: Modules, args: PlainArg[]) => train().trainHarness(modules, args),
    envelope: trainingEnvelope,
    // The success rate, the return and the trajectories are measured again from the reported
    // policy by the kit's own roll-out, in a trusted process.
    verify: { run: 'evaluate', from: 'policy:', replaces: isEvaluationOutput },
    metric: 'successRate',
    metricLabel: 'success rate',
    localCheck: 'npm run train -- --algo iql --dataset stitch',
  },
  // Trusted only (the `verify` of train).
  evaluate: { run: (modules, args) => train().evaluateHarness(modules, args) },
  // Compared with the reference, whose outputs bound what it may return.
  fqe: { run: (modules, args) => fqe().fqeRunHarness(modules, args) },
};

export const grading: PublicGrading = {
  targets: TARGETS,
  runs: RUNS,
  reads: ['fixtures/datasets', 'assignments/offline-rl/training.yaml'],
  outputChecks: OUTPUT_CHECKS,
  moduleTitles: { returns: 'Returns', policy: 'Policy', filtered_bc: 'Filtered BC', iql: 'IQL', awr: 'AWR', rcbc: 'RCBC', extra: 'Extra credit', fqe: 'FQE' },
};
