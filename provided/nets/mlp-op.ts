// A whole ReLU MLP as one differentiable operation: the forward pass as fused matMuls (bias and
// ReLU inside the kernel), the backward pass written out once.
//
// Why: on small networks an IQL step is bound by the fixed cost of each TensorFlow.js operation,
// not by arithmetic (docs/benchmarks.md). A custom gradient per layer paid, per layer, for a tape
// entry, three saved-tensor copies, and tf.fused.matMul's own custom gradient and reshapes; one
// gradient per network pays for one tape entry and one copy per saved tensor, and its backward
// pass uses the cheapest form of each product on the backend (dense-grad.ts). The backward pass, and
// a forward pass that no tape records, run their kernels on the backend directly (kernels.ts).
//
// Notation, for layers l = 0..L-1 with weights W_l [in_l, out_l] and biases b_l [out_l]:
//   h_0 = x,  z_l = h_l W_l + b_l,  h_{l+1} = relu(z_l) for l < L-1,  y = head(z_{L-1}).
import * as tf from '@tensorflow/tfjs';
import { as, inputGrad, ownProducts, paramGrads, reluGrad } from './dense-grad';
import { engineKernels, recording, valueKernels, type Kernels } from './kernels';
import { RLHW_MATMUL } from './matmul-wasm';

const { _FusedMatMul, Reshape, Tanh } = tf; // kernel names, read once (tf's exports are getters)

/** What the last layer's output goes through: nothing, a squeeze of its one column to [B], or tanh. */
export type Head = 'linear' | 'squeeze' | 'tanh';

/** z = h W + b, or relu of it, as one kernel with the bias and the ReLU fused; h holds [B, in]. On
 * wasm, the kit's product (matmul-wasm.ts): XNNPACK would pack each W anew after every update. */
