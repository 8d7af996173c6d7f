// The lean kernels of provided/runtime/wasm-kernels.ts must give what tfjs-backend-wasm's own
// give, bit for bit, dtype and shape included: every binary kernel with every input dtype it takes,
// broadcasting of every kind, empty tensors and ranks past the shape buffer; the matMuls with every
// transpose, batch broadcasting, bias and activation; and after wasm memory grows.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { BINARY_KERNELS, LEAN_KERNELS, tfjsWasmKernel } from '../../provided/runtime/wasm-kernels';

beforeAll(async () => {
  await initBackend('wasm');
});

type Backend = tf.KernelBackend & { readSync(dataId: tf.DataId): tf.TypedArray; disposeData(dataId: tf.DataId): boolean };

const SHAPES: [number[], number[]][] = [
  [[5], [5]],
  [[2, 3], [3]],
  [[3], [2, 3]],
  [[2, 1, 4], [3, 1]],
  [[], [4]],
  [[4], []],
  [[], []],
  [[0, 3], [3]],
  [[1, 2, 1, 2, 1, 2], [2, 1, 2, 1, 2, 1]], // rank 6: the shape buffer's limit (and XNNPACK's)
];

/** Past rank 6 the lean kernel hands over to tfjs's (whose float32 path fails there: XNNPACK's limit). */
const DEEP: [number[], number[]] = [[1, 1, 1, 1, 1, 1, 2, 2], [2]];

/** Input dtypes each kernel takes in tfjs (BitwiseAnd: int32 only; the logical ones: bool only). */
function dtypesOf(name: string): tf.DataType[] {
  if (name === 'BitwiseAnd') return ['int32'];
  if (name.startsWith('Logical')) return ['bool'];
  if (['Atan2', 'RealDiv', 'Pow'].includes(name)) return ['float32'];
  return ['float32', 'int32'];
}

/** Values with negatives, zeros and (for floats) fractions, NaN and infinities. */
function values(n: number, dtype: tf.DataType, salt: number): number[] {
  const special = [0, -0, NaN, Infinity, -Infinity, 0.5, -2.25];
  return Array.from({ length: n }, (_, i) => {
    const k = (i * 7 + salt * 3) % 11;
    if (dtype === 'bool') return k % 2;
    if (dtype === 'int32') return k - 5 || 7; // no zero: int32 Mod and FloorDiv trap on it, in tfjs's kernel too
    return i % 5 === 4 ? special[(i + salt) % special.length] : (k - 5) * 0.75;
  });
}

type Output = { dtype: string; shape: number[]; bytes: number[] };

