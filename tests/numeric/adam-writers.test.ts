// FusedAdam reads each variable's current value in place (on wasm, a view of wasm memory): with
// other writers between its steps (a soft update, a copy, the grader setting parameters) it must
// still move parameters exactly as tf.train.adam does.
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp } from '../../provided/nets/mlp';
import { FusedAdam } from '../../provided/train/adam';

beforeAll(async () => {
  await initBackend();
});

/** Steps of `opt` on a fixed regression problem, with every third step preceded by an outside write. */
function train(opt: tf.Optimizer, steps: number): Float32Array[] {
  const net = Mlp.create(new Rng(21), [3, 8, 2]);
  const rng = new Rng(22);
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      if (i % 3 === 2) net.params.forEach((p) => p.assign(tf.mul(p, 0.97))); // another writer
      const x = tf.tensor2d(rng.normals(16 * 3), [16, 3]);
      const y = tf.tensor2d(rng.normals(16 * 2), [16, 2]);
      opt.minimize(() => tf.mean(tf.square(tf.sub(net.apply(x), y))), false, net.params);
    });
  }
  const out = net.snapshot().map((p) => Float32Array.from(p));
  net.dispose();
  opt.dispose();
  return out;
}

const bits = (ps: Float32Array[]) => ps.map((p) => Array.from(new Uint32Array(p.buffer, p.byteOffset, p.length)));

test('FusedAdam reads values written by others and stays bit-identical to tf.train.adam', () => {
  expect(bits(train(new FusedAdam(1e-2), 20))).toEqual(bits(train(tf.train.adam(1e-2), 20)));
});
