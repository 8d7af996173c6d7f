// Identity (tf.clone, and every tensor the gradient tape saves) shares its input's data on each backend
// this project runs: wasm through provided/runtime/wasm-identity.ts, cpu by its own kernel.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { shareWasmIdentity } from '../../provided/runtime/wasm-identity';

beforeAll(async () => {
  await initBackend();
});

const buffers = () => (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();

describe('Identity', () => {
  it('shares the data, which outlives the original and is freed with the last reference', () => {
    const before = buffers();
    const x = tf.tensor1d([1, -2, 3]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(buffers()).toBe(before + 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, -2, 3]);
    y.dispose();
    expect(buffers()).toBe(before);
  });

  it('keeps a variable and its clone apart when the variable is assigned', () => {
    const v = tf.variable(tf.tensor1d([1, 2]));
    const kept = tf.clone(v);
    v.assign(tf.tensor1d([5, 6]));
    expect([Array.from(kept.dataSync()), Array.from(v.dataSync())]).toEqual([[1, 2], [5, 6]]);
    tf.dispose([v, kept]);
  });

  it('still copies strings, and installs once', () => {
    shareWasmIdentity();
    shareWasmIdentity();
    const s = tf.tensor1d(['a', 'b'], 'string');
    const t = tf.clone(s);
    s.dispose();
    expect(t.dataSync()).toEqual(['a', 'b']);
    t.dispose();
  });

  it('frees what the tape saved once the gradient is taken', () => {
    const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]]));
    const x = tf.tensor2d([[1, 0], [0, 1]]);
    const [tensors, data] = [tf.memory().numTensors, buffers()];
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(x, w))), [w]);
    expect(Array.from(grads[w.name].dataSync())).toEqual([2, 4, 6, 8]);
    tf.dispose([value, grads[w.name]]);
    expect([tf.memory().numTensors, buffers()]).toEqual([tensors, data]);
    tf.dispose([w, x]);
  });
});
