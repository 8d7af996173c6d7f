// Section 1: IQL update steps per second of the reference solution through the kit's trainer, for
// hidden sizes 64x64 and 256x256, batch 256, on the maze's sizes and on a 17-observation /
// 6-action problem (the size of MuJoCo's HalfCheetah), on every backend that loads.
import { ACT_DIM, OBS_DIM } from '../../provided/maze/env';
import { base, type Context, type TrainRow, type TrainSection } from '../context';
import { worker } from '../spawn';
import { say, stat } from '../stats';

export const PROBLEMS = [
  { problem: 'maze', obs: OBS_DIM, act: ACT_DIM },
  { problem: '17 obs / 6 act', obs: 17, act: 6 },
];
export const HIDDEN = ['64x64', '256x256'];
export const BATCH = 256;
const BACKENDS = ['wasm', 'cpu', 'node'] as const;

interface StepsResult {
  stepsPerSecond: number[];
  steps: number;
}

/** Whether a backend loads in a fresh process (tfjs-node does not install everywhere). */
async function loads(backend: string): Promise<string | undefined> {
  try {
    await worker('bench/workers/iql-steps.ts', ['--backend', backend, '--hidden', '4', '--batch', '4', '--steps', '1', '--warmup', '1', '--runs', '1'], { timeoutSeconds: 120 });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function trainSection(ctx: Context): Promise<TrainSection> {
  const rows: TrainRow[] = [];
  for (const backend of BACKENDS) {
    const why = await loads(backend);
    for (const p of PROBLEMS) {
      for (const hidden of HIDDEN) {
        const row: TrainRow = { ...p, hidden, batch: BATCH, backend };
        rows.push(row);
        if (why) {
          row.skipped = `the ${backend} backend does not load here: ${why.replace(/^.*?failed \(exit \d+\): /, '')}`;
          continue;
        }
        say(`train: ${backend} ${p.problem} ${hidden}`);
        const r = await worker<StepsResult>('bench/workers/iql-steps.ts', [
          '--backend', backend,
          '--obs', String(p.obs),
          '--act', String(p.act),
          '--hidden', hidden.replace('x', ','),
          '--batch', String(BATCH),
          '--seconds', String(ctx.seconds),
          '--runs', String(ctx.runs),
        ]);
        row.stepsPerSecond = stat(r.stepsPerSecond, 'steps/s');
      }
    }
  }
  return {
    ...base(ctx),
    rows,
    notes: [
      'One process per backend and size; the reference solution\'s iqlUpdate through provided/train (the trainer students use), on random transitions; one thread (tfjs in Node runs kernels on the calling thread; wasm threads are off in Node).',
    ],
  };
}
