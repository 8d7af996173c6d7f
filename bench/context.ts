// What every benchmark section receives, and the shape of what it returns.
import type { Stat } from './stats';
import type { ThreadCpu } from './thread-cpu';

export const SECTIONS = ['train', 'torch', 'startup', 'grade', 'batch', 'scaling', 'student', 'memory', 'container', 'profile'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface Context {
  /** Fewer runs, shorter runs: checks that the harness works, figures not for quoting. */
  quick: boolean;
  /** Runs behind each figure (at least 5 unless quick). */
  runs: number;
  /** The backend of the grading sections (section 1 measures every backend that loads). */
  backend: 'wasm' | 'cpu' | 'node';
  /** Length of one timed training-throughput run, seconds. */
  seconds: number;
  /** May install Debian packages (python3-torch) with apt-get. */
  install: boolean;
  /** A scratch folder, removed at the end. */
  tmp: string;
  /** Sandbox user of the sandboxed runs (not the one the test suite uses, so runs are not serialised with it). */
  sandboxUser: string;
}

/** Every section result carries when it was measured and whether quickly. */
export interface SectionBase {
  measuredAt: string;
  quick: boolean;
  runs: number;
  /** Why the whole section did not run. */
  skipped?: string;
  /** Things a reader must know about these figures. */
  notes?: string[];
}

export interface TrainRow {
  problem: string;
  obs: number;
  act: number;
  hidden: string;
  batch: number;
  backend: string;
  stepsPerSecond?: Stat;
  skipped?: string;
}
export interface TrainSection extends SectionBase {
  rows: TrainRow[];
}

export interface TorchRow {
  problem: string;
  obs: number;
  act: number;
  hidden: string;
  batch: number;
  blas: 'reference' | 'openblas';
  libraries: string[];
  stepsPerSecond?: Stat;
  skipped?: string;
}
/** Ours (wasm) and PyTorch+OpenBLAS at 64x64 taking turns, one run each per round, so both see the same machine. */
export interface PairedRow {
  problem: string;
  ours: number[];
  torch: number[];
  /** ours / torch, round by round. */
  ratios: number[];
}
export interface TorchSection extends SectionBase {
  torch?: string;
  rows: TorchRow[];
  paired?: PairedRow[];
}

export interface StartupSection extends SectionBase {
  /** Spawn to exit of a runner child that loads TensorFlow.js and the solutions and runs no call. */
  plain?: Stat;
  sandboxed?: Stat;
  mechanisms?: string[];
  loader?: string;
}

export interface GradePhases {
  total: Stat;
  startup: Stat;
  reference: Stat;
  childStart: Stat;
  unitCases: Stat;
  training: Stat;
  report: Stat;
  /** Newer runs only: assignment, case inputs and intake; the student's children (wall, every lane); the trusted re-measurement; scoring and figures. */
  setup?: Stat;
  children?: Stat;
  verify?: Stat;
  scoring?: Stat;
}
export interface GradeSection extends SectionBase {
  /** `node grader/bin/rlgrade.js grade solutions` in a new process, wall seconds. */
  cli?: Stat;
  /** Cold: a new process per grading (bench/workers/grade.ts), split into phases. */
  cold?: GradePhases;
  /** Warm: several gradings in one process. */
  warm?: GradePhases;
  /** Seconds per question (unit cases of the question, in the child), median over cold runs. */
  questions?: Record<string, Stat>;
  score?: string;
}

export interface BatchRow {
  workers: number;
  seconds: Stat;
  perHour: Stat;
  /** Throughput at N workers / (N x throughput at 1), capped by the cores there are. */
  efficiency?: number;
  errors: number;
}
export interface BatchSection extends SectionBase {
  submissions?: number;
  rows?: BatchRow[];
}

export interface ScalingGrading {
  workers: number;
  wallSeconds: number;
  /** User + system CPU of the whole process tree. */
  cpuSeconds: number;
  cpuPerSubmission: number;
  /** cpuSeconds / wallSeconds. */
  coresBusy: number;
  /** CPU seconds per submission by thread (bench/thread-cpu.ts). */
  threadsPerSubmission?: ThreadCpu;
  /** The largest processes behind 'other' in the whole run (command and CPU seconds), if any took 0.5 s. */
  otherProcesses?: string[];
}
export interface ScalingSection extends SectionBase {
  /** Two processes doing the same fixed work at once: their combined rate / (2 x the lone rate). */
  ceiling?: Stat;
  loneStepsPerSecond?: Stat;
  submissions?: number;
  grading?: ScalingGrading[];
}

export interface StudentSection extends SectionBase {
  /** The handout's `npm test` (public suite), wall seconds. */
  handoutTest?: Stat;
  handoutSkipped?: string;
  /** `npm run train -- --algo iql`, wall seconds. */
  train?: Stat;
  trainSuccess?: number[];
}

export interface MemorySection extends SectionBase {
  /** Peak resident memory of the grading process (maxRSS), MiB. */
  grader?: Stat;
  /** Peak resident memory of a sandboxed runner child (the sandbox's sampled RSS), MiB. */
  child?: Stat;
}

export interface ContainerSection extends SectionBase {
  image?: string;
  limits?: string;
  total?: Stat;
  score?: string;
}

export interface Sections {
  train?: TrainSection;
  torch?: TorchSection;
  startup?: StartupSection;
  grade?: GradeSection;
  batch?: BatchSection;
  scaling?: ScalingSection;
  student?: StudentSection;
  memory?: MemorySection;
  container?: ContainerSection;
  profile?: import('./sections/profile').ProfileSection;
}

export const base = (ctx: Context): SectionBase => ({ measuredAt: new Date().toISOString(), quick: ctx.quick, runs: ctx.runs });
