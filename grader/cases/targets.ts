/**
 * What the grader can call: for each student function, the harness that calls it and the names
 * of its arguments (looked up in the generated inputs and the case's parameters, in order).
 */
import type { HarnessName } from '../child/protocol';

export interface TargetSpec {
  harness: HarnessName;
  args: string[];
}

const fn = (...args: string[]): TargetSpec => ({ harness: 'function', args });
const flags = ['rewards', 'terminals', 'timeouts'];

export const TARGETS: Record<string, TargetSpec> = {
  'returns.discountedReturnToGo': fn(...flags, 'gamma'),
  'returns.undiscountedReturnToGo': fn(...flags),
  'returns.episodeReturns': fn(...flags),
  'policy.gaussianLogProb': fn('mean', 'logStd', 'actions'),
  'policy.policyLogProb': fn('policy', 'observations', 'actions'),
  'policy.bcLoss': fn('logProbs'),
  'filtered_bc.keptEpisodeCount': { harness: 'number', args: ['episodes', 'percent'] },
  'filtered_bc.topEpisodeMask': fn('returns', 'percent'),
  'filtered_bc.rowMaskFromEpisodes': fn('episodeMask', 'terminals', 'timeouts'),
  'iql.expectileLoss': fn('u', 'tau'),
  'iql.iqlValueLoss': fn('targetQ', 'values', 'tau'),
  'iql.minTargetQ': fn('q1', 'q2'),
  'iql.criticTarget': fn('rewards', 'terminals', 'nextValues', 'gamma'),
  'iql.criticLoss': fn('q1', 'q2', 'y'),
  'iql.iqlAdvantageWeights': fn('targetQ', 'values', 'alpha', 'wMax'),
  'iql.softUpdate': { harness: 'softUpdate', args: ['target', 'online', 'rho'] },
  'iql.createIqlAgent': { harness: 'createIqlAgent', args: ['agentSeed', 'obsDim', 'actDim', 'hidden'] },
  'iql.iqlUpdate': { harness: 'iqlUpdate', args: ['agent', 'batch', 'cfg', 'lr'] },
  // A whole (short) IQL training run with every student function: see runTraining in harnesses.ts.
  'iql.training': { harness: 'train', args: ['run'] },
  'awr.monteCarloValueLoss': fn('returns', 'values'),
  'awr.advantageWeights': fn('advantages', 'alpha', 'wMax'),
  'awr.weightedBcLoss': fn('weights', 'logProbs'),
  'awr.awrUpdate': { harness: 'awrUpdate', args: ['agent', 'batch', 'cfg', 'lr'] },
  'rcbc.conditionedInput': fn('observations', 'returnsToGo', 'scale'),
  'rcbc.rcbcLoss': fn('policy', 'observations', 'returnsToGo', 'actions', 'scale'),
  'rcbc.nextReturnToGo': fn('returnsToGo', 'rewards'),
  'rcbc.maskedMean': fn('losses', 'mask'),
  'fqe.policyActionValues': fn('critic', 'policy', 'observations'),
  'fqe.fqeTarget': fn('rewards', 'terminals', 'nextQ', 'gamma'),
  'fqe.fqeLoss': fn('q', 'y'),
  'fqe.fqeUpdate': { harness: 'fqeUpdate', args: ['agent', 'batch', 'cfg', 'lr'] },
  'fqe.episodeStartMask': fn('terminals', 'timeouts'),
  'fqe.fqeEstimate': fn('critic', 'policy', 'observations', 'startMask'),
  'fqe.meanPolicyQ': fn('q1', 'q2', 'policy', 'observations'),
  // A whole (short) FQE run of a fixed policy with every student FQE function: see fqe-run.ts.
  'fqe.evaluation': { harness: 'fqe', args: ['run'] },
  'extra.sarsaTarget': fn('rewards', 'terminals', 'nextQ', 'gamma'),
  'extra.awacTarget': fn('rewards', 'terminals', 'nextQ1', 'nextQ2', 'gamma'),
  'extra.awacAdvantage': fn('q1Data', 'q2Data', 'q1Pi', 'q2Pi'),
};

export { splitTarget } from '../child/protocol';
