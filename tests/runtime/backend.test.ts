// Backend choice runs once per process, so each case runs in a child process.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const SCRIPT = `
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './provided/runtime/backend';
initBackend().then((name) => { console.log(JSON.stringify({ name, tf: tf.getBackend(), sum: tf.add(1, 2).dataSync()[0] })); })
  .catch((e) => { console.error(e.message); process.exit(3); });
`;

function run(env: Record<string, string | undefined>) {
  const res = spawnSync(TSX, ['-e', SCRIPT], { cwd: ROOT, env: { ...process.env, RLHW_QUIET: '', ...env }, encoding: 'utf8', timeout: 60000 });
  return { status: res.status, stdout: res.stdout.trim(), stderr: res.stderr.trim() };
}

describe('backend choice', () => {
  test.each([
    ['wasm', 'wasm'],
    ['cpu', 'cpu'],
  ])('RLHW_BACKEND=%s activates tfjs backend %s and logs it once', (forced, tfName) => {
    const r = run({ RLHW_BACKEND: forced });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ name: forced, tf: tfName, sum: 3 });
    expect(r.stderr.match(/TensorFlow\.js backend/g)).toHaveLength(1);
  });

  test('without RLHW_BACKEND the first loadable of node, wasm, cpu is chosen', () => {
    const r = run({ RLHW_BACKEND: undefined });
    expect(r.status).toBe(0);
    let nodeLoads = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nodeLoads = false;
    }
    expect(JSON.parse(r.stdout).name).toBe(nodeLoads ? 'node' : 'wasm');
  });

  test('an unknown or unloadable forced backend fails with one clear line', () => {
    const bad = run({ RLHW_BACKEND: 'gpu' });
    expect(bad.status).toBe(3);
    expect(bad.stderr).toBe('RLHW_BACKEND=gpu is not one of node, wasm, cpu');
    let nodeInstalled = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      nodeInstalled = false;
    }
    const node = run({ RLHW_BACKEND: 'node' });
    if (nodeInstalled) expect(node.status).toBe(0);
    else {
      expect(node.status).toBe(3);
      expect(node.stderr).toMatch(/^RLHW_BACKEND=node was requested but cannot load \(node: .*\)$/);
    }
  });
});
