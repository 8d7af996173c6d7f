// Where the kernels of a network's pass run.
//
// Through TensorFlow.js's engine, every kernel also pays for the engine's bookkeeping: a scope, a
// tracked result tensor, the tape check, the kernel lookup (about 2.5 us a kernel on wasm here,
// docs/benchmarks.md). A network's backward pass, and a forward pass that no tape records, only
// need the values: there the kernels can run on the backend directly, and their outputs are plain
// TensorInfos that this file frees, except the ones handed to the engine as tensors (`tensor`).
// While a tape records (second derivatives), kernels must go through the engine.
import * as tf from '@tensorflow/tfjs';

const engine = tf.engine();

/** Runs kernels for one pass; `done` frees what it made and did not hand over. */
export interface Kernels {
  run(kernel: string, inputs: tf.NamedTensorMap, attrs?: object): tf.Tensor;
  /** `t` as an engine tensor, owned by the engine (and its scopes) from now on. */
  tensor(t: tf.TensorInfo): tf.Tensor;
  done(): void;
}

/** Whether kernels run now are recorded for a gradient (then their inputs must be real tensors). */
export function recording(): boolean {
  const { gradientDepth, kernelDepth } = engine.state;
  return gradientDepth > 0 && kernelDepth === 0;
}

/** Through the engine: tracked tensors, recorded when a tape records. */
export const engineKernels: Kernels = {
  run: (kernel, inputs, attrs = {}) => engine.runKernel(kernel, inputs, attrs as tf.NamedAttrMap) as tf.Tensor,
  tensor: (t) => t as tf.Tensor,
  done: () => undefined,
};

/** Backends whose kernels are known to run directly (both are tested: tests/numeric/mlp-op.test.ts). */
const DIRECT_BACKENDS = new Set(['wasm', 'cpu']);

type Backend = tf.KernelBackend & { disposeData(dataId: tf.DataId): boolean };
type EngineInternals = { makeTensorFromTensorInfo(t: tf.TensorInfo, backend: tf.KernelBackend): tf.Tensor };

/** The active backend's function for `kernel`, looked up at each call as the engine does (so that
 * whoever wraps a registered kernel, such as the benchmark's kernel counts, sees these calls too). */
function kernelFunc(kernel: string): tf.KernelFunc {
  const config = tf.getKernel(kernel, tf.getBackend());
  if (!config) throw new Error(`no ${kernel} kernel for the ${tf.getBackend()} backend`);
  return config.kernelFunc;
}

/** On the backend directly: outputs are untracked, and freed by `done` unless handed over. */
class DirectKernels implements Kernels {
  private readonly made = new Set<tf.TensorInfo>();

  constructor(private readonly backend: Backend) {}

  run(kernel: string, inputs: tf.NamedTensorMap, attrs: object = {}): tf.Tensor {
    const out = kernelFunc(kernel)({ inputs, attrs: attrs as tf.NamedAttrMap, backend: this.backend }) as tf.TensorInfo;
    this.made.add(out);
    return out as tf.Tensor; // a TensorInfo: enough as another kernel's input
  }

  tensor(t: tf.TensorInfo): tf.Tensor {
    if (!this.made.delete(t)) return t as tf.Tensor; // already the engine's (an input, such as dy)
    return (engine as unknown as EngineInternals).makeTensorFromTensorInfo(t, this.backend);
  }

  done(): void {
    for (const t of this.made) this.backend.disposeData(t.dataId);
    this.made.clear();
  }
}

/** Kernels for a pass that needs only values: directly on the backend where that is known to work. */
export function valueKernels(): Kernels {
  if (recording() || !DIRECT_BACKENDS.has(tf.getBackend())) return engineKernels;
  return new DirectKernels(tf.backend() as Backend);
}
