// One trainer per algorithm: it wires the student's functions into a training loop.
// A trainer owns its networks and optimizers; `step()` runs one update and returns its losses,
// `act()` is the deterministic evaluation policy a = mu(s) on a batch of observations.
import * as tf from '@tensorflow/tfjs';
import { Dataset, datasetSize } from '../data/dataset';
import { GaussianPolicy } from '../nets/gaussian';
import { Mlp } from '../nets/mlp';
import { Rng } from '../runtime/rng';
import { PolicyContext } from '../maze/rollout';
import { BatchSampler, batchFromRows, disposeBatch, gatherRows } from './batch';
import { Impl, IqlAgent } from './impl';
import { TrainConfig } from './config';
import { FusedAdam } from './adam';
import { cqlTrainer } from './cql';

/** The offline-RL homework's algorithms (its student files: STUDENT_MODULES in impl.ts). */
export const ALGORITHMS = ['bc', 'filtered-bc', 'awr', 'iql', 'rcbc'] as const;
/** Every algorithm the loop trains: also the CQL homework's (its student file cql.ts, its trainer in cql.ts here). */
export const ALL_ALGORITHMS = [...ALGORITHMS, 'cql'] as const;
export type AlgoName = (typeof ALL_ALGORITHMS)[number];

export interface Trainer {
  /** One update; returns the losses by name. */
  step(): Record<string, number>;
  /** Deterministic actions for n observations (row-major [n, ds]) -> [n, da]; the roll-out
   * context carries each episode's reward so far (return-conditioned policies need it). */
  act(observations: Float32Array, n: number, ctx: PolicyContext): Float32Array;
  /** The trained networks, for offline evaluation (IQL: its policy and online critics); valid until dispose(). */
  nets?: { policy: GaussianPolicy; critics?: [Mlp, Mlp] };
  dispose(): void;
}

/** tf.train.adam's arithmetic, bit for bit, in far fewer tensor operations (adam.ts). */
const adam = (lr: number) => new FusedAdam(lr);

/** The dataset's per-row flags as tensors, for the student's return and filtering functions. */
function flagTensors(ds: Dataset): [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] {
  return [tf.tensor1d(ds.rewards), tf.tensor1d(ds.terminals), tf.tensor1d(ds.timeouts)];
}

function readAndDispose(t: tf.Tensor): Float32Array {
  const out = Float32Array.from(t.dataSync());
  t.dispose();
  return out;
}

function meanActions(policy: GaussianPolicy, observations: Float32Array, n: number, obsDim: number): Float32Array {
  return tf.tidy(() => policy.mean(tf.tensor2d(observations, [n, obsDim])).dataSync() as Float32Array);
}

/** Behaviour cloning on a pool of rows (all rows, or those filtered BC keeps). */
function bcTrainer(impl: Impl, ds: Dataset, cfg: TrainConfig, rng: Rng, pool?: Int32Array): Trainer {
  const obsDim = ds.observations.cols;
  const policy = GaussianPolicy.create(rng.fork('policy'), obsDim, cfg.hidden, ds.actions.cols);
  const opt = adam(cfg.lr);
  const sampler = new BatchSampler(ds, rng.fork('batches'), pool);
  return {
    step() {
      const batch = sampler.next(cfg.batchSize);
      const loss = tf.tidy(() => opt.minimize(() => impl.policy.bcLoss(impl.policy.policyLogProb(policy, batch.observations, batch.actions)), true, policy.params)!.dataSync()[0]);
      disposeBatch(batch);
      return { policyLoss: loss };
    },
    act: (obs, n) => meanActions(policy, obs, n, obsDim),
    dispose() {
      policy.dispose();
      opt.dispose();
    },
  };
}

/** Rows of the top p% episodes, chosen with the student's filtering functions. */
export function filteredRows(impl: Impl, ds: Dataset, percent: number): Int32Array {
  const [r, d, t] = flagTensors(ds);
  const g = impl.returns.episodeReturns(r, d, t);
  const episodeMask = impl.filtered_bc.topEpisodeMask(g, percent);
  const rowMask = readAndDispose(impl.filtered_bc.rowMaskFromEpisodes(episodeMask, d, t));
  [r, d, t, g, episodeMask].forEach((x) => x.dispose());
  const rows: number[] = [];
  rowMask.forEach((m, i) => m !== 0 && rows.push(i));
  return Int32Array.from(rows);
}

