/**
 * Case input generators: (parameters, seed) -> named plain values. Each is deterministic in its
 * seed and builds inputs on which the mistakes of docs/contract.md §8 give different numbers
 * (mixed-sign values, terminals AND timeouts with a trailing unflagged run, a tie group cut by the
 * top-p% count, p/M pairs with ceil != floor or where the float order of the count matters, logStd
 * beyond the clip on both sides with no dimension dwarfing the others, ...).
 */
import type { Rng } from '../../../provided/runtime/rng';
import { readManifest } from '../../../provided/data/manifest';
import { fqeSettings, trainConfig } from '../../../provided/train/config';
import type { NetSpec, PlainArg, PlainTensor } from '../../../grader/child/protocol';
import { flags, gaussianInputs, mlpSpec as mlp, normals, policySpec, positiveInt as int, positiveInts as ints, round2, tensor, trainingRunInputs, uniforms, type Params } from '../../../grader/cases/inputs';
import { keptCount, overshootingPair, scoresAroundCut } from './filtering';

export type Generated = Record<string, PlainArg>;
type Generator = (p: Params, rng: Rng) => Generated;

/** Episode flags for `rows` rows: episodes of 2-5 rows ending alternately in a terminal and a timeout, then a trailing run with neither. */
function episodeFlags(rows: number, rng: Rng): { terminals: number[]; timeouts: number[]; episodes: number } {
  const terminals = new Array<number>(rows).fill(0);
  const timeouts = new Array<number>(rows).fill(0);
  let pos = 0;
  let k = rng.int(2);
  let episodes = 0;
  while (pos < rows) {
    const end = pos + 2 + rng.int(4);
    episodes += 1;
    if (end >= rows - 1) break; // the rest is the trailing episode
    (k++ % 2 === 0 ? terminals : timeouts)[end - 1] = 1;
    pos = end;
  }
  return { terminals, timeouts, episodes };
}

/** One field of the `vectors` generator: kind[cols] makes a [B, cols] matrix. */
function field(kind: string, size: number, rng: Rng): PlainTensor {
  const m = /^(\w+)(?:\[(\d+)\])?$/.exec(kind);
  if (!m) throw new Error(`vectors: unknown field kind '${kind}'`);
  const cols = m[2] ? Number(m[2]) : undefined;
  const n = size * (cols ?? 1);
  const draw: Record<string, () => number> = {
    normal: () => round2(rng.normal()),
    wide: () => round2(3 * rng.normal()),
    positive: () => round2(rng.range(0.1, 3)),
  };
  if (m[1] === 'flags' && cols === undefined) return tensor([size], flags(size, rng));
  if (!draw[m[1]]) throw new Error(`vectors: unknown field kind '${kind}' (normal, wide, positive, flags)`);
  return tensor(cols === undefined ? [size] : [size, cols], Array.from({ length: n }, draw[m[1]]));
}

const uniformMatrix = (rng: Rng, rows: number, cols: number): PlainTensor => uniforms(rng, [rows, cols]);
const normalMatrix = (rng: Rng, rows: number, cols: number): PlainTensor => normals(rng, [rows, cols]);
const policyNet = (rng: Rng, ds: number, hidden: number[], da: number): NetSpec => policySpec(rng, ds, hidden, da);
/** size, obsDim, actDim and hidden of an FQE generator. */
const fqeShape = (p: Params): [number, number, number, number[]] => [int(p, 'size'), int(p, 'obsDim'), int(p, 'actDim'), ints(p, 'hidden')];

/** (M, p) from the `order` parameter of kept_count and episode_scores; `dropSome`: p < 100. */
function orderPair(p: Params, rng: Rng, dropSome = false): { episodes: number; percent: number } {
  const bound = (key: string, fallback: number): number => (p[key] === undefined ? fallback : int(p, key));
  return overshootingPair(String(p.order), rng, { minEpisodes: bound('minEpisodes', 2), maxEpisodes: bound('maxEpisodes', 200), maxPercent: dropSome ? 99 : 100 });
}

