// The wasm backend's element-wise binary kernels (Add, Multiply, Sub, Greater, ...), calling the
// same WebAssembly functions without the per-call garbage of tfjs's JavaScript wrapper.
//
// Why: tfjs-backend-wasm 4.22 passes the two input shapes to these kernels as 'array' arguments
// of emscripten's ccall. Every call then makes four typed arrays, copies them onto the wasm stack
// and looks the function up by name; about 100 such kernels run in an IQL step, most of them the
// student's losses. Here the shapes go into a small buffer in wasm memory allocated once, and the
// exported function is called directly: same function, same inputs, same output tensor. Measured
// in one process, taking turns with tfjs's kernels (10 pairs of 250 steps): +5.6% IQL steps/s at
// 64x64 and batch 256, +9.7% at the grading's 32x32 and batch 128 (docs/benchmarks.md).
// Installed only for the tfjs-backend-wasm version whose kernels this mirrors.
import * as tf from '@tensorflow/tfjs';

/** tfjs-backend-wasm's binary kernels made by createBinaryKernelConfig, with their output dtype where fixed. */
export const BINARY_KERNELS: Record<string, 'bool' | undefined> = {
  Add: undefined,
  Atan2: undefined,
  BitwiseAnd: undefined,
  Equal: 'bool',
  FloorDiv: undefined,
  Greater: 'bool',
  GreaterEqual: 'bool',
  Less: 'bool',
  LessEqual: 'bool',
  LogicalAnd: 'bool',
  LogicalOr: 'bool',
  LogicalXor: 'bool',
  Maximum: undefined,
  Minimum: undefined,
  Mod: undefined,
  Multiply: undefined,
  NotEqual: 'bool',
  Pow: undefined,
  RealDiv: undefined,
  SquaredDifference: undefined,
  Sub: undefined,
};

/** The tfjs-backend-wasm version these kernels mirror (tfjs's wrapper is copied in behaviour). */
export const MIRRORED_WASM_VERSION = '4.22.0';

/** The C++ side's dtype codes (tfjs-backend-wasm's CppDType). */
const CPP_DTYPE: Record<string, number> = { float32: 0, int32: 1, bool: 2 };

/** Ranks up to this go through the shape buffer (XNNPACK's own limit); higher ones keep tfjs's own kernel. */
const MAX_RANK = 6;

/** The parts of the wasm backend used here. */
interface WasmModule {
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  [exported: string]: unknown;
}
interface WasmBackend extends tf.KernelBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: tf.DataId): { id: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}
type WasmBinary = (aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, dtype: number, outId: number) => void;

/** One shape buffer per wasm instance: [a's shape | b's shape], MAX_RANK int32 each. */
const shapeBuffers = new WeakMap<WasmModule, number>();

function shapeBuffer(wasm: WasmModule): number {
  let at = shapeBuffers.get(wasm);
  if (at === undefined) shapeBuffers.set(wasm, (at = wasm._malloc(2 * MAX_RANK * 4)));
  return at;
}

/** a (op) b with broadcasting, as tfjs's wrapper computes it, minus its garbage. */
function leanBinary(name: string, outDtype: 'bool' | undefined, original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const backend = args.backend as WasmBackend;
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    const fn = backend.wasm[`_${name}`] as WasmBinary | undefined;
    const dtype = CPP_DTYPE[a.dtype];
    if (!fn || dtype === undefined || a.shape.length > MAX_RANK || b.shape.length > MAX_RANK) return original(args);
    const aId = backend.dataIdMap.get(a.dataId)!.id;
    const bId = backend.dataIdMap.get(b.dataId)!.id;
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.makeOutput(shape, outDtype ?? a.dtype); // may grow memory: HEAP32 is read after
    if (tf.util.sizeFromShape(shape) === 0) return out;
    const at = shapeBuffer(backend.wasm);
    const heap = backend.wasm.HEAP32;
    heap.set(a.shape, at >> 2);
    heap.set(b.shape, (at >> 2) + MAX_RANK);
    fn(aId, at, a.shape.length, bId, at + MAX_RANK * 4, b.shape.length, dtype, backend.dataIdMap.get(out.dataId)!.id);
    return out;
  };
}

let installed = false;
const originals = new Map<string, tf.KernelFunc>();

/** tfjs's own kernel function for `name` on wasm, as it was before `leanWasmBinaryKernels` (for tests). */
export const tfjsBinaryKernel = (name: string): tf.KernelFunc | undefined => originals.get(name);

/** Replaces wasm's registered binary kernels with the lean ones; once the wasm backend is loaded. Idempotent. */
export function leanWasmBinaryKernels(wasmVersion: string): void {
  if (installed || wasmVersion !== MIRRORED_WASM_VERSION) return;
  for (const [name, outDtype] of Object.entries(BINARY_KERNELS)) {
    const config = tf.getKernel(name, 'wasm');
    if (!config) continue;
    originals.set(name, config.kernelFunc);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: leanBinary(name, outDtype, config.kernelFunc) });
  }
  installed = true;
}
