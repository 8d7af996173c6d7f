// Section 3 (grading latency) and section 6 (memory). The reference solution is graded with every
// hidden case, the training case included:
//   cli   `node grader/bin/rlgrade.js grade solutions --out DIR`, a new process each time
//   cold  bench/workers/grade.ts in a new process each time (the same gradeSubmission), split into
//         phases from the Graded result's timings
//   warm  several gradings in one process (the first one, cold, is left out)
// Every grading runs student code in the sandbox (isolation auto) as its own user, with the
// reference values already cached (as in the grader image, which computes them at build time).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GradeTimings } from '../../grader/cli/grade-timings';
import { base, type Context, type GradePhases, type GradeSection, type MemorySection } from '../context';
import { check, run, worker } from '../spawn';
import { KIT_ROOT, say, stat } from '../stats';

interface GradeWorkerOut {
  startup: number;
  gradings: Array<{ timings: GradeTimings; score: number; maxScore: number }>;
  maxRssMiB: number;
  caseQuestions: Record<string, string>;
  endToEnd: string[];
}

/** Kept between bench runs: its entries are keyed by a hash of the inputs and the code. */
export const cacheDir = (_ctx: Context): string => path.join(os.tmpdir(), 'rlhw-bench-reference-cache');

function gradeArgs(ctx: Context, runs: number, out: string): string[] {
  return ['--submission', path.join(KIT_ROOT, 'solutions'), '--runs', String(runs), '--out', out, '--cache', cacheDir(ctx), '--user', ctx.sandboxUser];
}

/** Computes the reference values once, untimed (the grader image does this at build time). */
export async function warmReferenceCache(ctx: Context): Promise<void> {
  if (fs.existsSync(cacheDir(ctx)) && fs.readdirSync(cacheDir(ctx)).length > 0) return;
  say('grade: computing the reference values once (untimed)');
  await worker<GradeWorkerOut>('bench/workers/grade.ts', [...gradeArgs(ctx, 1, path.join(ctx.tmp, 'warm-up')), '--skip-training']);
}

let coldRuns: GradeWorkerOut[] | undefined;

/** `ctx.runs` cold gradings, each in a new process (shared by the grade and memory sections). */
async function coldGradings(ctx: Context): Promise<GradeWorkerOut[]> {
  if (coldRuns) return coldRuns;
  await warmReferenceCache(ctx);
  const out: GradeWorkerOut[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    say(`grade: cold grading ${i + 1}/${ctx.runs}`);
    out.push(await worker<GradeWorkerOut>('bench/workers/grade.ts', gradeArgs(ctx, 1, path.join(ctx.tmp, `cold-${i}`)), { timeoutSeconds: 1800 }));
  }
  return (coldRuns = out);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Phases of gradings; `startup` is the process start-up (0 for warm gradings, which have none). */
function phases(gradings: Array<{ timings: GradeTimings; startup: number }>, endToEnd: Set<string>): GradePhases {
  const pick = (f: (t: GradeTimings, startup: number) => number) => stat(gradings.map((g) => f(g.timings, g.startup)), 's');
  const unit = (t: GradeTimings) => sum(Object.entries(t.cases).filter(([id]) => !endToEnd.has(id)).map(([, s]) => s));
  const training = (t: GradeTimings) => sum(Object.entries(t.cases).filter(([id]) => endToEnd.has(id)).map(([, s]) => s));
  return {
    total: pick((t, s) => s + t.total),
    startup: pick((_, s) => s),
    reference: pick((t) => t.reference),
    childStart: pick((t) => t.childStart),
    unitCases: pick(unit),
    training: pick(training),
    report: pick((t) => t.write),
    setup: pick((t) => t.setup - t.reference),
    children: pick((t) => t.run - t.verify),
    verify: pick((t) => t.verify),
    scoring: pick((t) => t.scoring),
  };
}

export async function gradeSection(ctx: Context): Promise<GradeSection> {
  const cold = await coldGradings(ctx);
  const endToEnd = new Set(cold[0].endToEnd);
  const questions: Record<string, number[]> = {};
  for (const r of cold) {
    const perQuestion: Record<string, number> = {};
    for (const [id, s] of Object.entries(r.gradings[0].timings.cases)) {
      const q = r.caseQuestions[id] ?? '?';
      perQuestion[q] = (perQuestion[q] ?? 0) + s;
    }
    for (const [q, s] of Object.entries(perQuestion)) (questions[q] ??= []).push(s);
  }

  say(`grade: ${ctx.runs} warm gradings in one process (after one cold)`);
  const warmOut = await worker<GradeWorkerOut>('bench/workers/grade.ts', gradeArgs(ctx, ctx.runs + 1, path.join(ctx.tmp, 'warm')), { timeoutSeconds: 3600 });
  const warm = warmOut.gradings.slice(1).map((g) => ({ timings: g.timings, startup: 0 }));

  const cli: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    say(`grade: rlgrade grade solutions ${i + 1}/${ctx.runs}`);
    const out = path.join(ctx.tmp, `cli-${i}`);
    const r = check(await run(process.execPath, [path.join(KIT_ROOT, 'grader/bin/rlgrade.js'), 'grade', path.join(KIT_ROOT, 'solutions'), '--out', out], { env: { RLGRADE_CACHE_DIR: cacheDir(ctx) }, timeoutSeconds: 1800 }), 'rlgrade grade');
    cli.push(r.seconds);
  }
  const first = cold[0].gradings[0];
  return {
    ...base(ctx),
    cli: stat(cli, 's'),
    cold: phases(cold.map((r) => ({ timings: r.gradings[0].timings, startup: r.startup })), endToEnd),
    warm: phases(warm, endToEnd),
    questions: Object.fromEntries(Object.entries(questions).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true })).map(([q, xs]) => [q, stat(xs, 's')])),
    score: `${first.score} / ${first.maxScore}`,
    notes: [
      'The reference values come from a cache filled once before timing (the grader image computes them at build time).',
      'Per-question times are the parent\'s view of each case (from the child\'s start message to its result), summed over the question\'s cases.',
      '`rlgrade grade` runs as the default sandbox user; the bench workers use their own user so that other graders on the machine do not serialise with them.',
      `Runner children side by side (grader/runner/lanes.ts): ${os.availableParallelism() >= 2 ? 'two here (two cores), so the unit cases and end-to-end runs rows overlap in time and add up to more than the children\'s wall time' : 'one here (one core)'}.`,
    ],
  };
}

export async function memorySection(ctx: Context): Promise<MemorySection> {
  const cold = await coldGradings(ctx);
  const child = cold.map((r) => r.gradings[0].timings.childPeakRssMiB).filter((x) => x > 0);
  return {
    ...base(ctx),
    grader: stat(cold.map((r) => r.maxRssMiB), 'MiB'),
    child: child.length > 0 ? stat(child, 'MiB') : undefined,
    notes: [
      'grader: the maximum resident set of the grading process (getrusage); child: the largest resident memory of a sandboxed runner child\'s process tree, sampled by the sandbox every 100 ms, over a whole grading (training case included).',
      ...(child.length === 0 ? ['No sandboxed child was sampled (isolation plain, or not root).'] : []),
    ],
  };
}
