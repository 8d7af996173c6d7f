// Section 4: batch throughput. `rlgrade batch` on 20 submissions (the reference and buggy
// submissions made from it, every hidden case, training included) with 1, 2 and 4 workers;
// submissions per hour and the scaling efficiency (throughput at N workers / (N x at 1 worker)).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buggyNames, buggySource, buggyManifest, solutionsDir } from '../../scripts/examples/buggy';
import { base, type BatchRow, type BatchSection, type Context } from '../context';
import { run, tail } from '../spawn';
import { KIT_ROOT, say, stat } from '../stats';

const BATCH_CLI = path.join(KIT_ROOT, 'grader/cli/batch.ts');
const RLGRADE = path.join(KIT_ROOT, 'grader/bin/rlgrade.js');

/** `count` submission folders under `dir`: the reference, then buggy ones, then marked copies of the reference. */
export function makeSubmissions(dir: string, count: number): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const names = buggyNames();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = i === 0 ? 'reference' : i - 1 < names.length ? `buggy-${names[i - 1]}` : `reference-copy-${i}`;
    const sub = path.join(dir, name);
    fs.mkdirSync(sub, { recursive: true });
    for (const f of fs.readdirSync(solutionsDir())) fs.copyFileSync(path.join(solutionsDir(), f), path.join(sub, f));
    if (name.startsWith('buggy-')) {
      const bug = names[i - 1];
      fs.writeFileSync(path.join(sub, buggyManifest(bug).file), buggySource(bug));
    } else if (name.startsWith('reference-copy-')) {
      // distinct bytes, same code: no grader may treat two students' files as one
      fs.appendFileSync(path.join(sub, 'returns.ts'), `\n// copy ${i}\n`);
    }
    out.push(sub);
  }
  return out;
}

/** Why `rlgrade batch` cannot be measured here, or undefined when it can. */
async function unavailable(): Promise<string | undefined> {
  if (!fs.existsSync(BATCH_CLI)) return 'grader/cli/batch.ts does not exist yet (rlgrade batch is not written)';
  const r = await run(process.execPath, [RLGRADE, 'batch', '--help']);
  if (r.code !== 0 || !/--workers/.test(r.stdout + r.stderr)) return `rlgrade batch --help does not offer --workers: ${tail(r)}`;
  return undefined;
}

export async function batchSection(ctx: Context, batchRuns: number): Promise<BatchSection> {
  const why = await unavailable();
  if (why) {
    say(`batch: skipped: ${why}`);
    return { ...base(ctx), runs: batchRuns, skipped: why };
  }
  const count = ctx.quick ? 4 : 20;
  const workers = ctx.quick ? [1, 2] : [1, 2, 4];
  const input = path.join(ctx.tmp, 'batch-input');
  makeSubmissions(input, count);
  // Worker counts interleaved run by run, so that a slow spell of the machine does not fall on one count.
  const seconds = new Map<number, number[]>(workers.map((n) => [n, []]));
  const errors = new Map<number, number>(workers.map((n) => [n, 0]));
  for (let r = 0; r < batchRuns; r++) {
    for (const n of workers) {
      say(`batch: ${count} submissions, ${n} worker(s), run ${r + 1}/${batchRuns}`);
      const out = path.join(ctx.tmp, `batch-out-${n}-${r}`);
      const args = [RLGRADE, 'batch', input, '--out', out, '--workers', String(n), '--progress', 'none', ...(ctx.quick ? ['--skip-training'] : [])];
      // One runner child per grading at every worker count (a lone worker would otherwise use two
      // lanes, grader/runner/lanes.ts): the scaling then measures workers alone.
      const res = await run(process.execPath, args, { env: { RLHW_LANES: '1' }, timeoutSeconds: 4 * 3600 });
      if (res.code !== 0) throw new Error(`rlgrade batch --workers ${n} failed: ${tail(res)}`);
      errors.set(n, errors.get(n)! + Number(/(\d+) error/.exec(res.stdout)?.[1] ?? 0));
      seconds.get(n)!.push(res.seconds);
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  const rows: BatchRow[] = workers.map((n) => {
    const s = seconds.get(n)!;
    return { workers: n, seconds: stat(s, 's'), perHour: stat(s.map((x) => (count / x) * 3600), 'submissions/h'), errors: errors.get(n)! };
  });
  const one = rows.find((r) => r.workers === 1)?.perHour.median;
  for (const r of rows) if (one) r.efficiency = r.perHour.median / (r.workers * one);
  return {
    ...base(ctx),
    runs: batchRuns,
    submissions: count,
    rows,
    notes: [
      `${count} submissions: the reference, buggy versions of it (assignments/offline-rl/buggy) and marked copies; every hidden case${ctx.quick ? ' except training (quick run)' : ', the training case included'}.`,
      `Wall time of the whole \`rlgrade batch\` command (start-up, gradebook and summary included). This machine has ${os.cpus().length} cores: more workers than cores cannot speed it up.`,
      `${batchRuns} run(s) of the whole batch per worker count, the worker counts taking turns run by run; median, min and max are over those runs.`,
      'RLHW_LANES=1: each grading runs one runner child at a time, whatever the worker count (a lone grading on two cores uses two; section 3).',
    ],
  };
}
