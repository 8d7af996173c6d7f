/**
 * The `fqe` run: fitted Q evaluation of one fixed policy with the student's fqe.ts on a
 * bundled dataset, with a small budget. The policy is built with the kit's code only (a tanh-MLP
 * fitted to another dataset's actions by least squares). The child only computes the estimate;
 * the parent compares it with the reference's, within the case's tolerance.
 */
import { DEFAULT_DATASET_DIR, loadNamedDataset } from '../../../provided/data/manifest';
import { Rng } from '../../../provided/runtime/rng';
import { fitRegressionPolicy, runFqe } from '../../../provided/train/fqe';
import type { Impl } from '../../../provided/train/impl';
import type { Modules } from '../../../grader/child/execute';
import type { HarnessOutput } from '../../../grader/child/harnesses';
import type { PlainArg, PlainTensor } from '../../../grader/child/protocol';

/** One FQE run, as the `fqe_run` generator builds it. */
export interface FqeRun {
  /** Bundled dataset FQE trains on and whose episode starts it averages over. */
  dataset: string;
  /** Bundled dataset whose actions the fixed policy is fitted to, for `policySteps` steps from `policySeed`. */
  policyDataset: string;
  policySteps: number;
  policySeed: number;
  /** FQE: steps, minibatch and network initialisation from `seed`. */
  steps: number;
  seed: number;
  gamma: number;
  rho: number;
  lr: number;
  batchSize: number;
  hidden: number[];
}

const scalar = (x: number): PlainTensor => ({ shape: [], data: [x] });

/** Outputs: `estimate` (the student's FQE estimate) and `starts` (how many episode starts their mask marked). */
export function fqeRunHarness(modules: Modules, args: PlainArg[]): HarnessOutput {
  const impl = modules as unknown as Impl;
  const run = args[0] as unknown as FqeRun;
  const data = loadNamedDataset(run.dataset, DEFAULT_DATASET_DIR);
  const policyData = run.policyDataset === run.dataset ? data : loadNamedDataset(run.policyDataset, DEFAULT_DATASET_DIR);
  const policy = fitRegressionPolicy(policyData, run.hidden, run.policySteps, run.lr, run.batchSize, new Rng(run.policySeed));
  try {
    const settings = { steps: run.steps, batchSize: run.batchSize, lr: run.lr, gamma: run.gamma, rho: run.rho, hidden: run.hidden };
    const result = runFqe(impl, data, policy, settings, new Rng(run.seed));
    return { outputs: { estimate: scalar(result.estimate), starts: scalar(result.starts) } };
  } finally {
    policy.dispose();
  }
}
