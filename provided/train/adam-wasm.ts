// Adam's update on the wasm backend: one call of a small WebAssembly module (adam.wat) per
// parameter, working in the backend's own memory (no copy in or out), four elements at a time.
//
// Why: in JavaScript (adam.ts) the update was about 7% of an IQL step on the maze: every element
// pays for two divisions and a square root one at a time, plus a copy of the result into wasm
// memory. Here the moments live in wasm memory too, and the new value is written straight into
// the tensor that replaces the variable. The arithmetic is adam.ts's, in the same order, with each
// operation rounded to float32 once, so the parameters are bit-identical (tests/numeric/adam.test.ts).
import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from '../runtime/wasm-kernels';
import { heapModule } from '../runtime/heap-module';
import { ADAM_WASM } from './adam-wasm-bytes';

/** adam.wat's export: byte offsets of x, g, m, v, out (n float32 each), then the scalars. */
type AdamExport = (
  ...args: [x: number, g: number, m: number, v: number, out: number, n: number, b1: number, b2: number, omb1: number, omb2: number, c1: number, c2: number, eps: number, negLr: number]
) => void;

/** The scalars of one step, as float32 (see adam.ts). */
export interface AdamScalars {
  b1: number;
  b2: number;
  omb1: number;
  omb2: number;
  c1: number;
  c2: number;
  eps: number;
  negLr: number;
}

/** One parameter's moments, kept in wasm memory as tensors that only the optimizer holds. */
export interface HeapMoments {
  m: tf.Tensor;
  v: tf.Tensor;
}

const adamModule = heapModule<AdamExport>(ADAM_WASM, 'adam');

/** The update bound to the active wasm backend's memory; undefined on any other backend. */
export function wasmAdam(): WasmAdam | undefined {
  if (tf.getBackend() !== 'wasm') return undefined;
  const backend = tf.backend() as WasmBackend;
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory) || !adamModule.runs()) return undefined;
  const adam = adamModule.bound(memory);
  return new WasmAdam(backend, adam);
}

export class WasmAdam {
  constructor(
    private readonly backend: WasmBackend,
    private readonly adam: AdamExport,
  ) {}

  /** Zeroed moments for a parameter of `shape`. */
  moments(shape: number[]): HeapMoments {
    return { m: tf.keep(tf.zeros(shape, 'float32')), v: tf.keep(tf.zeros(shape, 'float32')) };
  }

  /** Updates `mo` in place and returns the parameter's next value, a new tensor. */
  adamUpdate(x: tf.Tensor, g: tf.Tensor, mo: HeapMoments, s: AdamScalars): tf.Tensor {
    const out = this.backend.makeOutput(x.shape, 'float32'); // may grow memory: offsets stay valid
    const at = (t: tf.TensorInfo): number => {
      const d = this.backend.dataIdMap.get(t.dataId);
      if (!d) throw new Error('FusedAdam: a tensor has no data in wasm memory');
      return d.memoryOffset;
    };
    this.adam(at(x), at(g), at(mo.m), at(mo.v), at(out), x.size, s.b1, s.b2, s.omb1, s.omb2, s.c1, s.c2, s.eps, s.negLr);
    return (tf.engine() as unknown as { makeTensorFromTensorInfo(t: tf.TensorInfo, b: tf.KernelBackend): tf.Tensor }).makeTensorFromTensorInfo(out, this.backend);
  }
}
