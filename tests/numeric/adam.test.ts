// FusedAdam (provided/train/adam.ts) must move parameters exactly as tf.train.adam does: the same
// float32 bits after many steps, on whichever backend this project runs (wasm and cpu). On wasm
// the update runs as WebAssembly (provided/train/adam.wat), whose committed bytes must be the .wat's.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp } from '../../provided/nets/mlp';
import { FusedAdam } from '../../provided/train/adam';
import { wasmAdam } from '../../provided/train/adam-wasm';
import { WASM_MODULES, assemble, generatedSource } from '../../scripts/build-wasm';

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

  it('matches on parameters of every length mod 4 (the WebAssembly loop does four at a time)', () => {
    const run = (opt: tf.Optimizer): Float32Array[] => {
      const rng = new Rng(3);
      const ps = [1, 2, 3, 4, 5, 7, 9, 66].map((n) => tf.variable(tf.tensor1d(rng.normals(n))));
      for (let i = 0; i < 12; i++) opt.minimize(() => tf.addN(ps.map((p, j) => tf.sum(tf.mul(tf.square(p), j + 1)))) as tf.Scalar, false, ps);
      const out = ps.map((p) => p.dataSync() as Float32Array);
      tf.dispose(ps);
      opt.dispose();
      return out;
    };
    expect(bits(run(new FusedAdam(5e-2)))).toEqual(bits(run(tf.train.adam(5e-2))));
  });

  it('refuses a gradient whose shape is not its variable\'s (it would read past the gradient)', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const opt = new FusedAdam(0.1);
    expect(() => opt.applyGradients({ [v.name]: tf.tensor1d([1, 2]) })).toThrow(/gradient of .* has shape \[2\], the variable \[3\]/);
    expect(Array.from(v.dataSync())).toEqual([1, 2, 3]);
    opt.dispose();
    v.dispose();
  });

  it('runs as WebAssembly on wasm, and in JavaScript elsewhere', () => {
    expect(wasmAdam() !== undefined).toBe(tf.getBackend() === 'wasm');
  });

  it('changes only the variables it is given and leaks no tensor', () => {
    const a = tf.variable(tf.tensor1d([1, 2, 3]));
    const b = tf.variable(tf.tensor1d([4, 5]));
    const opt = new FusedAdam(0.1);
    const before = tf.memory().numTensors;
    opt.minimize(() => tf.add(tf.sum(tf.square(a)), tf.sum(b)), false, [a]);
    const afterFirst = tf.memory().numTensors; // plus the moments, where they are tensors (wasm)
    expect(afterFirst - before).toBe(tf.getBackend() === 'wasm' ? 2 : 0);
    expect(Array.from(b.dataSync())).toEqual([4, 5]);
    // First Adam step moves every coordinate by lr against the gradient's sign.
    Array.from(a.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(i + 1 - 0.1, 5));
    expect(opt.iterations).toBe(1);
    opt.minimize(() => tf.add(tf.sum(tf.square(a)), tf.sum(b)), false, [a]);
    expect(tf.memory().numTensors).toBe(afterFirst);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    [a, b].forEach((v) => v.dispose());
  });
});

describe('the committed WebAssembly', () => {
  it.each(WASM_MODULES)('$out holds the bytes of $wat', async (m) => {
    const root = path.resolve(__dirname, '../..');
    const text = generatedSource(m, await assemble(path.join(root, m.wat)));
    expect(fs.readFileSync(path.join(root, m.out), 'utf8')).toBe(text);
  });
});
