// Small helpers for the hand-computed numeric tests (not a test file itself).
import * as tf from '@tensorflow/tfjs';
import { Mlp } from '../../provided/nets/mlp';

/** 0.5 * log(2 pi), the Gaussian's per-dimension constant. */
export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI); // 0.91893853320467

type Num = number | ArrayLike<number>;
const list = (x: Num): number[] => (typeof x === 'number' ? [x] : Array.from(x));

/** Plain numbers of a tensor. */
export const read = (t: tf.Tensor): number[] => Array.from(t.dataSync());
export const t1 = (xs: number[]): tf.Tensor1D => tf.tensor1d(xs);
export const t2 = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows);

/** Every element within rel * max(1, |expected|) of the expected value (1e-5 relative by default). */
export function expectClose(actual: Num, expected: Num, rel = 1e-5): void {
  const a = list(actual);
  const e = list(expected);
  expect(a.length).toBe(e.length);
  const bad = a.findIndex((x, i) => !(Math.abs(x - e[i]) <= rel * Math.max(1, Math.abs(e[i]))));
  if (bad >= 0) throw new Error(`element ${bad}: got ${a[bad]}, expected ${e[bad]}\n  got      [${a.join(', ')}]\n  expected [${e.join(', ')}]`);
}

/** The input discriminates: the hand-computed wrong variant differs from the right value by a clear margin. */
export function expectFar(wrong: Num, right: Num, margin = 1e-2): void {
  const w = list(wrong);
  const r = list(right);
  expect(w.length).toBe(r.length);
  const gap = Math.max(...w.map((x, i) => Math.abs(x - r[i]) / Math.max(1, Math.abs(r[i]))));
  if (!(gap > margin)) throw new Error(`wrong variant [${w.join(', ')}] is too close to the right value [${r.join(', ')}] (gap ${gap})`);
}

/** Sets every parameter of `net` ([W0 row-major, b0, W1, b1, ...]) to the given numbers. */
export function setParams(net: Mlp, values: number[][]): void {
  expect(values.length).toBe(net.params.length);
  tf.tidy(() => net.params.forEach((p, i) => p.assign(tf.tensor(values[i], p.shape))));
}

/** Mean of the expectile loss |tau - 1(u < 0)| u^2, by hand. */
export const expectileMean = (u: number[], tau: number): number => u.reduce((s, x) => s + Math.abs(tau - (x < 0 ? 1 : 0)) * x * x, 0) / u.length;
export const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
