// docs/benchmarks.md from a results file: the figures as tables (median, min-max, runs), the
// targets met or missed, the profiles. The template is bench/benchmarks.md.hbs; every number
// comes from the JSON, so the page can be regenerated without measuring again:
//   tsx bench/run.ts --render bench/results/DATE-BACKEND.json
import * as fs from 'node:fs';
import * as path from 'node:path';
import Handlebars from 'handlebars';
import type { SectionBase, Sections } from './context';
import { stat, type Machine, type Stat } from './stats';
import { checkTargets, torchRatios, type Target } from './targets';

export interface Results {
  machine: Machine;
  backend: string;
  sections: Sections;
  targets?: Target[];
}

const TEMPLATE = path.join(__dirname, 'benchmarks.md.hbs');

/** Significant digits that suit the size: 1234, 123, 12.3, 1.23. */
export function num(x: number): string {
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(0);
  if (a >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** "95.3 (88.1-103) x5"; a derived figure has no spread. */
export function fmt(s: Stat | undefined, scale = 1): string {
  if (!s) return '-';
  if (s.n <= 1) return `${num(s.median * scale)}${s.n === 1 ? ' (1 run)' : ''}`;
  return `${num(s.median * scale)} (${num(s.min * scale)}–${num(s.max * scale)})`;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function when(sec: SectionBase | undefined): string {
  if (!sec) return '';
  const bits = [`measured ${sec.measuredAt.slice(0, 16).replace('T', ' ')} UTC`, `${sec.runs} run(s) per figure`];
  if (sec.quick) bits.push('**quick run: for checking the harness, not for quoting**');
  return `_${bits.join(', ')}._`;
}

function trainTable(sec: Sections): string[] {
  const rows = sec.train?.rows ?? [];
  const keys = [...new Set(rows.map((r) => `${r.problem}|${r.hidden}`))];
  const backends = [...new Set(rows.map((r) => r.backend))];
  const cell = (k: string, b: string) => {
    const r = rows.find((x) => `${x.problem}|${x.hidden}` === k && x.backend === b);
    return r?.stepsPerSecond ? fmt(r.stepsPerSecond) : 'not available';
  };
  return [
    `| problem | hidden | ${backends.map((b) => `${b} steps/s`).join(' | ')} |`,
    `| --- | --- | ${backends.map(() => '---:').join(' | ')} |`,
    ...keys.map((k) => `| ${k.split('|').join(' | ')} | ${backends.map((b) => cell(k, b)).join(' | ')} |`),
  ];
}

function torchTable(sec: Sections): string[] {
  const rows = sec.torch?.rows ?? [];
  const ours = (problem: string, hidden: string) => sec.train?.rows.find((r) => r.problem === problem && r.hidden === hidden && r.backend === 'wasm')?.stepsPerSecond;
  const keys = [...new Set(rows.map((r) => `${r.problem}|${r.hidden}`))];
  return [
    '| problem | hidden | PyTorch, reference BLAS | PyTorch + OpenBLAS | ours (wasm) | ours / PyTorch+OpenBLAS |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...keys.map((k) => {
      const [problem, hidden] = k.split('|');
      const ref = rows.find((r) => r.problem === problem && r.hidden === hidden && r.blas === 'reference');
      const ob = rows.find((r) => r.problem === problem && r.hidden === hidden && r.blas === 'openblas');
      const o = ours(problem, hidden);
      const ratio = o && ob?.stepsPerSecond ? (o.median / ob.stepsPerSecond.median).toFixed(2) : '-';
      return `| ${problem} | ${hidden} | ${ref?.stepsPerSecond ? fmt(ref.stepsPerSecond) : ref?.skipped ?? '-'} | ${ob?.stepsPerSecond ? fmt(ob.stepsPerSecond) : ob?.skipped ?? '-'} | ${fmt(o)} | ${ratio} |`;
    }),
  ];
}

function gradeTables(sec: Sections): { phases: string[]; questions: string[] } {
  const g = sec.grade;
  if (!g?.cold || !g.warm) return { phases: [], questions: [] };
  const names: Array<[keyof typeof g.cold, string]> = [
    ['total', 'total'],
    ['startup', 'grader process start-up (Node, tsx, grader modules)'],
    ['setup', 'assignment, case inputs, intake'],
    ['reference', 'reference values (from the cache)'],
    ['children', "the student's runner children, launch to exit (wall)"],
    ['childStart', '- of which: runner child start-up (to its first case)'],
    ['unitCases', '- of which: unit cases, all questions'],
    ['training', '- of which: end-to-end runs (IQL training case, FQE runs)'],
    ['verify', 'trusted re-measurement of the training run'],
    ['scoring', 'scoring, hints, figures'],
    ['report', 'writing results.json, report.md, report.html'],
  ];
  return {
    phases: ['| phase | cold, s | warm, s |', '| --- | ---: | ---: |', ...names.map(([k, label]) => `| ${label} | ${fmt(g.cold![k])} | ${fmt(g.warm![k])} |`)],
    questions: ['| question | seconds (cold) |', '| --- | ---: |', ...Object.entries(g.questions ?? {}).map(([q, s]) => `| ${q} | ${fmt(s)} |`)],
  };
}

function batchTable(sec: Sections): string[] {
  const rows = sec.batch?.rows ?? [];
  if (!rows.length) return [];
  return [
    '| workers | wall time, s | submissions per hour | scaling efficiency | errors |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.workers} | ${fmt(r.seconds)} | ${fmt(r.perHour)} | ${r.efficiency !== undefined ? pct(r.efficiency) : '-'} | ${r.errors} |`),
  ];
}

function scalingView(sec: Sections) {
  const s = sec.scaling;
  if (!s) return undefined;
  return {
    when: when(s),
    skipped: s.skipped,
    ceiling: s.ceiling ? `${fmt(s.ceiling, 100)} %` : '-',
    lone: fmt(s.loneStepsPerSecond),
    table: s.grading?.length
      ? [
          '| workers | wall time, s | CPU time of the whole tree, s | CPU s per submission | cores busy |',
          '| ---: | ---: | ---: | ---: | ---: |',
          ...s.grading.map((g) => `| ${g.workers} | ${num(g.wallSeconds)} | ${num(g.cpuSeconds)} | ${num(g.cpuPerSubmission)} | ${num(g.coresBusy)} |`),
        ]
      : [],
    threads: s.grading?.some((g) => g.threadsPerSubmission)
      ? [
          '| workers | runner child: main thread | runner child: V8 helper threads | grader processes | other |',
          '| ---: | ---: | ---: | ---: | ---: |',
          ...s.grading
            .filter((g) => g.threadsPerSubmission)
            .map((g) => {
              const t = g.threadsPerSubmission!;
              return `| ${g.workers} | ${num(t.childMain)} | ${num(t.childHelpers)} | ${num(t.grader)} | ${num(t.other)} |`;
            }),
        ]
      : [],
    others: (s.grading ?? []).filter((g) => g.otherProcesses?.length).map((g) => `with ${g.workers} worker(s): ${g.otherProcesses!.join('; ')}`),
    notes: s.notes ?? [],
  };
}

/** Section 2's rounds of ours and PyTorch taking turns. */
function pairedView(sec: Sections) {
  const rows = sec.torch?.paired;
  if (!rows?.length) return {};
  return {
    pairedRounds: rows[0].ratios.length,
    paired: [
      '| problem | ours (wasm) steps/s | PyTorch + OpenBLAS steps/s | ours / PyTorch, round by round |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.problem} | ${fmt(stat(r.ours, 'steps/s'))} | ${fmt(stat(r.torch, 'steps/s'))} | **${fmt(stat(r.ratios, 'ratio'))}** |`),
    ],
  };
}

/**
 * The fastest an IQL step could be with TensorFlow.js if the kit's own code cost only its wasm
 * arithmetic: the step's wasm time (its share in the profile) plus the kernels of the update the
 * student writes at the cheapest cost a kernel has. A lower bound on time, so an upper bound on rate.
 */
function floorView(sec: Sections) {
  const f = sec.profile?.floor;
  const wasmShare = sec.profile?.step?.summary.byPlace.find((x) => x.place === 'wasm kernels')?.share;
  if (!f || wasmShare === undefined) return undefined;
  const stepMs = 1000 / f.stepsPerSecond;
  const wasmMs = wasmShare * stepMs;
  const updateMs = (f.updateKernels * f.microsecondsPerKernel) / 1000;
  const ceiling = 1000 / (wasmMs + updateMs);
  // Against PyTorch: the floor's headroom over this step (one process) times ours / PyTorch from
  // the rounds taking turns (section 2), so that neither depends on when the other was measured.
  const maze = torchRatios(sec).find((x) => x.problem === 'maze');
  const headroom = ceiling / f.stepsPerSecond;
  return {
    stepRate: num(f.stepsPerSecond),
    stepMs: num(stepMs),
    kit: f.kitKernels,
    update: f.updateKernels,
    us: num(f.microsecondsPerKernel),
    wasmShare: pct(wasmShare),
    wasmMs: num(wasmMs),
    updateMs: num(updateMs),
    floorMs: num(wasmMs + updateMs),
    ceiling: num(ceiling),
    headroom: headroom.toFixed(2),
    oursRatio: maze?.ratio.toFixed(2),
    ratio: maze ? (headroom * maze.ratio).toFixed(2) : undefined,
    kitMs: num(stepMs - wasmMs - updateMs),
  };
}

function profileView(sec: Sections) {
  const p = sec.profile;
  if (!p?.step || !p.startup) return undefined;
  const places = (s: typeof p.step.summary) => s.byPlace.map((x) => `| ${x.place} | ${pct(x.share)} |`);
  return {
    stepRate: num(p.step.stepsPerSecond),
    kernelsPerStep: p.step.kernelsPerStep,
    kernels: Object.entries(p.step.kernels).slice(0, 12).map(([k, n]) => `${k} ${n}`).join(', '),
    stepPlaces: ['| where | share of the step |', '| --- | ---: |', ...places(p.step.summary)],
    wasmKernels: ['| wasm time called from | share of the step |', '| --- | ---: |', ...p.step.summary.wasmByKernel.map((k) => `| ${k.kernel} | ${pct(k.share)} |`)],
    floor: floorView(sec),
    startupSeconds: num(p.startup.seconds),
    startupPlaces: ['| where | share of start-up |', '| --- | ---: |', ...places(p.startup.summary)],
    when: when(p),
  };
}

export function viewModel(r: Results) {
  const sec = r.sections;
  const targets = r.targets ?? checkTargets(sec);
  const ratios = torchRatios(sec);
  const g = gradeTables(sec);
  const sections = Object.values(sec).filter(Boolean) as SectionBase[];
  return {
    m: r.machine,
    backend: r.backend,
    busy: r.machine.loadAverage > 0.5,
    anyQuick: sections.some((s) => s.quick),
    targets: targets.map((t) => ({ ...t, mark: t.met === undefined ? 'not measured' : t.met ? 'met' : '**missed**', value: t.value ?? '-' })),
    train: sec.train && { when: when(sec.train), table: trainTable(sec), notes: sec.train.notes ?? [] },
    torch: sec.torch && { when: when(sec.torch), skipped: sec.torch.skipped, version: sec.torch.torch, table: torchTable(sec), notes: sec.torch.notes ?? [], libs: [...new Set(sec.torch.rows.map((x) => `${x.blas}: ${x.libraries.join(', ')}`))], ...pairedView(sec) },
    ratios: ratios.map((x) => `${x.problem}: ${x.ratio.toFixed(2)}`).join('; '),
    startup: sec.startup && { when: when(sec.startup), plain: fmt(sec.startup.plain, 1000), sandboxed: fmt(sec.startup.sandboxed, 1000), loader: sec.startup.loader, mechanisms: (sec.startup.mechanisms ?? []).join(', '), notes: sec.startup.notes ?? [] },
    grade: sec.grade && { when: when(sec.grade), cli: fmt(sec.grade.cli), score: sec.grade.score, phases: g.phases, questions: g.questions, notes: sec.grade.notes ?? [] },
    batch: sec.batch && { when: when(sec.batch), skipped: sec.batch.skipped, table: batchTable(sec), notes: sec.batch.notes ?? [] },
    scaling: scalingView(sec),
    student: sec.student && { when: when(sec.student), test: fmt(sec.student.handoutTest), skipped: sec.student.handoutSkipped, train: fmt(sec.student.train), success: (sec.student.trainSuccess ?? []).join(', '), notes: sec.student.notes ?? [] },
    memory: sec.memory && { when: when(sec.memory), grader: fmt(sec.memory.grader), child: fmt(sec.memory.child), notes: sec.memory.notes ?? [] },
    container: sec.container && { when: when(sec.container), skipped: sec.container.skipped, image: sec.container.image, limits: sec.container.limits, total: fmt(sec.container.total), score: sec.container.score, notes: sec.container.notes ?? [] },
    profile: profileView(sec),
  };
}

export function renderMarkdown(r: Results, source: string): string {
  const template = Handlebars.compile(fs.readFileSync(TEMPLATE, 'utf8'), { noEscape: true });
  return template({ ...viewModel(r), source });
}
