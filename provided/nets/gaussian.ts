// The Gaussian policy of ALGORITHMS.md section 3:
//   pi(a|s) = N(mu(s), diag(sigma^2)),  mu(s) = tanh(MLP(s)),
//   log sigma a learned state-independent vector of size da, initialised to 0,
//   clipped to [-5, 2] wherever it is used (the student's gaussianLogProb does the clipping).
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../runtime/rng';
import { Mlp } from './mlp';
import { mlpForward } from './mlp-op';
import { LOG_STD_MAX, LOG_STD_MIN } from './log-std-range';

export { LOG_STD_MAX, LOG_STD_MIN } from './log-std-range';

export class GaussianPolicy {
  private constructor(readonly net: Mlp, readonly logStd: tf.Variable) {}

  /** obsDim -> hidden... -> actDim. */
  static create(rng: Rng, obsDim: number, hidden: readonly number[], actDim: number): GaussianPolicy {
    const net = Mlp.create(rng, [obsDim, ...hidden, actDim]);
    return new GaussianPolicy(net, tf.tidy(() => tf.variable(tf.zeros([actDim]), true)));
  }

  /** mu(s) = tanh(MLP(s)), shape [B, da]. */
  mean(observations: tf.Tensor2D): tf.Tensor2D {
    return mlpForward(observations, this.net.params, 'tanh') as tf.Tensor2D; // tanh fused into the network's gradient
  }

  /** Every trainable variable of the policy. */
  get params(): tf.Variable[] {
    return [...this.net.params, this.logStd];
  }

  clone(): GaussianPolicy {
    return new GaussianPolicy(this.net.clone(), tf.tidy(() => tf.variable(this.logStd, true)));
  }

  /** a = clip(mu(s) + sigma * eps, -1, 1) with eps from `rng` (used where a sample is needed, as in AWAC). */
  sample(observations: tf.Tensor2D, rng: Rng): tf.Tensor2D {
    return tf.tidy(() => {
      const mu = this.mean(observations);
      const sigma = tf.exp(tf.clipByValue(this.logStd, LOG_STD_MIN, LOG_STD_MAX));
      const eps = tf.tensor2d(rng.normals(mu.size), mu.shape);
      return tf.clipByValue(tf.add(mu, tf.mul(sigma, eps)), -1, 1) as tf.Tensor2D;
    });
  }

  snapshot(): Float32Array[] {
    return this.params.map((p) => p.dataSync() as Float32Array);
  }

  dispose(): void {
    this.net.dispose();
    this.logStd.dispose();
  }
}
