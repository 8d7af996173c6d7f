// Section 2: the same IQL step in PyTorch (bench/iql_step.py), one thread, with Debian's
// python3-torch installed here by apt-get (never by npm ci). Debian's torch links libblas.so.3,
// which is the slow reference BLAS unless an optimised one is chosen: each size runs once with
// the reference BLAS and once with OpenBLAS (libopenblas0-pthread), picked with LD_LIBRARY_PATH
// so that the machine's update-alternatives setting does not matter. The libraries the process
// really mapped are recorded beside each figure.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { base, type Context, type PairedRow, type TorchRow, type TorchSection } from '../context';
import { run, tail, worker } from '../spawn';
import { KIT_ROOT, say, stat } from '../stats';
import { BATCH, HIDDEN, PROBLEMS } from './train';

const PYTHON = '/usr/bin/python3'; // Debian's, where python3-torch installs (not a pyenv shim)
// libblas3 and liblapack3 by name: when OpenBLAS is installed first, apt satisfies torch's BLAS with it
// and the reference BLAS (the first PyTorch column) would be missing.
const PACKAGES = ['python3-torch', 'libblas3', 'liblapack3', 'libopenblas0-pthread'];

/** The multiarch library folder (e.g. /usr/lib/x86_64-linux-gnu) holding the BLAS variants. */
function libDir(): string | undefined {
  const root = '/usr/lib';
  if (!fs.existsSync(root)) return undefined;
  return fs
    .readdirSync(root)
    .map((d) => path.join(root, d))
    .find((d) => fs.existsSync(path.join(d, 'openblas-pthread', 'libblas.so.3')) || fs.existsSync(path.join(d, 'blas', 'libblas.so.3')));
}

function blasPath(kind: 'reference' | 'openblas', lib: string): string | undefined {
  const dirs = kind === 'openblas' ? [path.join(lib, 'openblas-pthread')] : [path.join(lib, 'blas'), path.join(lib, 'lapack')];
  return dirs.every((d) => fs.existsSync(d)) ? dirs.join(':') : undefined;
}