function dense(k: Kernels, h: tf.Tensor, w: tf.Tensor2D, b: tf.Tensor1D, batch: number, relu: boolean): tf.Tensor {
  const [fanIn, fanOut] = w.shape;
  if (ownProducts()) return k.run(RLHW_MATMUL, { a: as(h, [batch, fanIn]), b: w, bias: b }, { transposeA: false, kBlock: fanIn, relu });
  const inputs = { a: as(h, [1, batch, fanIn]), b: as(w, [1, fanIn, fanOut]), bias: b }; // the kernel takes rank 3
  const attrs = { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear', leakyreluAlpha: 0 };
  return k.run(_FusedMatMul, inputs, attrs);
}

/** y = head(z_{L-1}), and the hidden activations h_1..h_{L-1} (each holding [B, n]). */
function forward(k: Kernels, x: tf.Tensor2D, weights: tf.Tensor2D[], biases: tf.Tensor1D[], head: Head) {
  const batch = x.shape[0];
  const hidden: tf.Tensor[] = [];
  let h: tf.Tensor = x;
  for (let l = 0; l < weights.length; l++) {
    const last = l + 1 === weights.length;
    h = dense(k, h, weights[l], biases[l], batch, !last);
    if (!last) hidden.push(h);
  }
  const out = weights[weights.length - 1].shape[1];
  if (head === 'tanh') return { y: k.run(Tanh, { x: as(h, [batch, out]) }), hidden };
  return { y: k.run(Reshape, { x: h }, { shape: head === 'squeeze' ? [batch] : [batch, out] }), hidden };
}

/** dL/dz_{L-1} from dL/dy: tanh'(z) = 1 - y^2; a squeeze only relabels. */
function headGrad(dy: tf.Tensor, y: tf.Tensor | undefined, head: Head): tf.Tensor {
  return head === 'tanh' ? tf.mul(dy, tf.sub(1, tf.square(y!))) : dy;
}

/**
 * [dL/dW_0, dL/db_0, dL/dW_1, ...] by backpropagation through the layers, and dL/dx as a thunk:
 * the input is usually data (no gradient wanted), and tfjs calls a gradient only for an input
 * that leads back to what is differentiated, so the product dz_0 W_0^T is made only when needed.
 */
function backward(k: Kernels, dz: tf.Tensor, x: tf.Tensor2D, weights: tf.Tensor2D[], hidden: tf.Tensor[]): { dx: () => tf.Tensor; params: tf.Tensor[] } {
  const batch = x.shape[0];
  if (batch === 0) return { dx: () => tf.zerosLike(x), params: weights.flatMap((w) => [tf.zerosLike(w), tf.zeros([w.shape[1]])]) };
  const ones = tf.ones([1, batch]); // for sums over the batch, 1^T dz
  const params: tf.Tensor[] = [];
  for (let l = weights.length - 1; l >= 0; l--) {
    const [fanIn, fanOut] = weights[l].shape;
    const h = l === 0 ? x : hidden[l - 1];
    const [dW, db] = paramGrads(k, h, dz, ones, batch, fanIn, fanOut); // h_l^T dz_l, 1^T dz_l
    [params[2 * l], params[2 * l + 1]] = [k.tensor(dW), k.tensor(db)];
    if (l > 0) dz = reluGrad(k, inputGrad(k, dz, weights[l], batch), h); // dL/dz_{l-1} = relu'(z_{l-1}) dz_l W_l^T
  }
  const dz0 = k.tensor(dz); // the engine's until its 'backward' scope ends, for the thunk below
  return { dx: () => inputGrad(engineKernels, dz0, weights[0], batch), params }; // dL/dx = dz_0 W_0^T
}

/** [W_0, b_0, W_1, b_1, ...] split into the weights and the biases. */
function layers(params: readonly tf.Tensor[]): { weights: tf.Tensor2D[]; biases: tf.Tensor1D[] } {
  return { weights: params.filter((_, i) => i % 2 === 0) as tf.Tensor2D[], biases: params.filter((_, i) => i % 2 === 1) as tf.Tensor1D[] };
}

/** tfjs's engine entry for an operation with its own gradient (what tf.customGrad calls; not in tfjs's types). */
interface CustomOpParams {
  inputs: tf.NamedTensorMap;
  forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
  backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
}
const engine = tf.engine() as unknown as { runKernelFunc(params: CustomOpParams): tf.Tensor };

/**
 * head(MLP(x)) as one operation on the gradient tape, taking (x, W_0, b_0, W_1, b_1, ...).
 * Like tf.customGrad, but its gradient hands tfjs one thunk per input (tf.customGrad computes every
 * input's gradient first), so dL/dx costs nothing when x is data. The backward pass runs inside
 * tfjs's 'backward' scope, which keeps dz_0 alive until the thunks have run.
 */
function recordedForward(x: tf.Tensor2D, params: readonly tf.Tensor[], head: Head): tf.Tensor {
  const { weights, biases } = layers(params);
  const L = weights.length;
  const inputs: tf.NamedTensorMap = { x };
  params.forEach((p, i) => (inputs[`p${i}`] = p));
  return engine.runKernelFunc({
    inputs,
    forwardFunc: (_backend: unknown, save: tf.GradSaveFunc) => {
      const { y, hidden } = forward(engineKernels, x, weights, biases, head); // tensors, for save
      // Saved: x, W_0..W_{L-1}, h_1..h_{L-1}, and y where the head's derivative needs it (tanh).
      save([x, ...weights, ...hidden, ...(head === 'tanh' ? [y] : [])]);
      return y;
    },
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws, hs, ys] = [saved[0] as tf.Tensor2D, saved.slice(1, 1 + L) as tf.Tensor2D[], saved.slice(1 + L, 2 * L), saved[2 * L]];
      const k = valueKernels(); // on the backend directly unless a tape records the backward pass
      try {
        const { dx, params: grads } = backward(k, headGrad(dy, ys, head), xs, ws, hs);
        const map: Record<string, () => tf.Tensor> = { x: dx };
        grads.forEach((g, i) => (map[`p${i}`] = () => g));
        return map;
      } finally {
        k.done();
      }
    },
  });
}

/** head(MLP(x)) for x [B, in] and params [W_0, b_0, W_1, b_1, ...]; differentiable in all of them. */
export function mlpForward(x: tf.Tensor2D, params: readonly tf.Tensor[], head: Head): tf.Tensor {
  const fanIn = params[0].shape[0];
  if (x.rank !== 2 || x.shape[1] !== fanIn) throw new RangeError(`the network takes inputs of shape [B, ${fanIn}], got [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32') return tf.tidy(() => mlpForward(tf.cast(x, 'float32'), params, head));
  if (recording()) return recordedForward(x, params, head);
  // No gradient to record: the forward pass alone, without the custom gradient's bookkeeping, its
  // kernels on the backend directly where that works.
  const { weights, biases } = layers(params);
  const k = valueKernels();
  try {
    return tf.tidy(() => k.tensor(forward(k, x, weights, biases, head).y));
  } finally {
    k.done();
  }
}
