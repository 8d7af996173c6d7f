// FusedAdam (provided/train/adam.ts) must move parameters exactly as tf.train.adam does: the same
// float32 bits after many steps, on whichever backend this project runs (wasm and cpu).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp } from '../../provided/nets/mlp';
import { FusedAdam } from '../../provided/train/adam';

beforeAll(async () => {
  await initBackend();
});

/** Trains a copy of one MLP with `opt` on a fixed regression problem; returns the parameters. */
function train(opt: tf.Optimizer, steps: number, lossScale = 1): Float32Array[] {
  const net = Mlp.create(new Rng(7), [3, 16, 16, 2]);
  const rng = new Rng(8);
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const x = tf.tensor2d(rng.normals(32 * 3), [32, 3]);
      const y = tf.tensor2d(rng.normals(32 * 2), [32, 2]);
      opt.minimize(() => tf.mul(lossScale, tf.mean(tf.square(tf.sub(net.apply(x), y)))), false, net.params);
    });
  }
  const out = net.snapshot();
  net.dispose();
  opt.dispose();
  return out;
}

const bits = (ps: Float32Array[]) => ps.map((p) => Array.from(new Uint32Array(p.buffer, p.byteOffset, p.length)));

describe('FusedAdam', () => {
  it('gives bit-identical parameters to tf.train.adam after 60 steps', () => {
    const ours = train(new FusedAdam(1e-2), 60);
    const theirs = train(tf.train.adam(1e-2), 60);
    expect(bits(ours)).toEqual(bits(theirs));
  });

  it('matches with other betas, epsilon and tiny gradients too', () => {
    const ours = train(new FusedAdam(3e-3, 0.8, 0.99, 1e-5), 25, 1e-6);
    const theirs = train(tf.train.adam(3e-3, 0.8, 0.99, 1e-5), 25, 1e-6);
    expect(bits(ours)).toEqual(bits(theirs));
  });

  it('changes only the variables it is given and leaks no tensor', () => {
    const a = tf.variable(tf.tensor1d([1, 2, 3]));
    const b = tf.variable(tf.tensor1d([4, 5]));
    const opt = new FusedAdam(0.1);
    const before = tf.memory().numTensors;
    opt.minimize(() => tf.add(tf.sum(tf.square(a)), tf.sum(b)), false, [a]);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(b.dataSync())).toEqual([4, 5]);
    // First Adam step moves every coordinate by lr against the gradient's sign.
    Array.from(a.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(i + 1 - 0.1, 5));
    expect(opt.iterations).toBe(1);
    [a, b].forEach((v) => v.dispose());
  });
});
