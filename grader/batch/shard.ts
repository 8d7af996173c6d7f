/**
 * Shards: the I-th of N disjoint, deterministic shares of the input (submission i of the sorted
 * list goes to shard i mod N). The index comes from `--shard I/N`, else from a Kubernetes Indexed
 * Job (JOB_COMPLETION_INDEX, with N from --shard-count or RLGRADE_SHARD_COUNT, set to the Job's
 * completions) or a Slurm job array (I = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN,
 * N = SLURM_ARRAY_TASK_COUNT).
 */
import type { Shard } from './types';

const integer = (text: string | undefined): number | undefined => (text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : undefined);

function checked(index: number | undefined, count: number | undefined, what: string): Shard {
  if (count === undefined || count < 1) throw new Error(`${what}: the number of shards must be a whole number of at least 1`);
  if (index === undefined || index < 0 || index >= count) throw new Error(`${what}: the shard index must be a whole number from 0 to ${count - 1}`);
  return { index, count };
}

/** Parses "I/N". */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`--shard: expected I/N (such as 0/4), got '${text}'`);
  return checked(Number(m[1]), Number(m[2]), `--shard ${text}`);
}

/** The shard and where it came from, or undefined for the whole input. */
export interface ShardChoice {
  shard: Shard;
  source: string;
}

/**
 * The shard from the flags, else from the environment of a Kubernetes Indexed Job or a Slurm job
 * array, else none. `count` is --shard-count (Kubernetes does not tell a pod the completions).
 */
export function chooseShard(flag: string | undefined, count: string | undefined, env: NodeJS.ProcessEnv = process.env): ShardChoice | undefined {
  if (flag !== undefined) return { shard: parseShard(flag), source: '--shard' };
  if (env.JOB_COMPLETION_INDEX !== undefined) {
    const n = count ?? env.RLGRADE_SHARD_COUNT;
    if (n === undefined) {
      throw new Error('JOB_COMPLETION_INDEX is set but not the number of shards: set RLGRADE_SHARD_COUNT (or --shard-count) to the Job\'s completions');
    }
    return { shard: checked(integer(env.JOB_COMPLETION_INDEX), integer(n), 'JOB_COMPLETION_INDEX'), source: 'JOB_COMPLETION_INDEX' };
  }
  if (env.SLURM_ARRAY_TASK_ID !== undefined) {
    const id = integer(env.SLURM_ARRAY_TASK_ID);
    const min = integer(env.SLURM_ARRAY_TASK_MIN ?? '0');
    const n = integer(count ?? env.SLURM_ARRAY_TASK_COUNT);
    if (env.SLURM_ARRAY_TASK_STEP !== undefined && integer(env.SLURM_ARRAY_TASK_STEP) !== 1) {
      throw new Error('SLURM_ARRAY_TASK_STEP is not 1: submit the array as --array=0-(N-1) so the tasks number the shards');
    }
    if (id === undefined || min === undefined) throw new Error('SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_MIN must be whole numbers');
    return { shard: checked(id - min, n, 'SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN'), source: 'SLURM_ARRAY_TASK_ID' };
  }
  if (count !== undefined) throw new Error('--shard-count needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); otherwise use --shard I/N');
  return undefined;
}

/** The share of a shard: every N-th of the sorted names, starting at I. */
export function shareOf<T>(sorted: T[], shard: Shard | null | undefined): T[] {
  return shard ? sorted.filter((_, i) => i % shard.count === shard.index) : sorted;
}
