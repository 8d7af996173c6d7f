// The products of a dense layer's backward pass (z = h W + b), each in the form the backend runs
// fastest, with as few TensorFlow.js kernels as possible.
//
// - wasm: the kit's own product (matmul-wasm.ts, RlhwMatMul) reads h^T in place and packs
//   nothing, summing in the order tfjs's matMul would (so the gradients are bit-identical to it).
//   Without it (a tape recording the backward pass, or a Node without wasm SIMD): only a matMul
//   without transpose flags runs in XNNPACK; with a flag it falls back to a naive loop ~10x slower
//   (PLATFORM.md), so operands are transposed first. wasm's own transpose of a matrix larger than
//   L1 (32 KiB) is slow too (68 us for [256, 64], 231 us for [256, 256]); moving the same data as
//   blocks of 64 rows, [R/64, 64, C] -> [C, R/64, 64], takes 15 and 77 us.
// - cpu (pure JS) and node (native TensorFlow): the transpose flags cost nothing, while cpu's
//   transpose computes an index array per element; so the flags are used there.
// - Sums over the batch are a matMul with ones: tf.sum over axis 0 transposes first.
// - XNNPACK caches the packed right operand of a matMul by its data id and bias only, not by its
//   shape: never hand it the same data as a right operand under two shapes.
// - A reshape only relabels data, so operands are handed to kernels as views with the shape the
//   kernel needs (see `as`), instead of through a Reshape kernel each.
import * as tf from '@tensorflow/tfjs';
import { recording, type Kernels } from './kernels';
import { RLHW_MATMUL, wasmMatMulReady, type MatMulAttrs } from './matmul-wasm';

const { BatchMatMul, Multiply, Reshape, Step, Sum, Transpose } = tf; // kernel names, read once (tf's exports are getters)

/**
 * `t`'s data read with another shape, as a kernel input. Kernels take TensorInfos (data id, shape,
 * dtype), so a view is enough and skips a Reshape kernel; while a gradient tape records (second
 * derivatives), a real reshape, since the tape keeps its inputs.
 */
export function as(t: tf.TensorInfo, shape: number[]): tf.Tensor {
  if (recording()) return tf.reshape(t as tf.Tensor, shape);
  return { dataId: t.dataId, shape, dtype: t.dtype } as tf.Tensor;
}

