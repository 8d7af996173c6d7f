// [a, b]: two matrices side by side, as one differentiable operation done in JavaScript.
//
// Why: a critic's input is [s, a], a few columns each. wasm's Concat kernel copies row by row through a
// typed-array view per row (~40 us for [256, 2] + [256, 2], measured here), and under a gradient tape
// tf.concat also copies both inputs for its gradient; reading both, interleaving them and writing the
// result takes ~8 us and saves nothing.
import * as tf from '@tensorflow/tfjs';
import { recording } from './kernels';

/** Rows of `left` [B, m] and `right` [B, n] interleaved into [B, m + n] (or split back). */
function interleave(left: Float32Array, right: Float32Array, rows: number, m: number, n: number): Float32Array {
  const out = new Float32Array(rows * (m + n));
  for (let i = 0, o = 0; i < rows; i++) {
    for (let j = i * m, end = j + m; j < end; j++) out[o++] = left[j];
    for (let j = i * n, end = j + n; j < end; j++) out[o++] = right[j];
  }
  return out;
}

function split(joined: Float32Array, rows: number, m: number, n: number): [Float32Array, Float32Array] {
  const [left, right] = [new Float32Array(rows * m), new Float32Array(rows * n)];
  for (let i = 0, o = 0; i < rows; i++) {
    for (let j = i * m, end = j + m; j < end; j++) left[j] = joined[o++];
    for (let j = i * n, end = j + n; j < end; j++) right[j] = joined[o++];
  }
  return [left, right];
}

function joined(left: tf.Tensor2D, right: tf.Tensor2D): tf.Tensor2D {
  const [rows, m] = left.shape;
  const n = right.shape[1];
  return tf.tensor2d(interleave(left.dataSync() as Float32Array, right.dataSync() as Float32Array, rows, m, n), [rows, m + n]);
}

const join = tf.customGrad((...args: unknown[]) => {
  const [left, right] = args as [tf.Tensor2D, tf.Tensor2D];
  const [rows, m] = left.shape;
  const n = right.shape[1];
  const value = joined(left, right);
  return {
    value,
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
      const [dLeft, dRight] = split((dy as tf.Tensor).dataSync() as Float32Array, rows, m, n);
      return [tf.tensor2d(dLeft, [rows, m]), tf.tensor2d(dRight, [rows, n])];
    },
  };
}) as (left: tf.Tensor2D, right: tf.Tensor2D) => tf.Tensor2D;

/** [left, right] for left [B, m] and right [B, n]: tf.concat([left, right], 1), differentiable in both. */
export function joinColumns(left: tf.Tensor2D, right: tf.Tensor2D): tf.Tensor2D {
  const float = left.dtype === 'float32' && right.dtype === 'float32';
  if (!float || left.rank !== 2 || right.rank !== 2 || left.shape[0] !== right.shape[0]) return tf.concat([left, right], 1);
  return recording() ? join(left, right) : joined(left, right);
}
