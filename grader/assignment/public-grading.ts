/**
 * The public half of an assignment's grading interface (plugin.ts says the whole): what the
 * runner child and the student handout load. Types only, and nothing secret.
 */
import type { Modules, WholeRun } from '../child/execute';
import type { HarnessSpec, PlainArg, PlainTensor } from '../child/protocol';

/** How one student function is called: its harness, and the names of its arguments, looked up in order in the generated inputs and the case's parameters. */
export interface TargetSpec {
  harness: HarnessSpec;
  args: string[];
}

/** What one call may return: the parent checks every result against it before any use (grader/runner/messages.ts). */
export interface Envelope {
  /** Most elements an output of this name may carry; undefined: not an output of this call. */
  elements(name: string): number | undefined;
  /** How many outputs a result may hold. */
  maxOutputs: number;
  /** Whether the call may report the network `name` as changed. */
  network(name: string): boolean;
  /** The largest of the element caps: what the child is told (RunnerCall.maxElements). */
  maxElements: number;
}

/** A whole run (a short training, an evaluation) with the student's modules. */
export interface RunSpec {
  /** The run, in the runner child. */
  run: WholeRun;
  /** What the run may return, from its arguments (the parent refuses anything else), when no reference bounds it. */
  envelope?(args: PlainArg[]): Envelope;
  /**
   * Outputs the trusted side measures again, because the child could report anything: a run of
   * the kit's own code (`run`, a run of this module, trusted) takes the call's arguments and the
   * reported outputs named `from`*, and its outputs replace those for which `replaces` is true.
   */
  verify?: { run: string; from: string; replaces(name: string): boolean };
  /** The output a case's `thresholds` are read from (a number in [0, 1], such as a success rate). */
  metric?: string;
  /** What the metric is, in words ("success rate"); values are shown as percentages. */
  metricLabel?: string;
  /** How a student runs it locally (the handout says so), such as "npm run train -- --algo x". */
  localCheck?: string;
}

/** A mistake recognised from a student's outputs alone (no reference code: the handout ships it). */
export interface OutputCheck {
  id: string;
  /** "module.function". */
  target: string;
  hint: string;
  matches(got: Record<string, PlainTensor>): boolean;
}

export interface PublicGrading {
  /** Every student function a case may call, by "module.function". */
  targets: Record<string, TargetSpec>;
  /** The whole runs a 'run' harness may name. */
  runs: Record<string, RunSpec>;
  /** Kit paths (relative to the kit) the runner child reads besides code: datasets, settings. */
  reads: string[];
  outputChecks: OutputCheck[];
  /** How to name each student module in summaries ("Filtered BC" for filtered_bc); default: the name. */
  moduleTitles?: Record<string, string>;
}

export type { Modules, WholeRun };
