/**
 * How the grader calls each student function of this homework: its harness (grader/child/
 * protocol.ts, HarnessSpec) and the names of its arguments, looked up in order in the generated
 * inputs and the case's parameters.
 */
import type { TargetSpec } from '../../../grader/assignment/public-grading';

const fn = (...args: string[]): TargetSpec => ({ harness: { kind: 'function' }, args });
const flags = ['rewards', 'terminals', 'timeouts'];
/** An update step: f(agent, optimizers, batch, cfg), plain SGD at `lr`. */
const update = (optimizers: string[] | 'one', losses: string[]): TargetSpec => ({ harness: { kind: 'update', optimizers, losses }, args: ['agent', 'batch', 'cfg', 'lr'] });
const run = (name: string): TargetSpec => ({ harness: { kind: 'run', run: name }, args: ['run'] });

export const TARGETS: Record<string, TargetSpec> = {
  'returns.discountedReturnToGo': fn(...flags, 'gamma'),
  'returns.undiscountedReturnToGo': fn(...flags),
  'returns.episodeReturns': fn(...flags),
  'policy.gaussianLogProb': fn('mean', 'logStd', 'actions'),
  'policy.policyLogProb': fn('policy', 'observations', 'actions'),
  'policy.bcLoss': fn('logProbs'),
  'filtered_bc.keptEpisodeCount': { harness: { kind: 'number' }, args: ['episodes', 'percent'] },
  'filtered_bc.topEpisodeMask': fn('returns', 'percent'),
  'filtered_bc.rowMaskFromEpisodes': fn('episodeMask', 'terminals', 'timeouts'),
  'iql.expectileLoss': fn('u', 'tau'),
  'iql.iqlValueLoss': fn('targetQ', 'values', 'tau'),
  'iql.minTargetQ': fn('q1', 'q2'),
  'iql.criticTarget': fn('rewards', 'terminals', 'nextValues', 'gamma'),
  'iql.criticLoss': fn('q1', 'q2', 'y'),
  'iql.iqlAdvantageWeights': fn('targetQ', 'values', 'alpha', 'wMax'),
  'iql.softUpdate': { harness: { kind: 'mutate', watch: { target: 0, online: 1 } }, args: ['target', 'online', 'rho'] },
  'iql.createIqlAgent': {
    harness: { kind: 'factory', nets: { q1: 'mlp', q2: 'mlp', q1Target: 'mlp', q2Target: 'mlp', value: 'mlp', policy: 'policy' }, distinct: [['q1Target', 'q1'], ['q2Target', 'q2']] },
    args: ['agentSeed', 'obsDim', 'actDim', 'hidden'],
  },
  'iql.iqlUpdate': update(['critic', 'value', 'policy'], ['valueLoss', 'policyLoss', 'criticLoss']),
  // A whole (short) IQL training run with every student function (runs.ts).
  'iql.training': run('train'),
  'awr.monteCarloValueLoss': fn('returns', 'values'),
  'awr.advantageWeights': fn('advantages', 'alpha', 'wMax'),
  'awr.weightedBcLoss': fn('weights', 'logProbs'),
  'awr.awrUpdate': update(['value', 'policy'], ['valueLoss', 'policyLoss']),
  'rcbc.conditionedInput': fn('observations', 'returnsToGo', 'scale'),
  'rcbc.rcbcLoss': fn('policy', 'observations', 'returnsToGo', 'actions', 'scale'),
  'rcbc.nextReturnToGo': fn('returnsToGo', 'rewards'),
  'rcbc.maskedMean': fn('losses', 'mask'),
  'fqe.policyActionValues': fn('critic', 'policy', 'observations'),
  'fqe.fqeTarget': fn('rewards', 'terminals', 'nextQ', 'gamma'),
  'fqe.fqeLoss': fn('q', 'y'),
  'fqe.fqeUpdate': update('one', ['loss']),
  'fqe.episodeStartMask': fn('terminals', 'timeouts'),
  'fqe.fqeEstimate': fn('critic', 'policy', 'observations', 'startMask'),
  'fqe.meanPolicyQ': fn('q1', 'q2', 'policy', 'observations'),
  // A whole (short) FQE run of a fixed policy with every student FQE function (fqe-run.ts).
  'fqe.evaluation': run('fqe'),
  'extra.sarsaTarget': fn('rewards', 'terminals', 'nextQ', 'gamma'),
  'extra.awacTarget': fn('rewards', 'terminals', 'nextQ1', 'nextQ2', 'gamma'),
  'extra.awacAdvantage': fn('q1Data', 'q2Data', 'q1Pi', 'q2Pi'),
};
