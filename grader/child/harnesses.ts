/**
 * How each kind of target is called. A harness decodes the plain arguments, calls the function,
 * checks that what came back is what the contract promises, and returns plain outputs. Update
 * harnesses build every network from seeds with the kit's code, use plain SGD (so loss scale
 * mistakes show in the parameters) and report which networks changed.
 */
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { Mlp } from '../../provided/nets/mlp';
import { Rng } from '../../provided/runtime/rng';
import { decode, encodeNet, encodeTensor, Owned, scalar } from './encode';
import type { HarnessName, PlainArg, PlainTensor } from './protocol';

/** The student returned the wrong kind of thing; the message is one sentence for the student. */
export class BadReturn extends Error {}

export interface HarnessOutput {
  outputs: Record<string, PlainTensor>;
  changed?: string[];
}

type AnyFn = (...args: unknown[]) => unknown;
type Harness = (f: AnyFn, args: PlainArg[], owned: Owned) => HarnessOutput;
type Net = Mlp | GaussianPolicy;

function describeValue(v: unknown): string {
  if (v === undefined || v === null) return String(v);
  if (typeof v !== 'object') return `a ${typeof v}`;
  return `a ${(v as object).constructor?.name ?? 'plain object'}`;
}

function expectTensor(v: unknown): tf.Tensor {
  if (v instanceof tf.Tensor) return v;
  throw new BadReturn(`expected a tf.Tensor to be returned, got ${describeValue(v)}; return the tensor itself (not an array, a number or an object with shape and data)`);
}

function expectNumber(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  throw new BadReturn(`expected ${what} to be a JavaScript number, got ${describeValue(v)}${v instanceof tf.Tensor ? ' (use .dataSync()[0])' : ''}`);
}

/** Runs `step` and reports which of `nets` changed any parameter, plus their values after. */
function watch(nets: Record<string, Net>, step: () => void): HarnessOutput {
  const before = Object.fromEntries(Object.entries(nets).map(([k, n]) => [k, encodeNet(n).data]));
  step();
  const outputs: Record<string, PlainTensor> = {};
  const changed: string[] = [];
  for (const [name, net] of Object.entries(nets)) {
    outputs[name] = encodeNet(net);
    if (outputs[name].data.some((x, i) => x !== before[name][i])) changed.push(name);
  }
  return { outputs, changed };
}

/** Optimizers are plain SGD so that the size of every gradient shows in the parameters. */
function sgd(lr: number, owned: Owned): tf.Optimizer {
  const opt = tf.train.sgd(lr);
  owned.optimizers.push(opt);
  return opt;
}

function losses(result: unknown, names: string[]): Record<string, PlainTensor> {
  if (typeof result !== 'object' || result === null) throw new BadReturn(`expected an object { ${names.join(', ')} } of numbers, got ${describeValue(result)}`);
  return Object.fromEntries(names.map((n) => [n, scalar(expectNumber((result as Record<string, unknown>)[n], `'${n}'`))]));
}

export const HARNESSES: Record<HarnessName, Harness> = {
  function(f, args, owned) {
    const t = expectTensor(f(...args.map((a) => decode(a, owned))));
    owned.tensors.push(t);
    return { outputs: { result: encodeTensor(t) } };
  },
  number(f, args, owned) {
    return { outputs: { result: scalar(expectNumber(f(...args.map((a) => decode(a, owned))), 'the result')) } };
  },
  softUpdate(f, args, owned) {
    const [target, online, rho] = args.map((a) => decode(a, owned)) as [Mlp, Mlp, number];
    return watch({ target, online }, () => f(target, online, rho));
  },
  createIqlAgent(f, args) {
    const [seed, obsDim, actDim, hidden] = args as [number, number, number, number[]];
    const agent = f(new Rng(seed), obsDim, actDim, hidden) as Record<string, unknown>;
    const names = ['q1', 'q2', 'q1Target', 'q2Target', 'value', 'policy'];
    if (typeof agent !== 'object' || agent === null) throw new BadReturn(`expected an object { ${names.join(', ')} }, got ${describeValue(agent)}`);
    const outputs: Record<string, PlainTensor> = {};
    try {
      for (const n of names) {
        const net = agent[n];
        const ok = n === 'policy' ? net instanceof GaussianPolicy : net instanceof Mlp;
        if (!ok) throw new BadReturn(`expected '${n}' to be ${n === 'policy' ? 'a GaussianPolicy' : 'an Mlp'}, got ${describeValue(net)}`);
        outputs[n] = encodeNet(net as Net);
      }
      const shared = (agent.q1Target as Mlp).params[0] === (agent.q1 as Mlp).params[0] || (agent.q2Target as Mlp).params[0] === (agent.q2 as Mlp).params[0];
      outputs.separateTargets = scalar(shared ? 0 : 1);
    } finally {
      const seen = new Set<unknown>();
      for (const n of names) if (agent[n] && !seen.has(agent[n]) && typeof (agent[n] as Net).dispose === 'function') {
        seen.add(agent[n]);
        if (n.endsWith('Target') && agent[n] === agent[n.replace('Target', '')]) continue;
        (agent[n] as Net).dispose();
      }
    }
    return { outputs };
  },
  iqlUpdate(f, args, owned) {
    const [agent, batch, cfg] = args.slice(0, 3).map((a) => decode(a, owned)) as [Record<string, Net>, unknown, unknown];
    const lr = args[3] as number;
    const optimizers = { critic: sgd(lr, owned), value: sgd(lr, owned), policy: sgd(lr, owned) };
    let result: unknown;
    const out = watch(agent, () => (result = f(agent, optimizers, batch, cfg)));
    return { outputs: { ...losses(result, ['valueLoss', 'policyLoss', 'criticLoss']), ...out.outputs }, changed: out.changed };
  },
  /** `f` is the whole training run, bound to the student's modules by runCall (see train.ts). */
  train(f, args) {
    return f(...args) as HarnessOutput;
  },
  fqeUpdate(f, args, owned) {
    const [agent, batch, cfg] = args.slice(0, 3).map((a) => decode(a, owned)) as [Record<string, Net>, unknown, unknown];
    const optimizer = sgd(args[3] as number, owned);
    let result: unknown;
    const out = watch(agent, () => (result = f(agent, optimizer, batch, cfg)));
    return { outputs: { ...losses(result, ['loss']), ...out.outputs }, changed: out.changed };
  },
  /** `f` is the whole FQE run, bound to the student's modules by runCall (see fqe-run.ts). */
  fqe(f, args) {
    return f(...args) as HarnessOutput;
  },
  /** `f` re-evaluates a trained policy (trusted processes only; see train.ts). */
  evaluate(f, args) {
    return f(...args) as HarnessOutput;
  },
  awrUpdate(f, args, owned) {
    const [agent, batch, cfg] = args.slice(0, 3).map((a) => decode(a, owned)) as [Record<string, Net>, unknown, unknown];
    const lr = args[3] as number;
    const optimizers = { value: sgd(lr, owned), policy: sgd(lr, owned) };
    let result: unknown;
    const out = watch(agent, () => (result = f(agent, optimizers, batch, cfg)));
    return { outputs: { ...losses(result, ['valueLoss', 'policyLoss']), ...out.outputs }, changed: out.changed };
  },
};