export const GENERATORS: Record<string, Generator> = {
  /** rewards, terminals, timeouts; integer rewards so that episode returns can tie. */
  episodes(p, rng) {
    const rows = int(p, 'rows');
    const { terminals, timeouts } = episodeFlags(rows, rng);
    const rewards = Array.from({ length: rows }, () => (p.integer ? rng.int(3) : round2(rng.normal())));
    return { rewards: tensor([rows], rewards), terminals: tensor([rows], terminals), timeouts: tensor([rows], timeouts) };
  },
  /**
   * [M] episode returns whose top-p% cut runs through a group of equal returns (filtering.ts).
   * `order` (instead of episodes and percent): M and p drawn so that p * M / 100 is whole and that
   * float order of the count overshoots it, with M in [minEpisodes, maxEpisodes] and p < 100.
   */
  episode_scores(p, rng) {
    const { episodes, percent } = p.order === undefined ? { episodes: int(p, 'episodes'), percent: Number(p.percent) } : orderPair(p, rng, true);
    return { returns: tensor([episodes], scoresAroundCut(episodes, keptCount(episodes, percent), rng)), percent };
  },
  /** episodeMask [M] with terminals/timeouts [N] that make exactly M episodes. */
  episode_mask(p, rng) {
    const rows = int(p, 'rows');
    const { terminals, timeouts, episodes } = episodeFlags(rows, rng);
    // Alternating, the trailing episode kept: a row given a neighbouring episode's value, or a trailing run left out, changes.
    const mask = Array.from({ length: episodes }, (_, e) => ((episodes - 1 - e) % 2 === 0 ? 1 : 0));
    return { episodeMask: tensor([episodes], mask), terminals: tensor([rows], terminals), timeouts: tensor([rows], timeouts) };
  },
  /**
   * episodes M and percent p. Default: p * M / 100 not whole, its fraction below 0.5 (ceil != round) and n > 1. With
   * `order`: p * M / 100 whole, and that float order of the count overshoots it (filtering.ts).
   */
  kept_count(p, rng) {
    if (p.order !== undefined) return orderPair(p, rng);
    for (;;) {
      const episodes = 5 + rng.int(40);
      const percent = 5 + rng.int(60);
      const rest = (percent * episodes) % 100; // below 50: ceil, floor and round all differ in pairs
      if (rest !== 0 && rest < 50 && percent * episodes > 100) return { episodes, percent };
    }
  },
  /** Only the case's own numeric parameters. */
  scalars: () => ({}),
  /** Named tensors of `size` rows: fields { name: normal | wide | positive | flags | kind[cols] }. */
  vectors(p, rng) {
    const size = int(p, 'size');
    const fields = p.fields as Record<string, string>;
    if (typeof fields !== 'object' || fields === null) throw new Error("vectors: parameter 'fields' must map names to kinds");
    return Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, field(kind, size, rng)]));
  },
  /**
   * mean [B, da] inside (-1, 1), logStd [da] as given (beyond the clip on purpose), actions [B, da].
   * Where the clipped sigma is small, a = mu + sigma z with z a moderate score (offUnitScore), so that
   * dimension's -0.5 z^2 stays as small as the others' and a 1e-4 error in its part is not
   * swallowed by the tolerance on a total in the thousands; elsewhere a is uniform in (-0.95, 0.95).
   */
  gaussian: (p, rng) => gaussianInputs(rng, int(p, 'size'), p.logStd as number[]),
  /** A policy network with observations and actions (and RTGs when `conditioned`). */
  policy_batch(p, rng) {
    const [size, obsDim, actDim] = [int(p, 'size'), int(p, 'obsDim'), int(p, 'actDim')];
    const inDim = obsDim + (p.conditioned ? 1 : 0);
    const policy: NetSpec = { net: 'policy', seed: rng.nextUint32(), sizes: [inDim, ...ints(p, 'hidden'), actDim], logStd: p.logStd as number[] };
    const out: Generated = { policy, observations: normalMatrix(rng, size, obsDim), actions: uniformMatrix(rng, size, actDim) };
    if (p.conditioned) out.returnsToGo = field('wide', size, rng);
    return out;
  },
  /** A target and an online network with different values. */
  soft_update(p, rng) {
    const sizes = ints(p, 'sizes');
    return { target: mlp(rng, sizes), online: mlp(rng, sizes) };
  },
  /** The seed createIqlAgent is called with. */
  agent_shape: (_p, rng) => ({ agentSeed: rng.nextUint32() }),
  /** IQL networks (targets different from the online critics), a batch with terminals, a config. */
  iql_update(p, rng) {
    const [size, ds, da] = [int(p, 'size'), int(p, 'obsDim'), int(p, 'actDim')];
    const hidden = ints(p, 'hidden');
    const critic = [ds + da, ...hidden, 1];
    const agent = {
      q1: mlp(rng, critic), q2: mlp(rng, critic), q1Target: mlp(rng, critic), q2Target: mlp(rng, critic),
      value: mlp(rng, [ds, ...hidden, 1]),
      policy: policySpec(rng, ds, hidden, da, 'drawn'),
    };
    const batch = {
      observations: normalMatrix(rng, size, ds), actions: uniformMatrix(rng, size, da), rewards: field('normal', size, rng),
      nextObservations: normalMatrix(rng, size, ds), terminals: field('flags', size, rng),
    };
    const cfg = { gamma: Number(p.gamma), tau: Number(p.tau), alpha: Number(p.alpha), wMax: Number(p.wMax), rho: Number(p.rho) };
    return { agent, batch, cfg };
  },
  /** AWR networks, a batch with returns, a config. */
  awr_update(p, rng) {
    const [size, ds, da] = [int(p, 'size'), int(p, 'obsDim'), int(p, 'actDim')];
    const hidden = ints(p, 'hidden');
    const agent = {
      value: mlp(rng, [ds, ...hidden, 1]),
      policy: policySpec(rng, ds, hidden, da, 'drawn'),
    };
    const batch = { observations: normalMatrix(rng, size, ds), actions: uniformMatrix(rng, size, da), returns: field('wide', size, rng) };
    return { agent, batch, cfg: { alpha: Number(p.alpha), wMax: Number(p.wMax) } };
  },
  /** A critic on [s, a], a fixed policy and observations (FQE's Q(s, mu(s))). */
  critic_policy(p, rng) {
    const [size, ds, da, hidden] = fqeShape(p);
    return { critic: mlp(rng, [ds + da, ...hidden, 1]), policy: policyNet(rng, ds, hidden, da), observations: normalMatrix(rng, size, ds) };
  },
  /** Two critics, a policy and observations (the critic heuristic). */
  critics_policy(p, rng) {
    const [size, ds, da, hidden] = fqeShape(p);
    return { q1: mlp(rng, [ds + da, ...hidden, 1]), q2: mlp(rng, [ds + da, ...hidden, 1]), policy: policyNet(rng, ds, hidden, da), observations: normalMatrix(rng, size, ds) };
  },
  /** A critic, a policy, observations and a start mask (row 0 a start, not every row one). */
  fqe_estimate(p, rng) {
    const [size, ds, da, hidden] = fqeShape(p);
    return { critic: mlp(rng, [ds + da, ...hidden, 1]), policy: policyNet(rng, ds, hidden, da), observations: normalMatrix(rng, size, ds), startMask: tensor([size], flags(size, rng)) };
  },
  /** FQE networks (the target critic different from the online one), a batch with terminals, a config. */
  fqe_update(p, rng) {
    const [size, ds, da, hidden] = fqeShape(p);
    const critic = [ds + da, ...hidden, 1];
    const agent = { critic: mlp(rng, critic), criticTarget: mlp(rng, critic), policy: policyNet(rng, ds, hidden, da) };
    const batch = {
      observations: normalMatrix(rng, size, ds), actions: uniformMatrix(rng, size, da), rewards: field('normal', size, rng),
      nextObservations: normalMatrix(rng, size, ds), terminals: field('flags', size, rng),
    };
    return { agent, batch, cfg: { gamma: Number(p.gamma), rho: Number(p.rho) } };
  },
  /**
   * A short FQE run: a policy fitted to `policyDataset` (default expert) evaluated on `dataset`
   * (default mixed); budget from the case, the other settings from training.yaml (evaluation).
   */
  fqe_run(p, rng) {
    const s = fqeSettings();
    const names = Object.keys(readManifest().datasets);
    const name = (key: string, fallback: string): string => {
      const v = p[key] ?? fallback;
      if (typeof v !== 'string' || !names.includes(v)) throw new Error(`generator parameter '${key}' must be a bundled dataset (${names.join(', ')}), got ${JSON.stringify(v)}`);
      return v;
    };
    const count = (key: string, fallback: number): number => (p[key] === undefined ? fallback : int(p, key));
    const rho = p.rho === undefined ? s.rho : Number(p.rho);
    if (!(rho > 0 && rho <= 1)) throw new Error(`generator parameter 'rho' must be in (0, 1], got ${JSON.stringify(p.rho)}`);
    const run = {
      dataset: name('dataset', 'mixed'), policyDataset: name('policyDataset', 'expert'), policySteps: count('policySteps', 500), policySeed: rng.nextUint32(),
      steps: count('steps', s.steps), seed: rng.nextUint32(), gamma: s.gamma, rho, lr: s.lr, batchSize: s.batchSize, hidden: s.hidden,
    };
    return { run: run as unknown as PlainArg };
  },
  /**
   * A short IQL training run on a bundled dataset (`dataset`): the budget (steps, evaluation
   * episodes) from the case, defaults from training.yaml; `trainSeed` (default 0) fixes the run.
   */
  training: (p) => ({ run: trainingRunInputs(p, trainConfig('iql'), Object.keys(readManifest().datasets)) as unknown as PlainArg }),
};
