// RlhwMatMul (provided/nets/matmul.wat through matmul-wasm.ts): a network's products on wasm
// without XNNPACK's packing, forward (bias and ReLU fused) and backward. They must be bit-identical
// to the tfjs products they replace (dense-grad.ts picks the order of each), for every shape a
// network can have: widths that are not multiples of the 4 x 8 tiles, batches around the naive
// loop's 48-long blocks, one output, empty; and for NaN, infinities and signed zeros.
// Run on wasm: the kernel exists only there (on cpu, the second test checks it is not used).
import * as tf from '@tensorflow/tfjs';
import { initBackend, backendName } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { mlpForward, type Head } from '../../provided/nets/mlp-op';
import { RLHW_MATMUL, registerWasmMatMul, wasmMatMulReady } from '../../provided/nets/matmul-wasm';

beforeAll(async () => {
  await initBackend();
});

const onWasm = (): boolean => backendName() === 'wasm';

/** Runs `f` with RlhwMatMul unregistered (the tfjs products dense-grad.ts used before it). */
function withoutOwnProducts<T>(f: () => T): T {
  const config = tf.getKernel(RLHW_MATMUL, 'wasm')!;
  tf.unregisterKernel(RLHW_MATMUL, 'wasm');
  try {
    return f();
  } finally {
    tf.registerKernel(config);
  }
}

function randomTensor(rng: Rng, shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.normal()), shape);
}

/** y and the gradients of sum(y * c) for x and every parameter, as raw float32 bits. */
function gradBits(x: tf.Tensor2D, params: tf.Tensor[], head: Head, c: tf.Tensor): Int32Array[] {
  return tf.tidy(() => {
    const y = mlpForward(x, params, head);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(mlpForward(xs[0] as tf.Tensor2D, xs.slice(1), head), c)))([x, ...params]);
    return [y, ...grads].map((t) => new Int32Array((t.dataSync() as Float32Array).slice().buffer));
  });
}

/** Network shapes: [input, ...hidden, output], with the batch. */
const SHAPES: Array<[number[], number]> = [
  [[2, 64, 64, 1], 256], // maze critic-like: narrow input, one output
  [[4, 64, 64, 2], 256],
  [[17, 64, 64, 6], 256], // 17 obs / 6 act policy
  [[23, 64, 64, 1], 256],
  [[3, 13, 7, 5], 47],
  [[5, 9, 3], 48],
  [[1, 8, 4, 1], 49],
  [[6, 33, 17, 9], 97],
  [[2, 12, 1], 1],
  [[7, 5, 11], 3],
  [[32, 32, 32, 1], 128], // the grading's sizes
];

