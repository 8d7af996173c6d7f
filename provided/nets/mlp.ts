// Multi-layer perceptrons, the critics built from them, and target-network copies.
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../runtime/rng';
import { joinColumns } from './columns';
import { mlpForward } from './mlp-op';

/** A ReLU MLP with a linear output layer: sizes = [in, hidden..., out]. */
export class Mlp {
  /** [W0, b0, W1, b1, ...], W_l of shape [in_l, out_l]. */
  readonly params: tf.Variable[];

  private constructor(readonly sizes: readonly number[], params: tf.Variable[]) {
    this.params = params;
  }

  /** Glorot-uniform weights drawn from `rng` (same on every backend), zero biases. */
  static create(rng: Rng, sizes: readonly number[]): Mlp {
    if (sizes.length < 2) throw new RangeError(`an MLP needs at least [in, out] sizes, got [${sizes.join(', ')}]`);
    const params: tf.Variable[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const w = new Float32Array(fanIn * fanOut);
      for (let i = 0; i < w.length; i++) w[i] = rng.range(-limit, limit);
      params.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true)));
      params.push(tf.tidy(() => tf.variable(tf.zeros([fanOut]), true)));
    }
    return new Mlp(sizes, params);
  }

  /** A new network with the same sizes and exactly the same values. */
  clone(): Mlp {
    return new Mlp(this.sizes, this.params.map((p) => tf.tidy(() => tf.variable(p, true))));
  }

  /** Forward pass: x [B, in] -> [B, out]. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return mlpForward(x, this.params, 'linear') as tf.Tensor2D;
  }

  /** Copies every parameter value from `other` (same sizes). */
  copyFrom(other: Mlp): void {
    this.params.forEach((p, i) => p.assign(other.params[i]));
  }

  /** Parameter values as plain arrays (for checks and for the grader's messages). */
  snapshot(): Float32Array[] {
    return this.params.map((p) => p.dataSync() as Float32Array);
  }

  dispose(): void {
    this.params.forEach((p) => p.dispose());
  }
}

/** The network's single output column as a vector [B] (one differentiable operation, mlp-op.ts). */
function singleOutput(net: Mlp, x: tf.Tensor2D): tf.Tensor1D {
  const out = net.sizes[net.sizes.length - 1];
  if (out !== 1) throw new RangeError(`expected a network with one output, got sizes [${net.sizes.join(', ')}]`);
  return mlpForward(x, net.params, 'squeeze') as tf.Tensor1D;
}

/** Q(s, a) of shape [B] from a critic on the concatenation [s, a]. */
export function criticValues(q: Mlp, observations: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => singleOutput(q, joinColumns(observations, actions)));
}

/** V(s) of shape [B]. */
export function stateValues(v: Mlp, observations: tf.Tensor2D): tf.Tensor1D {
  return singleOutput(v, observations);
}
