/**
 * Progress of a batch on stderr: a cli-progress bar (done, failed, remaining, time left) on a
 * terminal; one line per finished submission otherwise (logs of CI, Kubernetes, Slurm); nothing
 * with `quiet`.
 */
import { SingleBar } from 'cli-progress';
import type { GradingRecord } from './types';

export interface Progress {
  finished(record: GradingRecord): void;
  stop(): void;
}

export type ProgressMode = 'bar' | 'lines' | 'none';

/** The bar on an interactive terminal outside CI, lines otherwise. */
export const defaultProgressMode = (): ProgressMode => (process.stderr.isTTY && !process.env.CI ? 'bar' : 'lines');

const points = (n: number): string => String(Math.round(n * 100) / 100);

export function startProgress(mode: ProgressMode, total: number, maxTotal: number): Progress {
  let done = 0;
  let failed = 0;
  if (mode === 'bar') {
    const bar = new SingleBar(
      {
        format: 'grading [{bar}] {value}/{total} done | {failed} failed | {remaining} remaining | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        etaBuffer: 20,
        fps: 5,
      },
      undefined,
    );
    bar.start(total, 0, { failed: 0, remaining: total });
    return {
      finished(r) {
        done += 1;
        if (r.status !== 'ok') failed += 1;
        bar.update(done, { failed, remaining: total - done });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    finished(r) {
      done += 1;
      if (r.status !== 'ok') failed += 1;
      if (mode === 'lines') {
        const why = r.status === 'ok' ? '' : `: ${r.reason ?? ''}`;
        process.stderr.write(`rlgrade batch: [${done}/${total}] ${r.submission}: ${points(r.total)} / ${points(maxTotal)} (${r.status}${why}, ${r.seconds.toFixed(1)} s)\n`);
      }
    },
    stop: () => undefined,
  };
}
