// Lean JavaScript wrappers for the wasm backend's busiest kernels: the element-wise binary ones
// (Add, Multiply, Sub, Greater, ...), BatchMatMul and _FusedMatMul. Each calls the same exported
// WebAssembly function as tfjs-backend-wasm's own wrapper, with the same inputs, and returns the
// same output tensor; only the JavaScript around the call is lighter.
//
// Why: tfjs-backend-wasm 4.22 passes input shapes to these functions as 'array' arguments of
// emscripten's ccall. Every call then makes four typed arrays, copies them onto the wasm stack and
// looks the function up by name; its BatchMatMul also runs two Reshape kernels and frees them, and
// slices and spreads the shapes. An IQL step runs about 100 binary kernels (most of them the
// student's losses) and about 50 matMuls. Here the shapes go into a small buffer in wasm memory
// allocated once, and the exported function is called directly. Measured in one process, taking
// turns with tfjs's wrappers (10 pairs of 250 steps, docs/benchmarks.md): binary kernels +5.6% IQL
// steps/s at 64x64 and batch 256, +9.7% at the grading's 32x32 and batch 128; the matMuls
// +8% and +12% more. Any case outside the common one (another dtype, an unusual rank, an error to
// report) goes to tfjs's own wrapper, so errors read as tfjs's. Installed only for the
// tfjs-backend-wasm version whose wrappers this mirrors (tests/runtime/wasm-kernels.test.ts
// compares every kernel with tfjs's, bit for bit).
import * as tf from '@tensorflow/tfjs';

/** The tfjs-backend-wasm version whose wrappers these mirror. */
export const MIRRORED_WASM_VERSION = '4.22.0';

/** tfjs-backend-wasm's binary kernels (its createBinaryKernelConfig), with their output dtype where fixed. */
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

/** The C++ side's dtype codes (tfjs-backend-wasm's CppDType). */
const CPP_DTYPE: Record<string, number> = { float32: 0, int32: 1, bool: 2 };

/** The C++ side's activation codes (tfjs-backend-wasm's FusableActivation). */
const ACTIVATION: Record<string, number> = { linear: 0, relu: 1, relu6: 2, prelu: 3, leakyrelu: 4, sigmoid: 5, elu: 6 };

/** Ranks up to this go through the shape buffer (XNNPACK's own limit); higher ones keep tfjs's wrapper. */
const MAX_RANK = 6;

/** The parts of tfjs-backend-wasm's emscripten module the kit uses (here, provided/train/adam-wasm.ts and provided/nets/matmul-wasm.ts). */
interface WasmModule {
  HEAP32: Int32Array;
  asm: { memory: WebAssembly.Memory };
  _malloc(bytes: number): number;
  [exported: string]: unknown;
}
/** The parts of tfjs-backend-wasm's backend (4.x) the kit uses: its module, each tensor's data record, new outputs. */
export interface WasmBackend extends tf.KernelBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: tf.DataId): { id: number; shape: number[]; memoryOffset: number } | undefined; has(dataId: tf.DataId): boolean };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}
type BinaryExport = (aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, dtype: number, outId: number) => void;
type BatchMatMulExport = (aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, transposeA: boolean, transposeB: boolean, outId: number) => void;
type FusedMatMulExport = (
  ...args: [aId: number, aShape: number, aRank: number, bId: number, bShape: number, bRank: number, transposeA: boolean, transposeB: boolean, activation: number, biasId: number, preluId: number, leakyreluAlpha: number, outId: number]
) => void;

/** One shape buffer per wasm instance: [a's shape | b's shape], MAX_RANK int32 each. */
const shapeBuffers = new WeakMap<WasmModule, number>();

/** Writes a's and b's shapes into the buffer; returns the byte offsets of the two. */
function writeShapes(backend: WasmBackend, aShape: readonly number[], bShape: readonly number[]): [number, number] {
  let at = shapeBuffers.get(backend.wasm);
  if (at === undefined) shapeBuffers.set(backend.wasm, (at = backend.wasm._malloc(2 * MAX_RANK * 4)));
  const heap = backend.wasm.HEAP32; // read after any allocation: growing memory replaces the view
  heap.set(aShape, at >> 2);
  heap.set(bShape, (at >> 2) + MAX_RANK);
  return [at, at + MAX_RANK * 4];
}

const idOf = (backend: WasmBackend, t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId)!.id;

