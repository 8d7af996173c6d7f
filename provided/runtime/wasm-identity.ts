// The wasm backend's Identity kernel, sharing its input's data instead of copying it.
//
// Why: while a gradient tape records, TensorFlow.js clones every tensor an operation saves for its
// gradient (engine.clone, through the Identity kernel): about 60 a step in IQL. The cpu backend's
// Identity shares the data (a new reference, as every backend's Reshape does); wasm's copies it,
// paying for a new buffer and a copy each time. Tensors are immutable in TensorFlow.js, so sharing
// is safe, with one exception specific to wasm: XNNPACK caches a matMul's packed right operand by
// the data's id (and the bias's), not by its shape, so the same data must never be a right operand
// under two shapes (provided/nets/dense-grad.ts keeps to that; tests/numeric/mlp-op.test.ts covers
// the case that broke when Identity first shared: a one-output layer's W read as [1, in]).
// Measured in one process, taking turns with the copying kernel: +2 to +4% IQL steps/s (docs/benchmarks.md).
import * as tf from '@tensorflow/tfjs';

type SharingBackend = tf.KernelBackend & { incRef(dataId: tf.DataId): void };

/** Identity as a new reference to x's data (strings keep wasm's own kernel). */
function sharingIdentity(copying: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return copying(args);
    (args.backend as SharingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

let installed = false;

/** Makes wasm's registered Identity share data; call once the wasm backend is loaded. Idempotent. */
export function shareWasmIdentity(): void {
  if (installed) return;
  const config = tf.getKernel(tf.Identity, 'wasm');
  if (!config) return;
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({ ...config, kernelFunc: sharingIdentity(config.kernelFunc) });
  installed = true;
}
