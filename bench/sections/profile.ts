// Where the time goes, from V8 CPU profiles taken during the run (the explanations of
// docs/benchmarks.md quote these): the IQL step at 64x64 on wasm (timed runs only), and the
// runner child's start-up (the whole process).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { base, type Context, type SectionBase } from '../context';
import { formatSummary, summariseProfile, type CpuProfile, type ProfileSummary } from '../profile';
import { loadAssignment } from '../../grader/assignment/load';
import { studentModules } from '../../grader/assignment/types';
import type { RunnerRequest } from '../../grader/child/protocol';
import { worker } from '../spawn';
import type { KernelOrigins } from '../workers/kernel-origins';
import { KIT_ROOT, say } from '../stats';

export interface ProfileSection extends SectionBase {
  step?: { problem: string; hidden: string; stepsPerSecond: number; kernelsPerStep: number; kernels: Record<string, number>; summary: ProfileSummary };
  startup?: { seconds: number; summary: ProfileSummary };
  /** The same step unprofiled, its kernels by origin, and one kernel's fixed cost (bench/workers/kernel-origins.ts). */
  floor?: { stepsPerSecond: number; kitKernels: number; updateKernels: number; microsecondsPerKernel: number };
}

const trim = (s: ProfileSummary, n: number): ProfileSummary => ({
  ...s,
  byPlace: s.byPlace.filter((p) => p.share >= 0.005).slice(0, n),
  byFunction: s.byFunction.slice(0, n),
  wasmByKernel: s.wasmByKernel.filter((k) => k.share >= 0.005).slice(0, n),
});

/** Runs the runner child under --cpu-prof with a request that loads everything and runs nothing. */
function profileChild(dir: string, backend: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, path.join(KIT_ROOT, 'grader/child/entry.js')], {
      cwd: KIT_ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp', RLHW_QUIET: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    });
    const stdio = child.stdio as unknown as NodeJS.WritableStream[];
    const req: RunnerRequest = { backend: backend as RunnerRequest['backend'], studentDir: path.join(KIT_ROOT, 'solutions'), modules: studentModules(loadAssignment()), calls: [] };
    stdio[3].end(JSON.stringify(req) + '\n');
    (child.stdio[4] as NodeJS.ReadableStream).resume();
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve((performance.now() - t0) / 1000) : reject(new Error(`the runner child exited with ${code}`))));
  });
}

export async function profileSection(ctx: Context): Promise<ProfileSection> {
  const dir = path.join(ctx.tmp, 'profiles');
  fs.mkdirSync(dir, { recursive: true });
  say('profile: IQL step, wasm, maze sizes, 64x64');
  const file = path.join(dir, 'iql-step.cpuprofile');
  const r = await worker<{ stepsPerSecond: number[]; kernels: Record<string, number> }>('bench/workers/iql-steps.ts', [
    '--backend', 'wasm', '--hidden', '64,64', '--batch', '256', '--seconds', String(Math.max(ctx.seconds, 1)), '--runs', '3', '--profile', file, '--kernels',
  ]);
  say('profile: IQL step kernels by origin, and the fixed cost of one kernel');
  const f = await worker<{ stepsPerSecond: number[]; floor: { origins: KernelOrigins; microsecondsPerKernel: number } }>('bench/workers/iql-steps.ts', [
    '--backend', 'wasm', '--hidden', '64,64', '--batch', '256', '--seconds', String(Math.max(ctx.seconds, 1)), '--runs', '5', '--floor',
  ]);
  const stepSummary = summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, 12);
  say('profile: runner child start-up');
  const childDir = path.join(dir, 'child');
  fs.mkdirSync(childDir, { recursive: true });
  const seconds = await profileChild(childDir, ctx.backend);
  const childFile = fs.readdirSync(childDir).find((f) => f.endsWith('.cpuprofile'))!;
  const startupSummary = summariseProfile(JSON.parse(fs.readFileSync(path.join(childDir, childFile), 'utf8')) as CpuProfile, 12);
  if (process.env.RLHW_BENCH_VERBOSE) process.stderr.write(`${formatSummary(stepSummary)}\n${formatSummary(startupSummary)}\n`);
  const sorted = Object.fromEntries(Object.entries(r.kernels).sort((a, b) => b[1] - a[1]));
  return {
    ...base(ctx),
    step: {
      problem: 'maze',
      hidden: '64x64',
      stepsPerSecond: r.stepsPerSecond.sort((a, b) => a - b)[1],
      kernelsPerStep: Object.values(r.kernels).reduce((a, b) => a + b, 0),
      kernels: sorted,
      summary: trim(stepSummary, 10),
    },
    startup: { seconds, summary: trim(startupSummary, 10) },
    floor: {
      stepsPerSecond: f.stepsPerSecond.sort((a, b) => a - b)[2],
      kitKernels: f.floor.origins.kit + f.floor.origins.other,
      updateKernels: f.floor.origins.update,
      microsecondsPerKernel: f.floor.microsecondsPerKernel,
    },
    notes: ['Profiles slow what they measure (the step by ~10-20%); shares, not absolute times, are the point. Kernels are counted at the backend\'s kernel registry, so those the kit runs on the backend directly (provided/nets/kernels.ts) count too.'],
  };
}
