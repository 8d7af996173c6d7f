// A dense layer whose gradient uses plain matMuls on explicitly transposed operands.
//
// Why: on the wasm backend the transposed matMuls that tf.matMul's own gradient uses run at
// ~2 GFLOP/s against ~20 for an ordinary matMul (PLATFORM.md); transposing first and then
// multiplying made a whole IQL step 2-5x faster, with results equal to the cpu backend to ~3e-7.
import * as tf from '@tensorflow/tfjs';

type Activation = 'relu' | 'linear';

function makeDense(activation: Activation) {
  return tf.customGrad((...args: unknown[]) => {
    const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    // y = act(x W + b)
    const y = tf.fused.matMul({ a: x, b: w, bias: b, activation });
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ws, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const g = dy as tf.Tensor2D;
        const dz = activation === 'relu' ? tf.mul(g, tf.step(ys)) : g; // relu'(z) = 1(y > 0)
        const dx = tf.matMul(dz, tf.transpose(ws)); // dL/dx = dz W^T
        const dw = tf.matMul(tf.transpose(xs), dz); // dL/dW = x^T dz
        const db = tf.sum(dz, 0); // dL/db = sum over the batch
        return [dx, dw, db];
      },
    };
  });
}

const denseRelu = makeDense('relu');
const denseLinear = makeDense('linear');

/** y = act(x W + b) for x [B, in], W [in, out], b [out]. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation): tf.Tensor2D {
  return (activation === 'relu' ? denseRelu : denseLinear)(x, w, b) as tf.Tensor2D;
}
