// Losses at finer steps than the evaluations, for the learning curve. The training loop reports
// every step's losses (runTraining's onStep); this keeps the mean of each loss over every `every`
// steps, so a 2000-step run draws 40 points per loss instead of one per evaluation.
import type { CurvePoint } from './learning-curve';

export class LossTrace {
  private sums: Record<string, number> = {};
  private count = 0;
  private lastStep = 0;
  /** Loss name -> its means, one point per window, at the window's last step. */
  readonly points: Record<string, CurvePoint[]> = {};

  constructor(readonly every = 50) {
    if (!(every >= 1)) throw new RangeError(`LossTrace: every must be at least 1, got ${every}`);
  }

  /** Give it each step's losses, in step order (1, 2, ...). */
  record(step: number, losses: Record<string, number>): void {
    for (const [name, value] of Object.entries(losses)) this.sums[name] = (this.sums[name] ?? 0) + value;
    this.count += 1;
    this.lastStep = step;
    if (step % this.every === 0) this.close();
  }

  /** The points, with the last window kept even when it is shorter than `every`. */
  finish(): Record<string, CurvePoint[]> {
    if (this.count > 0) this.close();
    return this.points;
  }

  private close(): void {
    for (const [name, sum] of Object.entries(this.sums)) (this.points[name] ??= []).push({ step: this.lastStep, value: sum / this.count });
    this.sums = {};
    this.count = 0;
  }
}
