/** Plain data <-> TensorFlow.js objects, on the runner side only. */
import * as tf from '@tensorflow/tfjs';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { Mlp } from '../../provided/nets/mlp';
import { Rng } from '../../provided/runtime/rng';
import type { NetSpec, PlainArg, PlainTensor } from './protocol';

export const isPlainTensor = (v: unknown): v is PlainTensor =>
  typeof v === 'object' && v !== null && Array.isArray((v as PlainTensor).shape) && Array.isArray((v as PlainTensor).data);
export const isNetSpec = (v: unknown): v is NetSpec => typeof v === 'object' && v !== null && typeof (v as NetSpec).net === 'string';

/** Builds a network from its spec with the kit's provided code. */
export function buildNet(spec: NetSpec): Mlp | GaussianPolicy {
  const rng = new Rng(spec.seed);
  if (spec.net === 'mlp') return Mlp.create(rng, spec.sizes);
  const sizes = spec.sizes;
  const policy = GaussianPolicy.create(rng, sizes[0], sizes.slice(1, -1), sizes[sizes.length - 1]);
  if (spec.logStd) policy.logStd.assign(tf.tensor1d(spec.logStd));
  return policy;
}

/** Everything `decode` created, so the harness can dispose it. */
export interface Owned {
  tensors: tf.Tensor[];
  nets: (Mlp | GaussianPolicy)[];
  optimizers: tf.Optimizer[];
}

export const newOwned = (): Owned => ({ tensors: [], nets: [], optimizers: [] });

/** A plain argument as the student function receives it: tensors, networks, numbers, records. */
export function decode(arg: PlainArg, owned: Owned): unknown {
  if (typeof arg === 'number' || typeof arg === 'boolean' || Array.isArray(arg)) return arg;
  if (isPlainTensor(arg)) {
    const t = tf.tensor(arg.data, arg.shape, 'float32');
    owned.tensors.push(t);
    return t;
  }
  if (isNetSpec(arg)) {
    const net = buildNet(arg);
    owned.nets.push(net);
    return net;
  }
  return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, decode(v, owned)]));
}

export function disposeOwned(owned: Owned): void {
  owned.tensors.forEach((t) => t.dispose());
  owned.nets.forEach((n) => n.dispose());
  owned.optimizers.forEach((o) => o.dispose());
}

/** A tensor's values as plain data. */
export function encodeTensor(t: tf.Tensor): PlainTensor {
  return { shape: [...t.shape], data: Array.from(t.dataSync()) };
}

/** A network's parameters, concatenated, as plain data. */
export function encodeNet(net: Mlp | GaussianPolicy): PlainTensor {
  const data = net.snapshot().flatMap((a) => Array.from(a));
  return { shape: [data.length], data };
}

export const scalar = (x: number): PlainTensor => ({ shape: [], data: [x] });
