/**
 * The public part of the CQL homework's grading (grader/assignment/plugin.ts): how each student
 * function of cql.ts is called, the end-to-end training run and its trusted re-evaluation, and
 * what the runner child reads. Loaded by the runner child and shipped in the handout: nothing
 * here is secret. The run's code is loaded by the first run that needs it.
 */
import type { PublicGrading, RunSpec, TargetSpec } from '../../../grader/assignment/public-grading';
import { isEvaluationOutput } from '../../../provided/train/graded-run-bounds';
import { CQL_LOSSES, trainingEnvelope } from './envelopes';

const fn = (...args: string[]): TargetSpec => ({ harness: { kind: 'function' }, args });
const train = (): typeof import('./train') => require('./train') as typeof import('./train');

const TARGETS: Record<string, TargetSpec> = {
  'cql.policySamples': fn('policy', 'observations', 'noise'),
  'cql.sampledActionValues': fn('critic', 'observations', 'actions'),
  'cql.cqlRegulariser': fn('sampledQ', 'dataQ'),
  'cql.cqlTarget': fn('rewards', 'terminals', 'nextQ1', 'nextQ2', 'gamma'),
  'cql.cqlCriticLoss': fn('q1', 'q2', 'y', 'q1Sampled', 'q2Sampled', 'alpha'),
  'cql.gaussianLogProb': fn('mean', 'logStd', 'actions'),
  'cql.gaussianEntropy': fn('logStd'),
  'cql.cqlActorLoss': fn('q1Pi', 'q2Pi', 'entropy', 'beta'),
  'cql.warmupActorLoss': fn('logProbs', 'entropy', 'beta'),
  'cql.softUpdate': { harness: { kind: 'mutate', watch: { target: 0, online: 1 } }, args: ['target', 'online', 'rho'] },
  'cql.createCqlAgent': {
    harness: { kind: 'factory', nets: { q1: 'mlp', q2: 'mlp', q1Target: 'mlp', q2Target: 'mlp', policy: 'policy' }, distinct: [['q1Target', 'q1'], ['q2Target', 'q2']] },
    args: ['agentSeed', 'obsDim', 'actDim', 'hidden'],
  },
  // One update with plain SGD at `lr` for both optimizers: f(agent, { critic, policy }, batch, cfg).
  'cql.cqlUpdate': { harness: { kind: 'update', optimizers: ['critic', 'policy'], losses: [...CQL_LOSSES] }, args: ['agent', 'batch', 'cfg', 'lr'] },
  // A whole (short) CQL training run with the student's cql.ts (train.ts).
  'cql.training': { harness: { kind: 'run', run: 'train' }, args: ['run'] },
};

const RUNS: Record<string, RunSpec> = {
  train: {
    run: (modules, args) => train().trainHarness(modules, args),
    envelope: trainingEnvelope,
    // The success rate, the return and the trajectories are measured again from the reported
    // policy by the kit's own roll-out, in a trusted process.
    verify: { run: 'evaluate', from: 'policy:', replaces: isEvaluationOutput },
    metric: 'successRate',
    metricLabel: 'success rate',
    localCheck: 'npm run train -- --algo cql --dataset stitch',
  },
  // Trusted only (the `verify` of train).
  evaluate: { run: (modules, args) => train().evaluateHarness(modules, args) },
};

export const grading: PublicGrading = {
  targets: TARGETS,
  runs: RUNS,
  reads: ['fixtures/datasets', 'assignments/cql/training.yaml'],
  outputChecks: [],
  moduleTitles: { cql: 'CQL' },
};
