// A whole ReLU MLP as one differentiable operation: the forward pass as fused matMuls (bias and
// ReLU inside the kernel), the backward pass written out once.
//
// Why: on small networks an IQL step is bound by the fixed cost of each TensorFlow.js operation,
// not by arithmetic (docs/benchmarks.md). A custom gradient per layer paid, per layer, for a tape
// entry, three saved-tensor copies, and tf.fused.matMul's own custom gradient and reshapes; one
// gradient per network pays for one tape entry and one copy per saved tensor, and its backward
// pass uses the cheapest form of each product on the backend (dense-grad.ts).
//
// Notation, for layers l = 0..L-1 with weights W_l [in_l, out_l] and biases b_l [out_l]:
//   h_0 = x,  z_l = h_l W_l + b_l,  h_{l+1} = relu(z_l) for l < L-1,  y = head(z_{L-1}).
import * as tf from '@tensorflow/tfjs';
import { as, inputGrad, paramGrads, recording, reluGrad, run } from './dense-grad';

const { _FusedMatMul, Tanh } = tf; // kernel names, read once (tf's exports are getters)

/** What the last layer's output goes through: nothing, a squeeze of its one column to [B], or tanh. */
export type Head = 'linear' | 'squeeze' | 'tanh';

/** z = h W + b, or relu of it, as one kernel with the bias and the ReLU fused; h holds [B, in]. */
function dense(h: tf.Tensor, w: tf.Tensor2D, b: tf.Tensor1D, batch: number, relu: boolean): tf.Tensor3D {
  const [fanIn, fanOut] = w.shape;
  const inputs = { a: as(h, [1, batch, fanIn]), b: as(w, [1, fanIn, fanOut]), bias: b }; // the kernel takes rank 3
  const attrs = { transposeA: false, transposeB: false, activation: relu ? 'relu' : 'linear', leakyreluAlpha: 0 };
  return run<tf.Tensor3D>(_FusedMatMul, inputs, attrs);
}

/** y = head(z_{L-1}), and the hidden activations h_1..h_{L-1} (each holding [B, n]). */
function forward(x: tf.Tensor2D, weights: tf.Tensor2D[], biases: tf.Tensor1D[], head: Head) {
  const batch = x.shape[0];
  const hidden: tf.Tensor[] = [];
  let h: tf.Tensor = x;
  for (let l = 0; l < weights.length; l++) {
    const last = l + 1 === weights.length;
    h = dense(h, weights[l], biases[l], batch, !last);
    if (!last) hidden.push(h);
  }
  const out = weights[weights.length - 1].shape[1];
  if (head === 'tanh') return { y: run(Tanh, { x: as(h, [batch, out]) }), hidden };
  return { y: tf.reshape(h, head === 'squeeze' ? [batch] : [batch, out]), hidden };
}

/** dL/dz_{L-1} from dL/dy: tanh'(z) = 1 - y^2; a squeeze only relabels. */
function headGrad(dy: tf.Tensor, y: tf.Tensor | undefined, head: Head): tf.Tensor {
  return head === 'tanh' ? tf.mul(dy, tf.sub(1, tf.square(y!))) : dy;
}

/** [dL/dx, dL/dW_0, dL/db_0, dL/dW_1, ...] by backpropagation through the layers. */
function backward(dz: tf.Tensor, x: tf.Tensor2D, weights: tf.Tensor2D[], hidden: tf.Tensor[]): tf.Tensor[] {
  const batch = x.shape[0];
  if (batch === 0) return [tf.zerosLike(x), ...weights.flatMap((w) => [tf.zerosLike(w), tf.zeros([w.shape[1]])])];
  const ones = tf.ones([1, batch]); // for sums over the batch, 1^T dz
  const grads: tf.Tensor[] = [];
  for (let l = weights.length - 1; l >= 0; l--) {
    const [fanIn, fanOut] = weights[l].shape;
    const h = l === 0 ? x : hidden[l - 1];
    [grads[1 + 2 * l], grads[2 + 2 * l]] = paramGrads(h, dz, ones, batch, fanIn, fanOut); // h_l^T dz_l, 1^T dz_l
    const dh = inputGrad(dz, weights[l], batch); // dL/dh_l = dz_l W_l^T
    if (l === 0) grads[0] = dh;
    else dz = reluGrad(dh, h); // dL/dz_{l-1} = relu'(z_{l-1}) dL/dh_l
  }
  return grads;
}

/** One custom-gradient operation per head, taking (x, W_0, b_0, W_1, b_1, ...). */
const ops = new Map<Head, (...inputs: tf.Tensor[]) => tf.Tensor>();

function opFor(head: Head): (...inputs: tf.Tensor[]) => tf.Tensor {
  let op = ops.get(head);
  if (!op) {
    op = tf.customGrad((...args: unknown[]) => {
      const save = args.pop() as tf.GradSaveFunc;
      const [x, ...params] = args as tf.Tensor2D[];
      const weights = params.filter((_, i) => i % 2 === 0);
      const biases = params.filter((_, i) => i % 2 === 1) as tf.Tensor[] as tf.Tensor1D[];
      const { y, hidden } = forward(x, weights, biases, head);
      // Saved: x, W_0..W_{L-1}, h_1..h_{L-1}, and y where the head's derivative needs it (tanh).
      save([x, ...weights, ...hidden, ...(head === 'tanh' ? [y] : [])]);
      const L = weights.length;
      return {
        value: y,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [xs, ws, hs, ys] = [saved[0], saved.slice(1, 1 + L), saved.slice(1 + L, 2 * L), saved[2 * L]];
          const dz = headGrad(dy as tf.Tensor, ys, head);
          return backward(dz, xs as tf.Tensor2D, ws as tf.Tensor2D[], hs);
        },
      };
    }) as (...inputs: tf.Tensor[]) => tf.Tensor;
    ops.set(head, op);
  }
  return op;
}

/** head(MLP(x)) for x [B, in] and params [W_0, b_0, W_1, b_1, ...]; differentiable in all of them. */
export function mlpForward(x: tf.Tensor2D, params: readonly tf.Tensor[], head: Head): tf.Tensor {
  const fanIn = params[0].shape[0];
  if (x.rank !== 2 || x.shape[1] !== fanIn) throw new RangeError(`the network takes inputs of shape [B, ${fanIn}], got [${x.shape.join(', ')}]`);
  if (x.dtype !== 'float32') return tf.tidy(() => mlpForward(tf.cast(x, 'float32'), params, head));
  if (recording()) return opFor(head)(x, ...params);
  // No gradient to record: the forward pass alone, without the custom gradient's bookkeeping.
  const [weights, biases] = [params.filter((_, i) => i % 2 === 0), params.filter((_, i) => i % 2 === 1)];
  return tf.tidy(() => forward(x, weights as tf.Tensor2D[], biases as tf.Tensor1D[], head).y);
}