describe('RlhwMatMul', () => {
  it('is registered on wasm and used by the backward pass there', () => {
    if (!onWasm()) {
      expect(wasmMatMulReady()).toBe(false);
      return;
    }
    expect(wasmMatMulReady()).toBe(true);
    const rng = new Rng(5);
    const x = randomTensor(rng, [16, 8]) as tf.Tensor2D;
    const params = [randomTensor(rng, [8, 12]), randomTensor(rng, [12]), randomTensor(rng, [12, 3]), randomTensor(rng, [3])];
    const config = tf.getKernel(RLHW_MATMUL, 'wasm')!;
    let calls = 0;
    tf.unregisterKernel(RLHW_MATMUL, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: (args) => (calls++, config.kernelFunc(args)) });
    try {
      tf.tidy(() => tf.grads((...ps: tf.Tensor[]) => tf.sum(mlpForward(x, ps, 'linear')))(params));
    } finally {
      tf.unregisterKernel(RLHW_MATMUL, 'wasm');
      tf.registerKernel(config);
    }
    expect(calls).toBe(7); // the two layers forward; h^T dz and 1^T dz for each, and dz W^T for the second
    registerWasmMatMul(); // idempotent
    expect(tf.getKernel(RLHW_MATMUL, 'wasm')).toBe(config);
  });

  it.each(SHAPES)('gives bit-identical outputs and gradients to tfjs products: layers %j, batch %d', (sizes, batch) => {
    if (!onWasm()) return;
    const rng = new Rng(sizes.reduce((a, b) => 31 * a + b, batch));
    const x = randomTensor(rng, [batch, sizes[0]]) as tf.Tensor2D;
    const params: tf.Tensor[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) params.push(randomTensor(rng, [sizes[l], sizes[l + 1]]), randomTensor(rng, [sizes[l + 1]]));
    const out = sizes[sizes.length - 1];
    for (const head of (out === 1 ? ['squeeze', 'linear'] : ['linear', 'tanh']) as Head[]) {
      const c = randomTensor(rng, head === 'squeeze' ? [batch] : [batch, out]);
      const ours = gradBits(x, params, head, c);
      const theirs = withoutOwnProducts(() => gradBits(x, params, head, c));
      expect(ours.length).toBe(theirs.length);
      ours.forEach((bits, i) => {
        const diff = bits.findIndex((v, j) => v !== theirs[i][j]);
        if (diff >= 0 || bits.length !== theirs[i].length) throw new Error(`${head}: tensor ${i} differs at element ${diff}`);
      });
    }
  });

  it('keeps NaN, infinities and signed zeros as tfjs does, with ReLU and without', () => {
    if (!onWasm()) return;
    const special = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-40, 3.5e38, -2];
    const x = tf.tensor2d(Array.from({ length: 9 * 3 }, (_, i) => special[(i * 7) % special.length]), [9, 3]);
    const w0 = tf.tensor2d([1, -1, 0, -0, 2, 1e-39, -3, 0.5, 1e30, -1e30, 4, -0.25], [3, 4]);
    const b0 = tf.tensor1d([-0, 0, -0, 1]);
    const w1 = tf.tensor2d([-1, 0, 2, -0, 1, 1, -1, 3], [4, 2]);
    const b1 = tf.tensor1d([-0, -0]);
    for (const head of ['linear', 'tanh'] as Head[]) {
      const bits = () => tf.tidy(() => new Int32Array((mlpForward(x, [w0, b0, w1, b1], head).dataSync() as Float32Array).slice().buffer));
      expect(Array.from(bits())).toEqual(Array.from(withoutOwnProducts(bits)));
    }
  });

  it('still multiplies right after wasm memory grows', () => {
    if (!onWasm()) return;
    const rng = new Rng(9);
    const x = randomTensor(rng, [50, 7]) as tf.Tensor2D;
    const params = [randomTensor(rng, [7, 9]), randomTensor(rng, [9]), randomTensor(rng, [9, 3]), randomTensor(rng, [3])];
    const c = randomTensor(rng, [50, 3]);
    const before = gradBits(x, params, 'linear', c);
    const memory = (tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm.asm.memory;
    const pages = memory.buffer.byteLength;
    const big = tf.zeros([64 * 1024 * 1024]); // 256 MiB: more than the heap holds yet
    expect(memory.buffer.byteLength).toBeGreaterThan(pages);
    expect(gradBits(x, params, 'linear', c).map((b) => Array.from(b))).toEqual(before.map((b) => Array.from(b)));
    big.dispose();
  });

  it('handles an empty batch and a zero-length sum', () => {
    if (!onWasm()) return;
    const filled = tf.tidy(() => {
      const out = tf.engine().runKernel(RLHW_MATMUL, { a: tf.zeros([0, 3]), b: tf.zeros([0, 2]) }, { transposeA: true, kBlock: 48 } as never) as tf.Tensor;
      return { shape: out.shape, values: Array.from(out.dataSync()) };
    });
    expect(filled).toEqual({ shape: [3, 2], values: [0, 0, 0, 0, 0, 0] });
    const biased = tf.tidy(() => {
      const out = tf.engine().runKernel(RLHW_MATMUL, { a: tf.zeros([2, 0]), b: tf.zeros([0, 3]), bias: tf.tensor1d([-1, 2, NaN]) }, { transposeA: false, kBlock: 8, relu: true } as never) as tf.Tensor;
      return Array.from(out.dataSync());
    });
    expect(biased).toEqual([0, 2, 0, 0, 2, 0]);
    const noBlock = tf.tidy(() => Array.from((tf.engine().runKernel(RLHW_MATMUL, { a: tf.ones([1, 3]), b: tf.ones([3, 2]) }, { transposeA: false } as never) as tf.Tensor).dataSync()));
    expect(noBlock).toEqual([3, 3]); // no kBlock: one block (not a loop that never ends)
    const none = tf.tidy(() => (tf.engine().runKernel(RLHW_MATMUL, { a: tf.zeros([0, 4]), b: tf.zeros([4, 3]) }, { transposeA: false, kBlock: 8 } as never) as tf.Tensor).shape);
    expect(none).toEqual([0, 3]);
  });

  it('rejects operands it cannot multiply with a clear message', () => {
    if (!onWasm()) return;
    const gone = tf.zeros([2, 3]);
    gone.dispose();
    expect(() => tf.engine().runKernel(RLHW_MATMUL, { a: { dataId: gone.dataId, shape: [2, 3], dtype: 'float32' } as never, b: tf.zeros([3, 2]) }, { transposeA: false, kBlock: 8 } as never)).toThrow(/no data in wasm memory/);
    expect(() => tf.engine().runKernel(RLHW_MATMUL, { a: tf.zeros([2, 3]), b: tf.zeros([4, 2]) }, { transposeA: false, kBlock: 8 } as never)).toThrow(/inner sizes differ \(3 and 4\)/);
    expect(() => tf.engine().runKernel(RLHW_MATMUL, { a: tf.zeros([2, 3, 1]), b: tf.zeros([3, 2]) }, { transposeA: false, kBlock: 8 } as never)).toThrow(/two float32 matrices/);
  });
});
