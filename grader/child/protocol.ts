/**
 * The plain-data protocol between the grader and the runner child, the only thing the trusted
 * grader and the untrusted child share. Nothing here is a tensor: tensors travel as
 * { shape, data } and networks as the seeds that build them. The child may be subverted by the
 * code it runs, so the grader checks every message against what the case can return
 * (grader/runner/conversation.ts, messages.ts) before it uses any of it.
 */

/** A tensor as plain numbers, row-major. */
export interface PlainTensor {
  shape: number[];
  /** Row-major values; empty when `tooLarge`. */
  data: number[];
  /**
   * The tensor has more elements than the case can return (RunnerCall.maxElements): only its
   * shape travels, which is enough to say that it is the wrong shape.
   */
  tooLarge?: true;
}

/** Largest rank of a tensor that travels. */
export const MAX_RANK = 8;
/**
 * Largest message line, in bytes; a longer one ends the child's run before it is parsed. A result
 * of the kit's largest case (a training run's policy of two 32-unit layers) is about 30 KiB; the
 * cap leaves room for networks of 256 x 256 (about 1.5 MiB), and bounds what parsing one message
 * can cost the grader (a few tens of MiB at worst).
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Longest error message and place ("file.ts:42") a result may carry. */
export const MAX_ERROR_CHARS = 300;
export const MAX_WHERE_CHARS = 100;

/** A network the harness builds with the kit's provided code. */
export interface NetSpec {
  net: 'mlp' | 'policy';
  seed: number;
  /** mlp: [in, hidden..., out]; policy: [obsDim, hidden..., actDim]. */
  sizes: number[];
  /** Policy only: the initial log sigma (default zeros). */
  logStd?: number[];
}

/** A call argument: a tensor, a network, a number, or a plain record of those. */
export type PlainArg = number | boolean | number[] | PlainTensor | NetSpec | { [key: string]: PlainArg };

/** A network a harness builds or checks: the kit's Mlp, or its GaussianPolicy. */
export type NetKind = 'mlp' | 'policy';

/**
 * How the runner calls a target (harnesses.ts); an assignment declares one per target.
 *   function  f(...args) returns a tensor: output `result`
 *   number    f(...args) returns a JavaScript number: output `result`
 *   mutate    f(...args) changes the networks at the `watch` argument positions in place: outputs
 *             their parameters after the call (named by `watch`), and which of them changed
 *   factory   f(new Rng(args[0]), ...args[1..]) returns a record of networks of the `nets` kinds:
 *             outputs each network's parameters, and `distinct` (1 when no pair of `distinct`
 *             shares its parameters)
 *   update    f(agent, optimizers, batch, cfg) with args [agent, batch, cfg, lr], plain SGD at lr:
 *             a record of optimizers named `optimizers`, or one optimizer ('one'); returns the
 *             `losses` as numbers: outputs the losses, every network's parameters after, and
 *             which networks changed
 *   run       a whole run of the assignment (its public module's `runs[run]`) with the student's
 *             modules
 */
export type HarnessSpec =
  | { kind: 'function' }
  | { kind: 'number' }
  | { kind: 'mutate'; watch: Record<string, number> }
  | { kind: 'factory'; nets: Record<string, NetKind>; distinct?: [string, string][] }
  | { kind: 'update'; optimizers: string[] | 'one'; losses: string[] }
  | { kind: 'run'; run: string };

export interface RunnerCall {
  /** The case id. */
  id: string;
  /**
   * Most elements any one output of this call may carry; a larger tensor travels as its shape
   * only (PlainTensor.tooLarge). Absent: no cap (trusted runs).
   */
  maxElements?: number;
  /** "module.function" of the student's files. */
  target: string;
  harness: HarnessSpec;
  args: PlainArg[];
}

export interface RunnerRequest {
  backend: 'wasm' | 'cpu' | 'node';
  /** Folder holding the student modules (returns.ts, ...). */
  studentDir: string;
  /** The modules to load from it, in order (names without `.ts`). */
  modules: string[];
  /** The assignment's public grading module (its whole runs), when a call is a run. */
  publicModule?: string;
  /** Trusted reference runs only: the assignment's private grading module (its diagnostic variants). */
  privateModule?: string;
  calls: RunnerCall[];
  /** Student modules not to load, with why: loading them stopped an earlier child. */
  unloadable?: Record<string, string>;
}

export type ErrorKind = 'not-implemented' | 'exception' | 'bad-return' | 'load' | 'timeout' | 'crashed';

export interface CallError {
  kind: ErrorKind;
  /** One line. */
  message: string;
  /** "file.ts:42" in the student's file, when known. */
  where?: string;
}

export interface CallResult {
  id: string;
  ok: boolean;
  outputs: Record<string, PlainTensor>;
  /** Networks whose parameters changed during the call (update harnesses). */
  changed?: string[];
  /** Tensors left allocated by the call. */
  leaked: number;
  error?: CallError;
}

/** Result of one call under one diagnostic variant (reference process only). */
export interface VariantResult {
  variant: string;
  /** The sentence a student sees when their outputs match this variant's. */
  hint: string;
  outputs: Record<string, PlainTensor>;
  changed?: string[];
}

/** Messages the child sends, one per line. */
export type ChildMessage =
  | { type: 'loading'; module: string }
  | { type: 'start'; id: string }
  | { type: 'result'; result: CallResult; variants?: VariantResult[] }
  | { type: 'done' }
  | { type: 'fatal'; message: string };

/** "module.function" -> ["module", "function"]. */
export function splitTarget(target: string): [string, string] {
  const dot = target.indexOf('.');
  return [target.slice(0, dot), target.slice(dot + 1)];
}
