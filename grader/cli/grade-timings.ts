/**
 * Where the time of one grading goes (for `npm run bench` and the grader's own log): set-up
 * (assignment, case inputs, reference values, intake), the runner child's start-up, each case,
 * scoring and writing. Case times come from the child's 'start' messages as they arrive, so they
 * are the parent's view (they include the channel, not the child's clock, which is untrusted).
 */

export interface GradeTimings {
  /** Seconds from the call to the first child's launch: assignment, case inputs, reference, intake, work folder. */
  setup: number;
  /** Of which: reference values (read from the cache, or computed by a trusted child). */
  reference: number;
  /** From the first launch to the child's first 'start' (process start, TensorFlow.js, module loading). */
  childStart: number;
  /** Per case id: from its 'start' message to its result. */
  cases: Record<string, number>;
  /** All child runs, launch to exit. */
  run: number;
  /** Of which: the trusted re-measurement of whole runs (verify.ts), after the student's child. */
  verify: number;
  /** Scores, hints, learning-curve pictures, results.json in memory. */
  scoring: number;
  /** results.json, report.md and report.html on disk. */
  write: number;
  total: number;
  /** Largest resident memory of a sandboxed child, MiB (0 when no sandbox sampled it). */
  childPeakRssMiB: number;
}

/** A stopwatch for the phases of one grading. */
export class GradeClock {
  private readonly t0 = performance.now();
  private marks = new Map<string, number>();
  /** The case each lane's child is running. */
  private current = new Map<number, { id: string; at: number }>();
  private firstStart: number | undefined;
  readonly cases: Record<string, number> = {};
  peakRssMiB = 0;

  /** Records "now" under `name`. */
  mark(name: string): void {
    this.marks.set(name, performance.now());
  }

  /** Seconds between two marks (or from the start). */
  between(from: string | null, to: string): number {
    const a = from === null ? this.t0 : this.marks.get(from);
    const b = this.marks.get(to);
    return a === undefined || b === undefined ? 0 : (b - a) / 1000;
  }

  /** Feed every child message here as it arrives; `lane` tells children that run side by side apart. */
  onMessage(message: unknown, lane = 0): void {
    const now = performance.now();
    const m = message as { type?: unknown; id?: unknown };
    const current = this.current.get(lane);
    if (current && m?.type !== 'start') {
      this.cases[current.id] = (now - current.at) / 1000;
      this.current.delete(lane);
    }
    if (m?.type === 'start' && typeof m.id === 'string') {
      if (current) this.cases[current.id] = (now - current.at) / 1000;
      this.firstStart ??= now;
      this.current.set(lane, { id: m.id, at: now });
    }
  }

  /** Seconds from `launchMark` to the first 'start' message. */
  childStart(launchMark: string): number {
    const launch = this.marks.get(launchMark);
    return launch === undefined || this.firstStart === undefined ? 0 : (this.firstStart - launch) / 1000;
  }
}
