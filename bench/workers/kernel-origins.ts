// What the fixed cost of TensorFlow.js operations leaves for an IQL step (docs/benchmarks.md,
// "What limits each figure"): how many kernels a step dispatches from the kit's own code (networks,
// their backward pass) and from the update the student writes (losses, targets and the gradients
// of those operations), and what one kernel costs in JavaScript when its arithmetic is negligible.
import * as tf from '@tensorflow/tfjs';

export interface KernelOrigins {
  /** Kernels whose innermost caller in our code is under provided/ (networks, their gradient, batch). */
  kit: number;
  /** Kernels whose innermost caller is the student's folder: the update's own operations and their gradients. */
  update: number;
  /** Neither (none expected). */
  other: number;
}

/**
 * Runs `step` once with every kernel of the active backend wrapped: the kernels by name, and by the
 * innermost stack frame in `kitRoot`'s provided/ folder or in `studentRoot`. Wrapping the registry
 * also counts kernels run on the backend directly (provided/nets/kernels.ts), which tf.profile,
 * watching the engine, does not see.
 */
export function countKernels(step: () => void, kitRoot: string, studentRoot: string): { byName: Record<string, number>; origins: KernelOrigins } {
  const byName: Record<string, number> = {};
  const origins: KernelOrigins = { kit: 0, update: 0, other: 0 };
  const provided = `${kitRoot}/provided/`;
  const student = `${studentRoot}/`;
  const configs = tf.getKernelsForBackend(tf.getBackend()) as Array<{ kernelName: string; kernelFunc: tf.KernelFunc }>;
  const originals = configs.map((c) => c.kernelFunc);
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  try {
    configs.forEach((c, i) => {
      c.kernelFunc = (args) => {
        byName[c.kernelName] = (byName[c.kernelName] ?? 0) + 1;
        const frame = (new Error().stack ?? '').split('\n').find((l) => l.includes(provided) || l.includes(student));
        origins[frame === undefined ? 'other' : frame.includes(student) ? 'update' : 'kit']++;
        return originals[i](args);
      };
    });
    step();
  } finally {
    configs.forEach((c, i) => (c.kernelFunc = originals[i]));
    Error.stackTraceLimit = limit;
  }
  return { byName, origins };
}

/**
 * Microseconds per kernel for an operation whose arithmetic is negligible (adding two vectors of
 * 256, no gradient recorded): the engine's bookkeeping, the kernel lookup and the result tensor.
 * The cheapest a kernel gets, so a floor built on it is a lower bound on time.
 */
export function dispatchMicroseconds(ops = 4000, runs = 5): number {
  const a = tf.ones([256]);
  const times: number[] = [];
  for (let r = 0; r <= runs; r++) {
    const t0 = performance.now();
    tf.tidy(() => {
      let x = a;
      for (let i = 0; i < ops; i++) x = tf.add(x, a);
    });
    if (r > 0) times.push(((performance.now() - t0) * 1000) / ops); // the first run warms up
  }
  a.dispose();
  return times.sort((p, q) => p - q)[Math.floor(times.length / 2)];
}