/** a (op) b with broadcasting. */
function leanBinary(name: string, outDtype: 'bool' | undefined, original: tf.KernelFunc): tf.KernelFunc {
  return function leanBinaryKernel(args) {
    const backend = args.backend as WasmBackend;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const fn = backend.wasm[`_${name}`] as BinaryExport | undefined;
    const dtype = CPP_DTYPE[a.dtype];
    if (!fn || dtype === undefined || a.shape.length > MAX_RANK || b.shape.length > MAX_RANK) return original(args);
    const [aId, bId] = [idOf(backend, a), idOf(backend, b)];
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.makeOutput(shape, outDtype ?? a.dtype);
    if (tf.util.sizeFromShape(shape) === 0) return out;
    const [aAt, bAt] = writeShapes(backend, a.shape, b.shape);
    fn(aId, aAt, a.shape.length, bId, bAt, b.shape.length, dtype, idOf(backend, out));
    return out;
  };
}

/** Product of the dimensions before the last two (the batch of a matMul operand). */
function batchOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length - 2; i++) n *= shape[i];
  return n;
}

/** a b (either transposed) over broadcast batch dimensions; the operands go to wasm as rank 3. */
function leanBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return function leanBatchMatMulKernel(args) {
    const backend = args.backend as WasmBackend;
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const fn = backend.wasm._BatchMatMul as BatchMatMulExport | undefined;
    const [ra, rb] = [a.shape.length, b.shape.length];
    if (!fn || a.dtype !== 'float32' || b.dtype !== 'float32' || ra < 2 || rb < 2 || ra > MAX_RANK || rb > MAX_RANK) return original(args);
    const innerA = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const innerB = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    if (innerA !== innerB) return original(args); // tfjs's message
    const outerA = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const outerB = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    const outerDims = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const [batchA, batchB] = [batchOf(a.shape), batchOf(b.shape)];
    const [aId, bId] = [idOf(backend, a), idOf(backend, b)];
    const out = backend.makeOutput([Math.max(batchA, batchB), outerA, outerB], 'float32');
    const [aAt, bAt] = writeShapes(backend, [batchA, a.shape[ra - 2], a.shape[ra - 1]], [batchB, b.shape[rb - 2], b.shape[rb - 1]]);
    fn(aId, aAt, 3, bId, bAt, 3, transposeA, transposeB, idOf(backend, out));
    return { ...out, shape: [...outerDims, outerA, outerB] };
  };
}

/** activation(a b + bias) for rank-3 operands, as tf.fused.matMul hands them to the kernel. */
function leanFusedMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return function leanFusedMatMulKernel(args) {
    const backend = args.backend as WasmBackend;
    const { a, b, bias, preluActivationWeights: prelu } = args.inputs as Record<string, tf.TensorInfo | undefined> & { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as { transposeA: boolean; transposeB: boolean; activation: string; leakyreluAlpha?: number };
    const fn = backend.wasm.__FusedMatMul as FusedMatMulExport | undefined;
    const act = ACTIVATION[activation];
    const odd = !fn || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length !== 3 || b.shape.length !== 3 || act === undefined;
    if (odd || (bias != null && backend.dataIdMap.get(bias.dataId)!.shape.length !== 1)) return original(args); // tfjs's messages
    const [aId, bId] = [idOf(backend, a), idOf(backend, b)];
    const biasId = bias == null ? 0 : idOf(backend, bias);
    const preluId = prelu == null ? 0 : idOf(backend, prelu);
    const left = transposeA ? a.shape[2] : a.shape[1];
    const right = transposeB ? b.shape[1] : b.shape[2];
    const batch = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = backend.makeOutput([...batch, left, right], a.dtype);
    const [aAt, bAt] = writeShapes(backend, a.shape, b.shape);
    fn(aId, aAt, 3, bId, bAt, 3, transposeA, transposeB, act, biasId, preluId, leakyreluAlpha || 0, idOf(backend, out));
    return out;
  };
}

let installed = false;
const originals = new Map<string, tf.KernelFunc>();

/** tfjs's own kernel function for `name` on wasm, as it was before `leanWasmKernels` (for tests). */
export const tfjsWasmKernel = (name: string): tf.KernelFunc | undefined => originals.get(name);

/** The kernels replaced, and how each lean one is made from tfjs's. */
const LEAN: Record<string, (original: tf.KernelFunc) => tf.KernelFunc> = {
  ...Object.fromEntries(Object.entries(BINARY_KERNELS).map(([name, dtype]) => [name, (o: tf.KernelFunc) => leanBinary(name, dtype, o)])),
  BatchMatMul: leanBatchMatMul,
  _FusedMatMul: leanFusedMatMul,
};

/** The names of the kernels replaced. */
export const LEAN_KERNELS = Object.keys(LEAN);

/** Replaces wasm's registered kernels with the lean ones, once the wasm backend is loaded. Idempotent. */
export function leanWasmKernels(wasmVersion: string): void {
  if (installed || wasmVersion !== MIRRORED_WASM_VERSION) return;
  for (const [name, lean] of Object.entries(LEAN)) {
    const config = tf.getKernel(name, 'wasm');
    if (!config) continue;
    originals.set(name, config.kernelFunc);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: lean(config.kernelFunc) });
  }
  installed = true;
}
