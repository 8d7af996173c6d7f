// RlhwMatMul: a dense layer's product on the wasm backend without packing an operand (matmul.wat),
// registered as a TensorFlow.js kernel so that a network's passes run it like any other
// (provided/nets/mlp-op.ts and dense-grad.ts).
//
// Why: behind tfjs's matMul, XNNPACK packs each right operand it has not seen (about 3 ns an
// element, plus making and freeing an operator), and only runs untransposed products. In a training
// step every operand is new: each W once per step after its update, and in the backward pass dz
// (dL/dW = h^T dz also paid for a transpose of h). The module reads its operands in place, and
// sums in the order tfjs's kernel would have (kBlock), so outputs and gradients are bit-identical
// (tests/numeric/matmul-wasm.test.ts).
//
//   inputs: a [m, k] (or [k, m] with transposeA), b [k, n], bias [n] (optional), all float32
//   attrs:  transposeA; kBlock, the length of the blocks the sums over k run in; relu; shape, the
//           output's shape if not [m, n] (same size)
import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from '../runtime/wasm-kernels';
import { heapModule } from '../runtime/heap-module';
import { MATMUL_WASM } from './matmul-wasm-bytes';

export const RLHW_MATMUL = 'RlhwMatMul';

/** The attributes of RlhwMatMul. */
export interface MatMulAttrs {
  transposeA: boolean;
  kBlock: number;
  relu?: boolean;
  shape?: number[];
}

type MatMulExport = (...args: [a: number, aRow: number, aK: number, b: number, c: number, m: number, k: number, n: number, kBlock: number, bias: number, relu: number]) => void;

const matMulModule = heapModule<MatMulExport>(MATMUL_WASM, 'matmul');

function matMulKernel(args: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const { a, b, bias } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo; bias?: tf.TensorInfo };
  const { transposeA, kBlock, relu, shape } = args.attrs as unknown as MatMulAttrs;
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new Error(`${RLHW_MATMUL} takes two float32 matrices, got ${a.dtype} [${a.shape}] and ${b.dtype} [${b.shape}]`);
  }
  const [m, k] = transposeA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const n = b.shape[1];
  if (b.shape[0] !== k) throw new Error(`${RLHW_MATMUL}: inner sizes differ (${k} and ${b.shape[0]})`);
  if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== n)) {
    throw new Error(`${RLHW_MATMUL}: the bias must be float32 [${n}], got ${bias.dtype} [${bias.shape}]`);
  }
  for (const t of [a, b, bias]) if (t && !backend.dataIdMap.has(t.dataId)) throw new Error(`${RLHW_MATMUL}: an input has no data in wasm memory (disposed?)`);
  const outShape = shape ?? [m, n];
  if (tf.util.sizeFromShape(outShape) !== m * n) throw new Error(`${RLHW_MATMUL}: an output of [${outShape}] cannot hold [${m}, ${n}]`);
  const out = backend.makeOutput(outShape, 'float32'); // may grow memory: offsets stay valid
  if (m * n === 0) return out;
  const at = (t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  if (k === 0) {
    // an empty sum: the bias, or 0, through the ReLU
    const values = new Float32Array(backend.wasm.asm.memory.buffer, at(out), m * n);
    const row = bias ? new Float32Array(backend.wasm.asm.memory.buffer, at(bias), n) : new Float32Array(n);
    for (let i = 0; i < m * n; i++) values[i] = relu ? (0 < row[i % n] ? row[i % n] : 0) : row[i % n];
    return out;
  }
  const [aRow, aK] = transposeA ? [4, 4 * m] : [4 * k, 4];
  const block = Number.isFinite(kBlock) && kBlock >= 1 ? Math.min(Math.floor(kBlock), k) : k; // one block unless told
  matMulModule.bound(backend.wasm.asm.memory)(at(a), aRow, aK, at(b), at(out), m, k, n, block, bias ? at(bias) : 0, relu ? 1 : 0);
  return out;
}

/** Registers RlhwMatMul on the wasm backend once it is loaded, where this Node runs the module. Idempotent. */
export function registerWasmMatMul(): void {
  if (tf.getKernel(RLHW_MATMUL, 'wasm') || tf.getBackend() !== 'wasm' || !matMulModule.runs()) return;
  const backend = tf.backend() as Partial<WasmBackend>;
  const known = backend.wasm?.asm?.memory instanceof WebAssembly.Memory && typeof backend.makeOutput === 'function' && backend.dataIdMap !== undefined;
  if (!known) return; // another tfjs-backend-wasm layout: tfjs's own products
  tf.registerKernel({ kernelName: RLHW_MATMUL, backendName: 'wasm', kernelFunc: matMulKernel as tf.KernelFunc });
}

/** Whether RlhwMatMul runs on the active backend. */
export const wasmMatMulReady = (): boolean => tf.getBackend() === 'wasm' && tf.getKernel(RLHW_MATMUL, 'wasm') !== undefined;