function viaTfjs(name: string, a: tf.Tensor, b: tf.Tensor, more: tf.NamedTensorMap = {}, attrs: object = {}): Output {
  const backend = tf.backend() as Backend;
  const out = tfjsWasmKernel(name)!({ inputs: { a, b, ...more }, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  const data = backend.readSync(out.dataId) as tf.TypedArray;
  backend.disposeData(out.dataId);
  return { dtype: out.dtype, shape: out.shape, bytes: Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
}

function viaEngine(name: string, a: tf.Tensor, b: tf.Tensor, more: tf.NamedTensorMap = {}, attrs: object = {}): Output {
  const out = tf.engine().runKernel(name, { a, b, ...more }, attrs as tf.NamedAttrMap) as tf.Tensor;
  const data = out.dataSync();
  out.dispose();
  return { dtype: out.dtype, shape: out.shape, bytes: Array.from(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) };
}

const normals = (shape: number[], salt: number): tf.Tensor => tf.tensor(values(tf.util.sizeFromShape(shape), 'float32', salt).map((v, i) => v + ((i % 3) - 1) * 0.37), shape);

describe('lean wasm kernels', () => {
  it('replace every binary kernel tfjs-backend-wasm registers, and the matMuls', () => {
    expect(LEAN_KERNELS).toEqual(expect.arrayContaining(['BatchMatMul', '_FusedMatMul', ...Object.keys(BINARY_KERNELS)]));
    for (const name of LEAN_KERNELS) {
      const original = tfjsWasmKernel(name);
      expect([name, typeof original]).toEqual([name, 'function']);
      expect(tf.getKernel(name, 'wasm')!.kernelFunc).not.toBe(original);
    }
  });

  it.each(Object.keys(BINARY_KERNELS))('%s gives tfjs-backend-wasm\'s output, bit for bit', (name) => {
    for (const dtype of dtypesOf(name)) {
      for (const [sa, sb] of SHAPES) {
        const a = tf.tensor(values(tf.util.sizeFromShape(sa), dtype, 1), sa, dtype);
        const b = tf.tensor(values(tf.util.sizeFromShape(sb), dtype, 2), sb, dtype);
        expect({ name, input: dtype, sa, sb, ...viaEngine(name, a, b) }).toEqual({ name, input: dtype, sa, sb, ...viaTfjs(name, a, b) });
        tf.dispose([a, b]);
      }
    }
  });

  it('BatchMatMul gives tfjs-backend-wasm\'s output with every transpose and batch broadcast', () => {
    const cases: [number[], number[]][] = [
      [[4, 3], [3, 5]],
      [[1, 4, 3], [1, 3, 5]],
      [[2, 4, 3], [1, 3, 5]],
      [[1, 4, 3], [3, 3, 5]],
      [[2, 2, 4, 3], [2, 1, 3, 5]],
      [[256, 1], [1, 64]],
      [[0, 3], [3, 2]],
    ];
    for (const [sa, sb] of cases) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const t = (s: number[], flip: boolean) => (flip ? [...s.slice(0, -2), s[s.length - 1], s[s.length - 2]] : s);
          const [a, b] = [normals(t(sa, transposeA), 1), normals(t(sb, transposeB), 2)];
          const attrs = { transposeA, transposeB };
          expect({ sa, sb, ...attrs, ...viaEngine('BatchMatMul', a, b, {}, attrs) }).toEqual({ sa, sb, ...attrs, ...viaTfjs('BatchMatMul', a, b, {}, attrs) });
          tf.dispose([a, b]);
        }
      }
    }
  });

  it('_FusedMatMul gives tfjs-backend-wasm\'s output with every activation, with and without a bias', () => {
    const activations = ['linear', 'relu', 'relu6', 'prelu', 'leakyrelu', 'sigmoid', 'elu'];
    for (const [sa, sb] of [[[1, 6, 4], [1, 4, 5]], [[2, 6, 4], [1, 4, 5]], [[1, 256, 17], [1, 17, 64]]] as [number[], number[]][]) {
      for (const activation of activations) {
        for (const withBias of [false, true]) {
          for (const transposeB of [false, true]) {
            const b = normals(transposeB ? [sb[0], sb[2], sb[1]] : sb, 2);
            const a = normals(sa, 1);
            const more: tf.NamedTensorMap = {};
            if (withBias) more.bias = normals([sb[2]], 3);
            if (activation === 'prelu') more.preluActivationWeights = normals([sb[2]], 4);
            const attrs = { transposeA: false, transposeB, activation, leakyreluAlpha: activation === 'leakyrelu' ? 0.3 : 0 };
            const label = { sa, activation, withBias, transposeB };
            expect({ ...label, ...viaEngine('_FusedMatMul', a, b, more, attrs) }).toEqual({ ...label, ...viaTfjs('_FusedMatMul', a, b, more, attrs) });
            tf.dispose([a, b, ...Object.values(more)]);
          }
        }
      }
    }
  });

  it('report errors with tfjs\'s own messages', () => {
    const [a, b] = [tf.ones([2, 3]), tf.ones([4, 5])];
    expect(() => tf.matMul(a, b)).toThrow(/inner shapes \(3\) and \(4\)/);
    expect(() => tf.engine().runKernel('BatchMatMul', { a, b }, { transposeA: false, transposeB: false })).toThrow(/inner shapes \(3\) and \(4\)/);
    expect(() => tf.add(tf.ones([2, 3]), tf.ones([4]))).toThrow(/broadcast/);
    tf.dispose([a, b]);
  });

  it('hands ranks past 6 to tfjs\'s own kernel', () => {
    const a = tf.tensor(values(4, 'int32', 1), DEEP[0], 'int32');
    const b = tf.tensor(values(2, 'int32', 2), DEEP[1], 'int32');
    expect(viaEngine('Add', a, b)).toEqual(viaTfjs('Add', a, b));
    expect(Array.from(tf.add(a, b).dataSync())).toEqual(Array.from(a.dataSync()).map((x, i) => x + b.dataSync()[i % 2]));
    tf.dispose([a, b]);
  });

  it('still reads the right shapes after wasm memory grows', () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.tensor1d([10, 20, 30]);
    const before = (tf.backend() as unknown as { wasm: { HEAP32: Int32Array } }).wasm.HEAP32.buffer;
    const big = tf.zeros([64 * 1024 * 1024]); // 256 MB: more than the memory holds now
    const after = (tf.backend() as unknown as { wasm: { HEAP32: Int32Array } }).wasm.HEAP32.buffer;
    expect(after).not.toBe(before);
    const sum = tf.add(a, b);
    expect(Array.from(sum.dataSync())).toEqual([11, 22, 33, 14, 25, 36]);
    tf.dispose([a, b, big, sum]);
  });

  it('leave no data behind', () => {
    const buffers = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const before = buffers();
    tf.tidy(() => {
      tf.mul(tf.sub(tf.tensor1d([1, 2]), tf.scalar(3)), tf.tensor2d([[1], [2]]));
    });
    expect(buffers()).toBe(before);
  });
});
