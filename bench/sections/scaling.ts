// Beside section 4: what limits batch scaling on this machine. Two measurements:
// - the ceiling: the same fixed CPU work (IQL steps of the reference on wasm, one process each)
//   alone and then as two processes at once; their combined rate over twice the lone rate is the
//   most any two-worker batch could reach here, whatever the grader does;
// - the CPU a grading costs: `rlgrade batch` on a few submissions with 1 and 2 workers, run under
//   bash so that `times` gives the CPU seconds of the whole process tree (graders, sandboxes,
//   runner children): CPU seconds per submission, and cores kept busy (CPU / wall); and the same
//   CPU by thread (bench/thread-cpu.ts), which shows where the part beyond one core comes from.
import * as path from 'node:path';
import { parseTimes } from '../../grader/sandbox/isolation';
import { makeSubmissions } from './batch';
import { base, type Context, type ScalingSection } from '../context';
import { run, tail, worker } from '../spawn';
import { KIT_ROOT, say, stat } from '../stats';
import { type ThreadCpu, ThreadCpuSampler } from '../thread-cpu';

const RLGRADE = path.join(KIT_ROOT, 'grader/bin/rlgrade.js');

interface Steps {
  stepsPerSecond: number[];
}

/** The fixed work: `runs` timed runs of `steps` IQL steps (maze, 64x64, batch 256). */
function iqlSteps(ctx: Context, steps: number): Promise<Steps> {
  return worker<Steps>('bench/workers/iql-steps.ts', ['--backend', ctx.backend, '--steps', String(steps), '--runs', String(ctx.runs), '--warmup', '10']);
}

export async function scalingSection(ctx: Context): Promise<ScalingSection> {
  const steps = ctx.quick ? 50 : 400;
  say(`scaling: ${steps} IQL steps x ${ctx.runs}, one process alone`);
  const alone = await iqlSteps(ctx, steps);
  say('scaling: the same in two processes at once');
  const pair = await Promise.all([iqlSteps(ctx, steps), iqlSteps(ctx, steps)]);
  // Run by run, the two processes' rates added up, over twice the lone process's median rate.
  const loneRate = stat(alone.stepsPerSecond, 'steps/s').median;
  const together = pair[0].stepsPerSecond.map((r, i) => (r + pair[1].stepsPerSecond[i]) / (2 * loneRate));

  const count = ctx.quick ? 2 : 6;
  const input = path.join(ctx.tmp, 'scaling-input');
  makeSubmissions(input, count);
  const grading: ScalingSection['grading'] = [];
  for (const n of [1, 2]) {
    say(`scaling: rlgrade batch, ${count} submissions, ${n} worker(s), CPU time of the whole tree`);
    const out = path.join(ctx.tmp, `scaling-out-${n}`);
    const args = [RLGRADE, 'batch', input, '--out', out, '--workers', String(n), '--progress', 'none', ...(ctx.quick ? ['--skip-training'] : [])];
    const threads = new ThreadCpuSampler();
    threads.start();
    const res = await run('/bin/bash', ['-c', '"$@"; s=$?; times >&2; exit $s', 'bench', process.execPath, ...args], { env: { RLHW_LANES: '1' }, timeoutSeconds: 3600 });
    const byThread = threads.stop();
    if (res.code !== 0) throw new Error(`rlgrade batch --workers ${n} failed: ${tail(res)}`);
    const cpu = parseTimes(res.stderr.split('\n').slice(-3).join('\n'));
    if (cpu === null) throw new Error(`no CPU times from bash for --workers ${n}: ${tail(res)}`);
    const perSubmission = Object.fromEntries(Object.entries(byThread.cpu).map(([k, v]) => [k, v / count])) as ThreadCpu;
    const others = byThread.others.filter((o) => o.seconds >= 0.5).map((o) => `${o.command} ${o.seconds.toFixed(1)} s`);
    grading.push({ workers: n, wallSeconds: res.seconds, cpuSeconds: cpu, cpuPerSubmission: cpu / count, coresBusy: cpu / res.seconds, threadsPerSubmission: perSubmission, ...(others.length ? { otherProcesses: others } : {}) });
  }
  return {
    ...base(ctx),
    ceiling: stat(together, 'share'),
    loneStepsPerSecond: stat(alone.stepsPerSecond, 'steps/s'),
    submissions: count,
    grading,
    notes: [
      `Ceiling: ${steps} IQL steps of the reference (maze, 64x64, batch 256, ${ctx.backend}) per timed run, ${ctx.runs} runs, in one process alone, then in two processes started together; the two rates added, run by run, over twice the lone median.`,
      `Grading CPU: one \`rlgrade batch\` of ${count} submissions per worker count (one run each, not a median); the CPU seconds are bash's \`times\` for the whole tree: the batch, its workers, the sandboxes and the runner children.`,
      'CPU by thread: every thread of every process the batch started, read from /proc/<pid>/task/<tid>/stat every 200 ms (a lower bound: up to 200 ms of each thread\'s end is missed); "runner child, main thread" runs the student code and TensorFlow.js, "V8 helper threads" are the other threads of the same children (garbage collection, compiling), "grader" is the batch and its workers (all their threads), "other" everything else they started (the sandbox wrappers, tsx\'s esbuild service; the largest are listed).',
    ],
  };
}
