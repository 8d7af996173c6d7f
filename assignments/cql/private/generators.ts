/**
 * The CQL homework's case generators: (parameters, seed) -> named plain values, deterministic in
 * the seed. They build inputs on which the mistakes of docs/contract.md §9 give other numbers:
 * N sampled actions different from the batch size B (an axis mistake changes the shape), Q values
 * spread over several units (a max or a mean is not a logsumexp), target critics different from
 * the online ones, terminals in every batch, noise that pushes samples out of [-1, 1], and log
 * sigma beyond its clip where a case asks for it.
 */
import { readManifest } from '../../../provided/data/manifest';
import type { Rng } from '../../../provided/runtime/rng';
import { trainConfig } from '../../../provided/train/config';
import type { PlainArg } from '../../../grader/child/protocol';
import type { Generator } from '../../../grader/assignment/plugin';
import {
  finite, flags, gaussianInputs, mlpSpec, normals, numbers, policySpec, positiveInt, positiveInts, round2, tensor, trainingRunInputs, uniforms, type Params,
} from '../../../grader/cases/inputs';

/** size B, obsDim, actDim and hidden of a generator with networks. */
const shape = (p: Params): [number, number, number, number[]] => [positiveInt(p, 'size'), positiveInt(p, 'obsDim'), positiveInt(p, 'actDim'), positiveInts(p, 'hidden')];
/** A positive number in [0.5, 3]: the entropy of a Gaussian policy, as a scalar tensor. */
const entropy = (rng: Rng) => tensor([], [round2(rng.range(0.5, 3))]);
/** log sigma as the case gives it (beyond the clip on purpose), else drawn. */
const logStdOf = (p: Params, da: number): number[] | 'drawn' => (p.logStd === undefined ? 'drawn' : numbers(p, 'logStd').slice(0, da));

export const GENERATORS: Record<string, Generator> = {
  /** A policy, observations [B, ds] and standard-normal noise [N, B, da] (`samples` N) or [B, da]. */
  policy_noise(p, rng) {
    const [size, ds, da, hidden] = shape(p);
    const policy = policySpec(rng, ds, hidden, da, logStdOf(p, da));
    const noiseShape = p.samples === undefined ? [size, da] : [positiveInt(p, 'samples'), size, da];
    return { policy, observations: normals(rng, [size, ds]), noise: normals(rng, noiseShape) };
  },
  /** A critic on [s, a], observations [B, ds] and actions [N, B, da] uniform on [-1, 1]. */
  critic_actions(p, rng) {
    const [size, ds, da, hidden] = shape(p);
    return { critic: mlpSpec(rng, [ds + da, ...hidden, 1]), observations: normals(rng, [size, ds]), actions: uniforms(rng, [positiveInt(p, 'samples'), size, da], 1) };
  },
  /** Q at N sampled actions [N, B] and at the dataset actions [B], spread over several units. */
  regulariser(p, rng) {
    const [size, samples] = [positiveInt(p, 'size'), positiveInt(p, 'samples')];
    return { sampledQ: normals(rng, [samples, size], 2), dataQ: normals(rng, [size], 2) };
  },
  /** rewards, terminals (some set) and two different next-state critic values, [B] each. */
  cql_target(p, rng) {
    const size = positiveInt(p, 'size');
    return { rewards: normals(rng, [size]), terminals: tensor([size], flags(size, rng)), nextQ1: normals(rng, [size], 2), nextQ2: normals(rng, [size], 2) };
  },
  /** Q1, Q2 and y [B] (the squared errors not 0), and both critics at N sampled actions [N, B]. */
  critic_loss(p, rng) {
    const [size, samples] = [positiveInt(p, 'size'), positiveInt(p, 'samples')];
    return { q1: normals(rng, [size]), q2: normals(rng, [size]), y: normals(rng, [size]), q1Sampled: normals(rng, [samples, size], 2), q2Sampled: normals(rng, [samples, size], 2) };
  },
  /** mean, logStd (as given) and actions of a Gaussian log-probability (§3). */
  gaussian: (p, rng) => gaussianInputs(rng, positiveInt(p, 'size'), numbers(p, 'logStd')),
  /** log sigma [da] as the case gives it. */
  log_std: (p) => ({ logStd: tensor([numbers(p, 'logStd').length], numbers(p, 'logStd')) }),
  /** Both critics at the actor's sample [B] (different) and an entropy. */
  actor_loss(p, rng) {
    const size = positiveInt(p, 'size');
    return { q1Pi: normals(rng, [size], 2), q2Pi: normals(rng, [size], 2), entropy: entropy(rng) };
  },
  /** log pi(a|s) [B] of the dataset actions and an entropy. */
  warmup_loss(p, rng) {
    return { logProbs: normals(rng, [positiveInt(p, 'size')], 3), entropy: entropy(rng) };
  },
  /** A target and an online network with different values. */
  soft_update(p, rng) {
    const sizes = positiveInts(p, 'sizes');
    return { target: mlpSpec(rng, sizes), online: mlpSpec(rng, sizes) };
  },
  /** The seed createCqlAgent is called with. */
  agent_shape: (_p, rng) => ({ agentSeed: rng.nextUint32() }),
  /**
   * CQL networks (target critics different from the online ones), a batch with terminals and the
   * update's random arrays (N = `samples`, different from B), a config with `warmup` as the case says.
   */
  cql_update(p, rng) {
    const [size, ds, da, hidden] = shape(p);
    const samples = positiveInt(p, 'samples');
    const critic = [ds + da, ...hidden, 1];
    const agent = { q1: mlpSpec(rng, critic), q2: mlpSpec(rng, critic), q1Target: mlpSpec(rng, critic), q2Target: mlpSpec(rng, critic), policy: policySpec(rng, ds, hidden, da, logStdOf(p, da)) };
    const batch = {
      observations: normals(rng, [size, ds]),
      actions: uniforms(rng, [size, da]),
      rewards: normals(rng, [size]),
      nextObservations: normals(rng, [size, ds]),
      terminals: tensor([size], flags(size, rng)),
      randomActions: uniforms(rng, [samples, size, da], 1),
      policyNoise: normals(rng, [samples, size, da]),
      actorNoise: normals(rng, [size, da]),
    };
    const cfg = { gamma: finite(p, 'gamma'), alpha: finite(p, 'alpha'), beta: finite(p, 'beta'), rho: finite(p, 'rho'), warmup: p.warmup === true };
    return { agent, batch, cfg };
  },
  /** A short CQL training run: `dataset`, the budget from the case or training.yaml, `trainSeed`. */
  training: (p) => ({ run: trainingRunInputs(p, trainConfig('cql'), Object.keys(readManifest().datasets)) as unknown as PlainArg }),
};
