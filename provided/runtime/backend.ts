// Chooses the TensorFlow.js backend once per process.
//
// Order: tfjs-node when it loads (native libtensorflow), else wasm, else the pure-JS cpu backend.
// RLHW_BACKEND=node|wasm|cpu forces one and fails with a clear message when it cannot load.
// No tensor may be created before `initBackend` resolves: loading the wasm package makes wasm
// the preferred backend, and a tensor made earlier would live on the wrong one.
import * as tf from '@tensorflow/tfjs';
import { leanWasmKernels } from './wasm-kernels';
import { shareWasmIdentity } from './wasm-identity';
import { registerWasmMatMul } from '../nets/matmul-wasm';

export type BackendName = 'node' | 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['node', 'wasm', 'cpu'];

/** tfjs's own name for each of ours. */
const TF_NAME: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let chosen: BackendName | undefined;

export class BackendError extends Error {}

function parseForced(value: string | undefined): BackendName | undefined {
  if (value === undefined || value === '') return undefined;
  if ((BACKENDS as readonly string[]).includes(value)) return value as BackendName;
  throw new BackendError(`RLHW_BACKEND=${value} is not one of ${BACKENDS.join(', ')}`);
}

async function tryLoad(name: BackendName): Promise<string | undefined> {
  try {
    if (name === 'node') require('@tensorflow/tfjs-node');
    const wasmVersion = name === 'wasm' ? (require('@tensorflow/tfjs-backend-wasm') as { version_wasm: string }).version_wasm : '';
    const ok = await tf.setBackend(TF_NAME[name]);
    if (!ok) return `tf.setBackend('${TF_NAME[name]}') returned false`;
    await tf.ready();
    if (name === 'wasm') {
      shareWasmIdentity(); // saved tensors without a copy each (wasm-identity.ts)
      leanWasmKernels(wasmVersion); // Add, Multiply, ..., the matMuls without per-call garbage (wasm-kernels.ts)
      registerWasmMatMul(); // the networks' products without XNNPACK's packing (nets/matmul-wasm.ts)
    }
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
}

/**
 * Loads and activates the backend. Idempotent: later calls return the first choice
 * (and throw if they ask for a different one).
 */
export async function initBackend(force?: BackendName): Promise<BackendName> {
  const wanted = force ?? parseForced(process.env.RLHW_BACKEND);
  if (chosen) {
    if (wanted && wanted !== chosen) throw new BackendError(`backend already set to ${chosen}, cannot switch to ${wanted}`);
    return chosen;
  }
  tf.enableProdMode();
  const candidates = wanted ? [wanted] : BACKENDS;
  const failures: string[] = [];
  for (const name of candidates) {
    const why = await tryLoad(name);
    if (why === undefined) {
      chosen = name;
      if (!process.env.RLHW_QUIET) process.stderr.write(`[rlhw] TensorFlow.js backend: ${name}\n`);
      return name;
    }
    failures.push(`${name}: ${why}`);
  }
  throw new BackendError(
    wanted
      ? `RLHW_BACKEND=${wanted} was requested but cannot load (${failures.join('; ')})`
      : `no TensorFlow.js backend could load (${failures.join('; ')})`,
  );
}

/** The active backend; throws if `initBackend` has not run. */
export function backendName(): BackendName {
  if (!chosen) throw new BackendError('initBackend() has not been called');
  return chosen;
}
