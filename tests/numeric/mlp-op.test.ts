// The whole-network operation (provided/nets/mlp-op.ts) against TensorFlow.js's own autodiff through
// plain layers: the same outputs and the same gradients for every input and parameter, with every head,
// on whichever backend this project runs (wasm and cpu).
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../provided/runtime/backend';
import { Rng } from '../../provided/runtime/rng';
import { Mlp, criticValues, stateValues } from '../../provided/nets/mlp';
import { GaussianPolicy } from '../../provided/nets/gaussian';
import { mlpForward, type Head } from '../../provided/nets/mlp-op';
import { transposed } from '../../provided/nets/dense-grad';
import { engineKernels, valueKernels } from '../../provided/nets/kernels';
import { joinColumns } from '../../provided/nets/columns';
import { RLHW_MATMUL } from '../../provided/nets/matmul-wasm';

beforeAll(async () => {
  await initBackend();
});

/** head(MLP(x)) from plain differentiable ops, one layer at a time. */
function plainForward(x: tf.Tensor2D, params: tf.Tensor[], head: Head): tf.Tensor {
  let h: tf.Tensor2D = x;
  for (let l = 0; l < params.length / 2; l++) {
    h = tf.add(tf.matMul(h, params[2 * l] as tf.Tensor2D), params[2 * l + 1]);
    if (2 * l + 2 < params.length) h = tf.relu(h);
  }
  return head === 'tanh' ? tf.tanh(h) : head === 'squeeze' ? tf.squeeze(h, [1]) : h;
}

/** Output and gradients of sum(y * c) with respect to x and every parameter. */
function outputAndGrads(f: typeof plainForward, x: tf.Tensor2D, params: tf.Tensor[], head: Head, c: tf.Tensor) {
  const y = f(x, params, head);
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(xs[0] as tf.Tensor2D, xs.slice(1), head), c)))([x, ...params]);
  return [y, ...grads].map((t) => Array.from(t.dataSync()));
}

/** |actual - expected| <= atol + rtol |expected|, the grader's tolerance for unit cases (float32 sums
 * over a batch of 256 in a different order differ by ~1e-5). */
function expectAllClose(actual: number[][], expected: number[][], atol = 1e-5, rtol = 1e-4): void {
  expect(actual.map((a) => a.length)).toEqual(expected.map((e) => e.length));
  actual.forEach((a, k) =>
    a.forEach((v, i) => {
      const e = expected[k][i];
      if (!(Math.abs(v - e) <= atol + rtol * Math.abs(e))) throw new Error(`tensor ${k} element ${i}: got ${v}, expected ${e}`);
    }),
  );
}

/** head(MLP(x)) and its gradients for loss sum(y * c), in float64 JavaScript: an independent reference. */
function float64Reference(x: number[][], weights: number[][][], biases: number[][], head: Head, c: number[][]) {
  const L = weights.length;
  const hs: number[][][] = [x];
  for (let l = 0; l < L; l++) {
    const [W, b] = [weights[l], biases[l]];
    const z = hs[l].map((row) => b.map((bj, j) => bj + row.reduce((s, v, i) => s + v * W[i][j], 0)));
    hs.push(l + 1 < L ? z.map((r) => r.map((v) => Math.max(v, 0))) : z);
  }
  const out = hs[L];
  const y = head === 'tanh' ? out.map((r) => r.map(Math.tanh)) : out;
  let dz = y.map((r, i) => r.map((v, j) => (head === 'tanh' ? c[i][j] * (1 - v * v) : c[i][j])));
  const grads: number[][][] = [];
  for (let l = L - 1; l >= 0; l--) {
    const W = weights[l];
    const h = hs[l];
    grads[1 + 2 * l] = W.map((_, i) => W[0].map((_, j) => h.reduce((s, row, n) => s + row[i] * dz[n][j], 0)));
    grads[2 + 2 * l] = [W[0].map((_, j) => dz.reduce((s, row) => s + row[j], 0))];
    const dh = dz.map((row) => W.map((wi) => wi.reduce((s, v, j) => s + v * row[j], 0)));
    dz = l > 0 ? dh.map((row, n) => row.map((v, i) => (h[n][i] > 0 ? v : 0))) : dh;
  }
  grads[0] = dz;
  return [y, ...grads].map((m) => m.flat());
}