/** a b for matrices a [m, k], b [k, n] (optionally transposed first, through the kernel's flags). */
const matMul = (k: Kernels, a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor =>
  k.run(BatchMatMul, { a, b }, { transposeA, transposeB });

/** `t`'s data with another shape, through the Reshape kernel (a new reference to the same data). */
const reshape = (k: Kernels, t: tf.Tensor, shape: number[]): tf.Tensor => k.run(Reshape, { x: t }, { shape });

const transposeFirst = (): boolean => tf.getBackend() === 'wasm';

/** Whether the products run as RlhwMatMul: on wasm, unless a tape records them (it has no gradient). */
export const ownProducts = (): boolean => !recording() && wasmMatMulReady();

/** a b (a transposed or not) as RlhwMatMul, summing over k in blocks of attrs.kBlock. */
const ownMatMul = (k: Kernels, a: tf.Tensor, b: tf.Tensor, attrs: MatMulAttrs): tf.Tensor => k.run(RLHW_MATMUL, { a, b }, attrs);

/** The blocks wasm's naive loop (a matMul with a transpose flag) sums over k in (tfjs-backend-wasm's kBlockSize). */
const NAIVE_LOOP_BLOCK = 48;

/** Below this many elements a plain wasm transpose fits in L1 and is as fast as the blocked one. */
const BLOCKED_MIN_SIZE = 8192;

/** The transpose of the [rows, cols] matrix `a` holds, as a tensor holding [cols, rows] (any rank). */
export function transposed(k: Kernels, a: tf.TensorInfo, rows: number, cols: number): tf.Tensor {
  const block = [64, 32, 16].find((b) => rows % b === 0 && rows > b);
  if (rows * cols <= BLOCKED_MIN_SIZE || block === undefined) return k.run(Transpose, { x: as(a, [rows, cols]) }, { perm: [1, 0] });
  return k.run(Transpose, { x: as(a, [rows / block, block, cols]) }, { perm: [2, 0, 1] }); // [cols, rows/block, block]
}

/**
 * A layer's input width at or below which wasm's naive loop beats packing dz for XNNPACK in h^T dz
 * and 1^T dz (measured with B = 256: at width 2 the naive loop takes 50 us against 100 for
 * XNNPACK with 64 outputs, 200 against 260 with 256; at width 4 they tie with 64 outputs and
 * XNNPACK wins with 256).
 */
const NARROW_INPUT = 2;

/**
 * [dL/dW, dL/db] = [h^T dz, 1^T dz] ([in, out] and [out]) for h holding [B, in] and dz [B, out];
 * `ones` holds [1, B] ones.
 *
 * On wasm, RlhwMatMul reads h in place and packs nothing. Without it: XNNPACK packs the right
 * operand of every matMul it has not seen (~3 ns per element, plus a fixed cost), and in a backward
 * pass every operand is new. So products with one output column or a narrow input (the output and
 * input layers) run as wasm's naive loop through the transpose flag, which costs ~1 ns per
 * multiply-add and packs nothing; the others transpose h and pack dz once, for both h^T dz and
 * 1^T dz. RlhwMatMul sums in the order of whichever of these it replaces.
 */
export function paramGrads(k: Kernels, h: tf.Tensor, dz: tf.Tensor, ones: tf.Tensor, batch: number, fanIn: number, fanOut: number): [tf.Tensor, tf.Tensor] {
  const hm = as(h, [batch, fanIn]);
  const dzm = as(dz, [batch, fanOut]);
  if (ownProducts()) {
    // summed in the order of the kernels below: the naive loop's blocks, or one run (XNNPACK, Sum)
    const naiveW = fanOut === 1 || fanIn <= NARROW_INPUT;
    const naiveB = fanOut !== 1 && fanIn <= NARROW_INPUT;
    const dW = ownMatMul(k, hm, dzm, { transposeA: true, kBlock: naiveW ? NAIVE_LOOP_BLOCK : batch });
    return [dW, ownMatMul(k, ones, dzm, { transposeA: false, kBlock: naiveB ? NAIVE_LOOP_BLOCK : batch, shape: [fanOut] })];
  }
  if (fanOut === 1) return [matMul(k, hm, dzm, true, false), k.run(Sum, { x: as(dz, [batch]) }, { axis: [0], keepDims: true })];
  if (!transposeFirst() || fanIn <= NARROW_INPUT) {
    const onesColumn = as(ones, [batch, 1]);
    return [matMul(k, hm, dzm, true, false), reshape(k, matMul(k, dzm, onesColumn, true, false), [fanOut])];
  }
  const dW = matMul(k, as(transposed(k, h, batch, fanIn), [fanIn, batch]), dzm);
  return [dW, reshape(k, matMul(k, ones, dzm), [fanOut])]; // dz is packed already: 1^T dz reuses it
}

/** dL/dh = dz W^T, [B, in], for dz holding [B, out] and W [in, out]. */
export function inputGrad(k: Kernels, dz: tf.Tensor, w: tf.Tensor2D, batch: number): tf.Tensor {
  const [fanIn, fanOut] = w.shape;
  // One output: dz W^T is an outer product, [B, 1] times W's own data read as [1, in], broadcast.
  // Not a matMul: XNNPACK would cache W's data packed as [1, in], and W is a right operand as
  // [in, 1] elsewhere (wasm-identity.ts: saved tensors share their data).
  if (fanOut === 1) return k.run(Multiply, { a: as(dz, [batch, 1]), b: as(w, [1, fanIn]) });
  if (!transposeFirst()) return matMul(k, as(dz, [batch, fanOut]), w, false, true);
  const wT = as(transposed(k, w, fanIn, fanOut), [fanOut, fanIn]);
  if (ownProducts()) return ownMatMul(k, as(dz, [batch, fanOut]), wT, { transposeA: false, kBlock: fanOut }); // XNNPACK's order
  return matMul(k, as(dz, [batch, fanOut]), wT);
}

/** relu'(z) dh = 1(h > 0) dh, [B, n], for h = relu(z) holding [B, n] and dh [B, n]. */
export function reluGrad(k: Kernels, dh: tf.Tensor, h: tf.Tensor): tf.Tensor {
  return k.run(Multiply, { a: dh, b: k.run(Step, { x: as(h, dh.shape) }, { alpha: 0 }) });
}
