// Adam (Kingma & Ba, ICLR 2015) with the arithmetic of tf.train.adam, done in JavaScript on the
// whole of each parameter at once instead of ~14 tensor operations per parameter.
//
// Why: an IQL step on small networks is dominated by the fixed cost of each TensorFlow.js
// operation, not by arithmetic (docs/benchmarks.md). tf.train.adam dispatches ~14 kernels and
// ~6 scalar tensors per variable; here each variable costs one read of its gradient and of its
// value (in place on wasm, where dataSync would copy out of wasm memory) and one new tensor.
// Every operation is rounded to float32 in the same order as tf.train.adam's kernels (Math.fround
// after each +, -, *, /, sqrt is exact float32 arithmetic), so the parameters are bit-identical to
// tf.train.adam's on every backend (tests/numeric/adam.test.ts checks it). On wasm the same
// arithmetic runs as WebAssembly in the backend's memory (adam-wasm.ts).
import * as tf from '@tensorflow/tfjs';
import { wasmAdam, type AdamScalars, type HeapMoments, type WasmAdam } from './adam-wasm';

const f = Math.fround;

/** tfjs-core's NamedTensor, which @tensorflow/tfjs does not re-export. */
type NamedTensor = { name: string; tensor: tf.Tensor };

interface Moments {
  m: Float32Array;
  v: Float32Array;
}

/** The wasm backend's view of a tensor's data in wasm memory (no copy); valid until the next allocation. */
type HeapReader = { typedArrayFromHeap?(t: tf.TensorInfo): Float32Array };

/** A tensor's values, without a copy where the backend allows (wasm), to be read before any new tensor. */
function valuesOf(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as HeapReader;
  return backend.typedArrayFromHeap ? backend.typedArrayFromHeap(t) : (t.dataSync() as Float32Array);
}

export class FusedAdam extends tf.Optimizer {
  static get className(): string {
    return 'FusedAdam';
  }

  private readonly moments = new Map<string, Moments>();
  private readonly heapMoments = new Map<string, HeapMoments>();
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    readonly learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly epsilon: number = tf.backend().epsilon(),
  ) {
    super();
    this.accBeta1 = f(beta1);
    this.accBeta2 = f(beta2);
  }

  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    // Scalars as tf.train.adam's kernels see them: float32.
    const s: AdamScalars = {
      b1: f(this.beta1),
      b2: f(this.beta2),
      omb1: f(1 - this.beta1),
      omb2: f(1 - this.beta2),
      c1: f(1 - this.accBeta1), // 1 - beta1^t
      c2: f(1 - this.accBeta2), // 1 - beta2^t
      eps: f(this.epsilon),
      negLr: f(-this.learningRate),
    };
    const heap = wasmAdam();
    for (const { name, tensor: gradient } of list) {
      const variable = tf.engine().registeredVariables[name];
      if (gradient == null || variable === undefined) continue;
      if (!tf.util.arraysEqual(gradient.shape, variable.shape)) {
        throw new Error(`FusedAdam: the gradient of ${name} has shape [${gradient.shape}], the variable [${variable.shape}]`);
      }
      const next = heap && gradient.dtype === 'float32' && variable.dtype === 'float32' ? this.stepOnHeap(heap, name, variable, gradient, s) : this.stepInJs(name, variable, gradient, s);
      variable.assign(next);
      next.dispose();
    }
    this.accBeta1 = f(this.accBeta1 * s.b1);
    this.accBeta2 = f(this.accBeta2 * s.b2);
    this.incrementIterations();
  }

  /** One parameter's update in JavaScript; returns its next value. */
  private stepInJs(name: string, variable: tf.Variable, gradient: tf.Tensor, s: AdamScalars): tf.Tensor {
    let mo = this.moments.get(name);
    if (!mo) this.moments.set(name, (mo = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) }));
    const { m, v } = mo;
    const { b1, b2, omb1, omb2, c1, c2, eps, negLr } = s;
    const [x, g] = [valuesOf(variable), valuesOf(gradient)];
    const out = new Float32Array(x.length);
    for (let k = 0; k < x.length; k++) {
      const gk = g[k];
      const mk = f(f(m[k] * b1) + f(gk * omb1)); // m <- beta1 m + (1 - beta1) g
      const vk = f(f(v[k] * b2) + f(f(gk * gk) * omb2)); // v <- beta2 v + (1 - beta2) g^2
      m[k] = mk;
      v[k] = vk;
      const step = f(f(f(mk / c1) / f(f(Math.sqrt(f(vk / c2))) + eps)) * negLr); // -lr m^ / (sqrt(v^) + eps)
      out[k] = f(step + x[k]);
    }
    return tf.tensor(out, variable.shape, 'float32'); // the views of x and g end here
  }

  /** The same update in wasm memory (adam-wasm.ts). */
  private stepOnHeap(heap: WasmAdam, name: string, variable: tf.Variable, gradient: tf.Tensor, s: AdamScalars): tf.Tensor {
    let mo = this.heapMoments.get(name);
    if (!mo) this.heapMoments.set(name, (mo = heap.moments(variable.shape)));
    return heap.adamUpdate(variable, gradient, mo, s);
  }

  override dispose(): void {
    this.moments.clear();
    for (const { m, v } of this.heapMoments.values()) tf.dispose([m, v]);
    this.heapMoments.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    throw new Error('FusedAdam does not save its state');
  }

  override async setWeights(): Promise<void> {
    throw new Error('FusedAdam does not load a saved state');
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
