/**
 * How each kind of target is called (HarnessSpec in protocol.ts). A harness decodes the plain
 * arguments, calls the function, checks that what came back is what the kind promises, and returns
 * plain outputs. Update harnesses build every network from seeds with the kit's code, use plain
 * SGD (so loss scale mistakes show in the parameters) and report which networks changed. Whole
 * runs are the assignment's own code (its public module) and are called by execute.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { Mlp } from '../../provided/nets/mlp';
import { Rng } from '../../provided/runtime/rng';
import { decode, encodeNet, encodeTensor, Owned, scalar } from './encode';
import type { HarnessSpec, NetKind, PlainArg, PlainTensor } from './protocol';

/** The student returned the wrong kind of thing; the message is one sentence for the student. */
export class BadReturn extends Error {}

export interface HarnessOutput {
  outputs: Record<string, PlainTensor>;
  changed?: string[];
}

type AnyFn = (...args: unknown[]) => unknown;
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

const isNet = (v: unknown, kind: NetKind): boolean => (kind === 'policy' ? v instanceof GaussianPolicy : v instanceof Mlp);

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

/** A record of networks built by the student: each must be of its kind; the records' objects are disposed after. */
function factory(f: AnyFn, args: PlainArg[], spec: Extract<HarnessSpec, { kind: 'factory' }>): HarnessOutput {
  const [seed, ...rest] = args as [number, ...unknown[]];
  const made = f(new Rng(seed), ...rest) as Record<string, unknown>;
  const names = Object.keys(spec.nets);
  if (typeof made !== 'object' || made === null) throw new BadReturn(`expected an object { ${names.join(', ')} }, got ${describeValue(made)}`);
  const outputs: Record<string, PlainTensor> = {};
  try {
    for (const n of names) {
      if (!isNet(made[n], spec.nets[n])) throw new BadReturn(`expected '${n}' to be ${spec.nets[n] === 'policy' ? 'a GaussianPolicy' : 'an Mlp'}, got ${describeValue(made[n])}`);
      outputs[n] = encodeNet(made[n] as Net);
    }
    const shared = (spec.distinct ?? []).some(([a, b]) => (made[a] as Net).params[0] === (made[b] as Net).params[0]);
    if (spec.distinct) outputs.distinct = scalar(shared ? 0 : 1);
  } finally {
    const disposed = new Set<unknown>();
    for (const n of names) {
      const net = made[n] as Net | undefined;
      if (!net || disposed.has(net) || typeof net.dispose !== 'function') continue;
      // A network that shares its variables with another one is disposed once, through that one.
      if (names.some((m) => m !== n && disposed.has(made[m]) && (made[m] as Net).params?.[0] === net.params?.[0])) continue;
      disposed.add(net);
      net.dispose();
    }
  }
  return { outputs };
}

/** An update step: f(agent, optimizers, batch, cfg); args [agent, batch, cfg, lr]. */
function update(f: AnyFn, args: PlainArg[], owned: Owned, spec: Extract<HarnessSpec, { kind: 'update' }>): HarnessOutput {
  const [agent, batch, cfg] = args.slice(0, 3).map((a) => decode(a, owned)) as [Record<string, Net>, unknown, unknown];
  const lr = args[3] as number;
  const optimizers = spec.optimizers === 'one' ? sgd(lr, owned) : Object.fromEntries(spec.optimizers.map((n) => [n, sgd(lr, owned)]));
  let result: unknown;
  const out = watch(agent, () => (result = f(agent, optimizers, batch, cfg)));
  return { outputs: { ...losses(result, spec.losses), ...out.outputs }, changed: out.changed };
}

/** Calls `f` as its harness spec says (whole runs excepted: execute.ts binds them). */
export function callHarness(spec: HarnessSpec, f: AnyFn, args: PlainArg[], owned: Owned): HarnessOutput {
  switch (spec.kind) {
    case 'function': {
      const t = expectTensor(f(...args.map((a) => decode(a, owned))));
      owned.tensors.push(t);
      return { outputs: { result: encodeTensor(t) } };
    }
    case 'number':
      return { outputs: { result: scalar(expectNumber(f(...args.map((a) => decode(a, owned))), 'the result')) } };
    case 'mutate': {
      const decoded = args.map((a) => decode(a, owned));
      const nets = Object.fromEntries(Object.entries(spec.watch).map(([name, i]) => [name, decoded[i] as Net]));
      return watch(nets, () => f(...decoded));
    }
    case 'factory':
      return factory(f, args, spec);
    case 'update':
      return update(f, args, owned, spec);
    case 'run':
      return f(...args) as HarnessOutput;
  }
}