async function hasTorch(): Promise<string | undefined> {
  if (!fs.existsSync(PYTHON)) return undefined;
  const r = await run(PYTHON, ['-c', 'import torch; print(torch.__version__)']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Installs the Debian packages when allowed; returns why not otherwise. */
async function install(ctx: Context): Promise<string | undefined> {
  if (!ctx.install) return `${PACKAGES.join(' and ')} not installed, and --no-install was given`;
  if (process.getuid?.() !== 0) return `${PACKAGES.join(' and ')} not installed, and apt-get needs root`;
  say(`torch: apt-get install ${PACKAGES.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const update = await run('apt-get', ['update', '-qq'], { env, timeoutSeconds: 600 });
  if (update.code !== 0) return `apt-get update failed: ${tail(update)}`;
  const r = await run('apt-get', ['install', '-y', '-qq', ...PACKAGES], { env, timeoutSeconds: 1800 });
  return r.code === 0 ? undefined : `apt-get install ${PACKAGES.join(' ')} failed: ${tail(r)}`;
}

/** One iql_step.py process: its steps/s per run and the BLAS libraries it mapped. */
async function torchRuns(p: { obs: number; act: number }, hidden: string, libraryPath: string, seconds: number, runs: number, warmup = 10) {
  const args = [path.join(KIT_ROOT, 'bench/iql_step.py'), '--obs', String(p.obs), '--act', String(p.act), '--hidden', hidden.replace('x', ','), '--batch', String(BATCH), '--seconds', String(seconds), '--runs', String(runs), '--warmup', String(warmup)];
  const env = { LD_LIBRARY_PATH: libraryPath, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', PYTHONPATH: undefined };
  const r = await run(PYTHON, args, { env, timeoutSeconds: 900 });
  if (r.code !== 0) throw new Error(`iql_step.py failed: ${tail(r)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { stepsPerSecond: number[]; blas: string[] };
}

/** Untimed steps before the one timed run of each process in the rounds taking turns (JIT and caches warm). */
const PAIRED_WARMUP = 100;

/**
 * Ours (wasm) and PyTorch+OpenBLAS at 64x64, one timed run each per round, taking turns: this
 * machine's speed drifts by up to half over minutes, so a ratio of two figures measured minutes
 * apart (sections 1 and 2) moves with it; a ratio per round does not.
 */
async function paired(ctx: Context, openblas: string): Promise<PairedRow[]> {
  const rows: PairedRow[] = [];
  for (const p of PROBLEMS) {
    say(`torch: ours and PyTorch+OpenBLAS taking turns, ${p.problem} 64x64`);
    const row: PairedRow = { problem: p.problem, ours: [], torch: [], ratios: [] };
    for (let round = 0; round < ctx.runs; round++) {
      const ours = await worker<{ stepsPerSecond: number[] }>('bench/workers/iql-steps.ts', ['--backend', 'wasm', '--obs', String(p.obs), '--act', String(p.act), '--hidden', '64,64', '--batch', String(BATCH), '--seconds', String(ctx.seconds), '--runs', '1', '--warmup', String(PAIRED_WARMUP)]);
      const theirs = await torchRuns(p, '64x64', openblas, ctx.seconds, 1, PAIRED_WARMUP);
      row.ours.push(ours.stepsPerSecond[0]);
      row.torch.push(theirs.stepsPerSecond[0]);
      row.ratios.push(ours.stepsPerSecond[0] / theirs.stepsPerSecond[0]);
    }
    rows.push(row);
  }
  return rows;
}

export async function torchSection(ctx: Context): Promise<TorchSection> {
  let version = await hasTorch();
  const lib = libDir();
  if (!version || !lib || !blasPath('openblas', lib) || !blasPath('reference', lib)) {
    const why = await install(ctx);
    if (why) return { ...base(ctx), skipped: why, rows: [] };
    version = await hasTorch();
  }
  const dir = libDir();
  if (!version || !dir) return { ...base(ctx), skipped: `python3-torch did not install where expected (${PYTHON})`, rows: [] };
  const rows: TorchRow[] = [];
  for (const p of PROBLEMS) {
    for (const hidden of HIDDEN) {
      for (const blas of ['reference', 'openblas'] as const) {
        const row: TorchRow = { ...p, hidden, batch: BATCH, blas, libraries: [] };
        rows.push(row);
        const libraryPath = blasPath(blas, dir);
        if (!libraryPath) {
          row.skipped = `no ${blas} BLAS under ${dir}`;
          continue;
        }
        say(`torch: ${blas} ${p.problem} ${hidden}`);
        let out: { stepsPerSecond: number[]; blas: string[] };
        try {
          out = await torchRuns(p, hidden, libraryPath, ctx.seconds, ctx.runs);
        } catch (err) {
          row.skipped = (err as Error).message;
          continue;
        }
        row.libraries = out.blas.map((l) => path.basename(l));
        const wanted = blas === 'openblas' ? /openblas/ : /^libblas\.so/;
        if (!out.blas.some((l) => wanted.test(path.basename(l))) || (blas === 'reference' && out.blas.some((l) => /openblas/.test(l)))) {
          row.skipped = `the process did not map the ${blas} BLAS (it mapped ${row.libraries.join(', ') || 'none'})`;
          continue;
        }
        row.stepsPerSecond = stat(out.stepsPerSecond, 'steps/s');
      }
    }
  }
  const openblas = rows.some((r) => r.blas === 'openblas' && r.stepsPerSecond) ? blasPath('openblas', dir) : undefined;
  return {
    ...base(ctx),
    torch: version,
    rows,
    paired: openblas ? await paired(ctx, openblas) : undefined,
    notes: ['torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1; same networks, losses, order of updates and Adam settings as solutions/iql.ts (bench/iql_step.py).'],
  };
}