function awrTrainer(impl: Impl, ds: Dataset, cfg: TrainConfig, rng: Rng): Trainer {
  const obsDim = ds.observations.cols;
  const [r, d, t] = flagTensors(ds);
  const returns = readAndDispose(impl.returns.discountedReturnToGo(r, d, t, cfg.gamma));
  [r, d, t].forEach((x) => x.dispose());
  const agent = {
    value: Mlp.create(rng.fork('value'), [obsDim, ...cfg.hidden, 1]),
    policy: GaussianPolicy.create(rng.fork('policy'), obsDim, cfg.hidden, ds.actions.cols),
  };
  const opts = { value: adam(cfg.lr), policy: adam(cfg.lr) };
  const sampler = new BatchSampler(ds, rng.fork('batches'));
  return {
    step() {
      const rows = sampler.nextRows(cfg.batchSize);
      const full = batchFromRows(ds, rows);
      const batch = { observations: full.observations, actions: full.actions, returns: tf.tensor1d(gatherRows(returns, 1, rows)) };
      const losses = impl.awr.awrUpdate(agent, opts, batch, { alpha: cfg.alpha, wMax: cfg.wMax });
      disposeBatch(full);
      batch.returns.dispose();
      return losses;
    },
    act: (obs, n) => meanActions(agent.policy, obs, n, obsDim),
    dispose() {
      agent.value.dispose();
      agent.policy.dispose();
      Object.values(opts).forEach((o) => o.dispose());
    },
  };
}

function disposeIqlAgent(agent: IqlAgent): void {
  const nets = [agent.q1, agent.q2, agent.q1Target, agent.q2Target, agent.value];
  new Set(nets).forEach((n) => n.dispose());
  agent.policy.dispose();
}

function iqlTrainer(impl: Impl, ds: Dataset, cfg: TrainConfig, rng: Rng): Trainer {
  const obsDim = ds.observations.cols;
  const agent = impl.iql.createIqlAgent(rng.fork('agent'), obsDim, ds.actions.cols, cfg.hidden);
  const opts = { critic: adam(cfg.lr), value: adam(cfg.lr), policy: adam(cfg.lr) };
  const sampler = new BatchSampler(ds, rng.fork('batches'));
  const iqlCfg = { gamma: cfg.gamma, tau: cfg.tau, alpha: cfg.alpha, wMax: cfg.wMax, rho: cfg.rho };
  return {
    step() {
      const batch = sampler.next(cfg.batchSize);
      const losses = impl.iql.iqlUpdate(agent, opts, batch, iqlCfg);
      disposeBatch(batch);
      return losses;
    },
    act: (obs, n) => meanActions(agent.policy, obs, n, obsDim),
    nets: { policy: agent.policy, critics: [agent.q1, agent.q2] },
    dispose() {
      disposeIqlAgent(agent);
      Object.values(opts).forEach((o) => o.dispose());
    },
  };
}

function rcbcTrainer(impl: Impl, ds: Dataset, cfg: TrainConfig, rng: Rng): Trainer {
  const obsDim = ds.observations.cols;
  const [r, d, t] = flagTensors(ds);
  const rtg = readAndDispose(impl.returns.undiscountedReturnToGo(r, d, t));
  [r, d, t].forEach((x) => x.dispose());
  const policy = GaussianPolicy.create(rng.fork('policy'), obsDim + 1, cfg.hidden, ds.actions.cols);
  const opt = adam(cfg.lr);
  const sampler = new BatchSampler(ds, rng.fork('batches'));
  return {
    step() {
      const rows = sampler.nextRows(cfg.batchSize);
      const batch = batchFromRows(ds, rows);
      const loss = tf.tidy(() => {
        const g = tf.tensor1d(gatherRows(rtg, 1, rows));
        return opt.minimize(() => impl.rcbc.rcbcLoss(policy, batch.observations, g, batch.actions, cfg.rcbcScale), true, policy.params)!.dataSync()[0];
      });
      disposeBatch(batch);
      return { policyLoss: loss };
    },
    // RTG_0 = the target return; RTG_{t+1} = RTG_t - r_t, i.e. RTG_t = RTG_0 - (reward so far).
    act: (obs, n, ctx) =>
      tf.tidy(() => {
        const rtg = impl.rcbc.nextReturnToGo(tf.fill([n], cfg.rcbcTargetReturn) as tf.Tensor1D, tf.tensor1d(ctx.returns.subarray(0, n)));
        const x = impl.rcbc.conditionedInput(tf.tensor2d(obs, [n, obsDim]), rtg, cfg.rcbcScale);
        return policy.mean(x).dataSync() as Float32Array;
      }),
    dispose() {
      policy.dispose();
      opt.dispose();
    },
  };
}

/** Builds the trainer of `algo` on `ds`, every random choice drawn from `rng`. */
export function makeTrainer(algo: AlgoName, impl: Impl, ds: Dataset, cfg: TrainConfig, rng: Rng): Trainer {
  if (datasetSize(ds) === 0) throw new RangeError('the dataset is empty');
  switch (algo) {
    case 'bc':
      return bcTrainer(impl, ds, cfg, rng);
    case 'filtered-bc':
      return bcTrainer(impl, ds, cfg, rng, filteredRows(impl, ds, cfg.filterPercent));
    case 'awr':
      return awrTrainer(impl, ds, cfg, rng);
    case 'iql':
      return iqlTrainer(impl, ds, cfg, rng);
    case 'rcbc':
      return rcbcTrainer(impl, ds, cfg, rng);
    case 'cql':
      return cqlTrainer(impl.cql, ds, cfg, rng);
  }
}
