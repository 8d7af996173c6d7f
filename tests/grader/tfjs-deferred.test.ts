// The runner child's '@tensorflow/tfjs' (grader/child/tfjs-deferred.js): it starts without tfjs's
// layers, converter, webgl and data, yet every name of the real package resolves to the same value,
// gradients work, and student code written either import style runs unchanged.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DEFERRED = path.join(ROOT, 'grader/child/tfjs-deferred.js');
const LOADER = path.join(ROOT, 'grader/child/ts-loader.js');

/** Runs `body` in a fresh node (in the kit's folder) and returns the JSON it prints last. */
function inNode<T>(body: string, hook = true): T {
  const script = `${hook ? `require(${JSON.stringify(DEFERRED)}).install();` : ''}
    const loaded = (pkg) => Object.keys(require.cache).some((f) => f.includes('/' + pkg + '/dist/'));
    ${body}`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RLHW_QUIET: '1' } });
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

test('the view starts without layers, converter, webgl and data, and gradients work', () => {
  const r = inNode<{ before: boolean[]; grad: number[]; same: boolean; after: boolean[] }>(`
    const tf = require('@tensorflow/tfjs');
    const pkgs = ['tfjs-layers', 'tfjs-converter', 'tfjs-backend-webgl', 'tfjs-data'];
    const before = pkgs.map(loaded);
    const g = tf.grad((x) => tf.relu(tf.matMul(x, x)).sum())(tf.tensor2d([[1, 2], [3, 4]]));
    const grad = Array.from(g.dataSync());
    const same = tf.add === require('@tensorflow/tfjs-core').add;
    const after = pkgs.map(loaded);
    console.log(JSON.stringify({ before, grad, same, after }));`);
  expect(r.before).toEqual([false, false, false, false]);
  expect(r.after).toEqual([false, false, false, false]);
  expect(r.grad).toEqual([7, 11, 9, 13]);
  expect(r.same).toBe(true);
});

test('every name of the real package resolves, to the value the real package gives', () => {
  const real = inNode<{ keys: string[]; version: Record<string, string>; dataKeys: string[] }>(
    `const tf = require('@tensorflow/tfjs');
     console.log(JSON.stringify({ keys: Object.keys(tf).sort(), version: tf.version, dataKeys: Object.keys(tf.data).filter((k) => k !== 'default').sort() }));`,
    false,
  );
  expect(real.keys.length).toBeGreaterThan(400);
  const view = inNode<{ keys: string[]; missing: string[]; differ: string[]; version: Record<string, string>; dataKeys: string[]; sequential: string }>(`
    const tf = require('@tensorflow/tfjs');
    const parts = ['core', 'layers', 'converter', 'backend-cpu', 'backend-webgl'].map((p) => require('@tensorflow/tfjs-' + p));
    const owner = (k) => parts.find((m) => Object.prototype.hasOwnProperty.call(m, k));
    const names = ${JSON.stringify(real.keys)};
    const missing = names.filter((k) => !(k in tf));
    const differ = names.filter((k) => k !== 'data' && k !== 'version' && tf[k] !== owner(k)[k]);
    console.log(JSON.stringify({ keys: Object.keys(tf).filter((k) => k !== 'default').sort(), missing, differ,
      version: tf.version, dataKeys: Object.keys(tf.data).filter((k) => k !== 'default').sort(), sequential: typeof tf.sequential }));`);
  expect(view.missing).toEqual([]);
  expect(view.differ).toEqual([]);
  expect(view.keys).toEqual(real.keys);
  expect(view.version).toEqual(real.version);
  expect(view.dataKeys).toEqual(real.dataKeys);
  expect(view.sequential).toBe('function');
});

test('a name outside core loads the rest on first use; assigning a name still fails', () => {
  const r = inNode<{ before: boolean; dense: string; after: boolean; assign: string }>(`
    const tf = require('@tensorflow/tfjs');
    const before = loaded('tfjs-layers');
    const dense = typeof tf.layers.dense;
    const after = loaded('tfjs-layers');
    let assign = 'accepted';
    try { (function () { 'use strict'; tf.matMul = () => 0; })(); } catch (e) { assign = e.constructor.name; }
    console.log(JSON.stringify({ before, dense, after, assign }));`);
  expect(r).toEqual({ before: false, dense: 'function', after: true, assign: 'TypeError' });
});

test('student code in either import style runs through the child loader', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-deferred-'));
  try {
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const star = path.join(dir, 'star.ts');
    const dflt = path.join(dir, 'dflt.ts');
    const named = path.join(dir, 'named.ts');
    fs.writeFileSync(star, "import * as tf from '@tensorflow/tfjs';\nexport const run = (): number => tf.sum(tf.tensor1d([1, 2, 3])).arraySync() as number;\n");
    fs.writeFileSync(dflt, "import tf from '@tensorflow/tfjs';\nexport const run = (): number => tf.sum(tf.tensor1d([1, 2, 4])).arraySync() as number;\n");
    fs.writeFileSync(named, "import { sum, tensor1d } from '@tensorflow/tfjs';\nexport const run = (): number => sum(tensor1d([1, 2, 5])).arraySync() as number;\n");
    const r = inNode<number[]>(`
      require(${JSON.stringify(LOADER)}).register(['@tensorflow/tfjs']);
      console.log(JSON.stringify([${[star, dflt, named].map((f) => `require(${JSON.stringify(f)}).run()`).join(', ')}]));`);
    expect(r).toEqual([6, 7, 8]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