describe('mlpForward', () => {
  const cases: Array<[string, number[], number, Head]> = [
    ['linear layer only', [3, 2], 5, 'linear'],
    ['two hidden layers', [3, 16, 16, 2], 7, 'linear'],
    ['critic head, batch 256', [6, 64, 64, 1], 256, 'squeeze'],
    ['policy head, batch 256', [4, 64, 64, 2], 256, 'tanh'],
    ['wide layers, batch 256', [17, 256, 256, 6], 256, 'linear'],
  ];
  it.each(cases)('%s: same output and gradients as plain layers', (_name, sizes, batch, head) => {
    tf.tidy(() => {
      const net = Mlp.create(new Rng(3), sizes);
      const rng = new Rng(4);
      net.params.forEach((p, i) => i % 2 === 1 && p.assign(tf.tensor(rng.normals(p.size), p.shape))); // non-zero biases
      const x = tf.tensor2d(rng.normals(batch * sizes[0]), [batch, sizes[0]]);
      const outShape = head === 'squeeze' ? [batch] : [batch, sizes[sizes.length - 1]];
      const c = tf.tensor(rng.normals(outShape.reduce((a, b) => a * b)), outShape);
      const ours = outputAndGrads(mlpForward, x, net.params, head, c);
      const theirs = outputAndGrads(plainForward, x, net.params, head, c);
      expectAllClose(ours, theirs);
      net.dispose();
    });
  });

  const float64Cases: Array<[Head, number, number[]]> = [
    ['linear', 300, [2, 8, 8, 3]],
    ['squeeze', 300, [5, 8, 8, 1]],
    ['tanh', 256, [2, 64, 64, 2]],
    ['squeeze', 256, [4, 64, 64, 1]],
  ];
  it.each(float64Cases)('%s head, batch %i, sizes %j: same output and gradients as a float64 reference', (head, batch, sizes) => {
    tf.tidy(() => {
      const out = sizes[sizes.length - 1];
      const net = Mlp.create(new Rng(11), sizes);
      const rng = new Rng(12);
      net.params.forEach((p, i) => i % 2 === 1 && p.assign(tf.tensor(rng.normals(p.size), p.shape)));
      const x = tf.tensor2d(rng.normals(batch * sizes[0]), [batch, sizes[0]]);
      const c = tf.tensor2d(rng.normals(batch * out), [batch, out]);
      const cHead = head === 'squeeze' ? tf.reshape(c, [batch]) : c;
      const ours = outputAndGrads(mlpForward, x, net.params, head, cHead);
      const rows = (t: tf.Tensor) => t.arraySync() as number[][];
      const weights = net.params.filter((_, i) => i % 2 === 0).map(rows);
      const biases = net.params.filter((_, i) => i % 2 === 1).map((b) => Array.from(b.dataSync()));
      const theirs = float64Reference(rows(x), weights, biases, head, rows(c));
      expectAllClose(ours, theirs);
      net.dispose();
    });
  });

  it('leaks no tensor and no backend data, with and without a gradient, with every head', () => {
    // Kernels that run on the backend directly (kernels.ts) make data the engine does not count:
    // the backend's own count of data buffers must come back too.
    const buffers = () => (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
    for (const [head, sizes] of [['squeeze', [3, 8, 8, 1]], ['tanh', [3, 8, 8, 2]], ['linear', [3, 8, 2]]] as Array<[Head, number[]]>) {
      const net = Mlp.create(new Rng(5), sizes);
      const x = tf.variable(tf.ones([4, 3])) as tf.Variable<tf.Rank.R2>;
      const [tensors, data] = [tf.memory().numTensors, buffers()];
      tf.dispose(mlpForward(x, net.params, head));
      for (const vars of [net.params, [...net.params, x]]) {
        const { value, grads } = tf.variableGrads(() => tf.sum(mlpForward(x, net.params, head)) as tf.Scalar, vars as tf.Variable[]);
        tf.dispose([value, ...Object.values(grads)]);
      }
      expect([tf.memory().numTensors, buffers()]).toEqual([tensors, data]);
      net.dispose();
      x.dispose();
    }
  });

  it('runs the backward pass and unrecorded forward passes on the backend directly on wasm and cpu', () => {
    const k = valueKernels();
    k.done();
    expect(k).not.toBe(engineKernels);
    // While a tape records, kernels go through the engine.
    tf.grad((z: tf.Tensor) => {
      expect(valueKernels()).toBe(engineKernels);
      return tf.sum(z);
    })(tf.ones([2]));
  });

  it('passes gradients through its input: Q(s, mu(s)) to the policy', () => {
    tf.tidy(() => {
      const critic = Mlp.create(new Rng(6), [5, 16, 1]);
      const policy = GaussianPolicy.create(new Rng(7), 3, [16], 2);
      const s = tf.tensor2d(new Rng(8).normals(10 * 3), [10, 3]);
      const ours = tf.variableGrads(() => tf.mean(criticValues(critic, s, policy.mean(s))), policy.net.params as tf.Variable[]);
      const plain = (x: tf.Tensor2D) => plainForward(x, critic.params, 'squeeze');
      const theirs = tf.variableGrads(() => tf.mean(plain(tf.concat([s, plainForward(s, policy.net.params, 'tanh') as tf.Tensor2D], 1))), policy.net.params as tf.Variable[]);
      expectAllClose(Object.values(ours.grads).map((g) => Array.from(g.dataSync())), Object.values(theirs.grads).map((g) => Array.from(g.dataSync())));
    });
  });

  it('makes the input gradient only when something asks for it', async () => {
    const net = Mlp.create(new Rng(16), [3, 8, 8, 1]);
    const x = tf.variable(tf.tensor2d(new Rng(17).normals(6 * 3), [6, 3]));
    const before = tf.memory().numTensors;
    /** Products (tfjs's or the kit's, matmul-wasm.ts) dispatched by one gradient of sum(V(x)) with respect to `vars`, and the weights' gradients. */
    const run = async (vars: tf.Variable[]) => {
      let grads: number[][] = [];
      const info = await tf.profile(() => {
        const { value, grads: g } = tf.variableGrads(() => tf.sum(stateValues(net, x)), vars);
        grads = net.params.map((p) => Array.from(g[p.name].dataSync()));
        tf.dispose([value, ...Object.values(g)]);
      });
      return { kernels: info.kernels.map((k) => k.name).filter((n) => n === 'BatchMatMul' || n === RLHW_MATMUL).length, grads };
    };
    const paramsOnly = await run(net.params);
    const withInput = await run([...net.params, x]);
    expect(withInput.kernels).toBe(paramsOnly.kernels + 1); // dL/dx = dz_0 W_0^T, and nothing else
    expectAllClose(paramsOnly.grads, withInput.grads);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
    x.dispose();
  });

  it('has the same second derivatives as plain layers (its backward pass is recorded when asked)', () => {
    tf.tidy(() => {
      const net = Mlp.create(new Rng(14), [3, 8, 8, 1]);
      const rng = new Rng(15);
      net.params.forEach((p, i) => i % 2 === 1 && p.assign(tf.tensor(rng.normals(p.size), p.shape)));
      const x = tf.tensor2d(rng.normals(6 * 3), [6, 3]);
      const c = tf.tensor2d(rng.normals(6 * 3), [6, 3]);
      // h(x) = sum(c * d/dx sum(V(x)^2)); dh/dx needs the gradient of the backward pass itself.
      const second = (f: typeof plainForward) => {
        const inner = tf.grad((z: tf.Tensor) => tf.sum(tf.square(f(z as tf.Tensor2D, net.params, 'squeeze'))));
        return Array.from(tf.grad((z: tf.Tensor) => tf.sum(tf.mul(inner(z), c)))(x).dataSync());
      };
      expectAllClose([second(mlpForward)], [second(plainForward)]);
      net.dispose();
    });
  });

  it("gives the same gradients when a one-output layer's W is also a plain matMul's right operand, in either order", () => {
    // wasm's XNNPACK caches a right operand packed by its data's id, not its shape, and saved tensors
    // share their data (wasm-identity.ts): reading W [64, 1] as [1, 64] in a matMul corrupted memory.
    tf.tidy(() => {
      const net = Mlp.create(new Rng(18), [4, 64, 64, 1]);
      const rng = new Rng(19);
      const x = tf.tensor2d(rng.normals(256 * 4), [256, 4]);
      const c = tf.tensor(rng.normals(256), [256]);
      const grads = (f: typeof plainForward) => outputAndGrads(f, x, net.params, 'squeeze', c);
      const [ours, theirs, oursAgain] = [grads(mlpForward), grads(plainForward), grads(mlpForward)];
      expectAllClose(ours, theirs);
      expect(oursAgain).toEqual(ours);
      net.dispose();
    });
  });

  it('refuses a critic with more than one output', () => {
    const net = Mlp.create(new Rng(9), [2, 3]);
    expect(() => stateValues(net, tf.ones([1, 2]) as tf.Tensor2D)).toThrow(/one output/);
    net.dispose();
  });
});

describe('transposed', () => {
  it.each([[256, 64], [256, 256], [96, 128], [7, 3], [256, 6]])('transposes [%i, %i] exactly', (rows, cols) => {
    tf.tidy(() => {
      const a = tf.tensor2d(new Rng(10).normals(rows * cols), [rows, cols]);
      const t = transposed(engineKernels, a, rows, cols);
      expect(t.size).toBe(rows * cols);
      expect(Array.from(t.dataSync())).toEqual(Array.from(tf.transpose(a).dataSync()));
    });
  });
});

describe('joinColumns', () => {
  it('equals tf.concat along columns, and splits the gradient back', () => {
    tf.tidy(() => {
      const rng = new Rng(13);
      const [a, b] = [tf.tensor2d(rng.normals(5 * 3), [5, 3]), tf.tensor2d(rng.normals(5 * 2), [5, 2])];
      expect(Array.from(joinColumns(a, b).dataSync())).toEqual(Array.from(tf.concat([a, b], 1).dataSync()));
      const c = tf.tensor2d(rng.normals(5 * 5), [5, 5]);
      const loss = (f: (x: tf.Tensor2D, y: tf.Tensor2D) => tf.Tensor) => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D, y as tf.Tensor2D), c)))([a, b]);
      const ours = loss(joinColumns).map((g) => Array.from(g.dataSync()));
      const theirs = loss((x, y) => tf.concat([x, y], 1)).map((g) => Array.from(g.dataSync()));
      expect(ours).toEqual(theirs);
    });
  });

  it('reports mismatched rows as tf.concat does', () => {
    expect(() => joinColumns(tf.ones([2, 1]) as tf.Tensor2D, tf.ones([3, 1]) as tf.Tensor2D)).toThrow();
  });
});
