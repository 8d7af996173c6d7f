/**
 * The plain-data protocol between the grader and the runner child. Nothing here is a tensor:
 * tensors travel as { shape, data } and networks as the seeds that build them.
 */

/** A tensor as plain numbers, row-major. */
export interface PlainTensor {
  shape: number[];
  data: number[];
}

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
export type PlainArg = number | number[] | PlainTensor | NetSpec | { [key: string]: PlainArg };

/** How the runner calls the target: see harnesses.ts. */
export type HarnessName = 'function' | 'number' | 'softUpdate' | 'createIqlAgent' | 'iqlUpdate' | 'awrUpdate' | 'fqeUpdate' | 'train' | 'fqe' | 'evaluate';

export interface RunnerCall {
  /** The case id. */
  id: string;
  /** Such as "iql.expectileLoss". */
  target: string;
  harness: HarnessName;
  args: PlainArg[];
}

export interface RunnerRequest {
  backend: 'wasm' | 'cpu' | 'node';
  /** Folder holding the student modules (returns.ts, ...). */
  studentDir: string;
  calls: RunnerCall[];
  /** Trusted reference runs only: also run these diagnostic variants on every call. */
  variants?: boolean;
  /** Student modules not to load (such as "iql"), with why: loading them stopped an earlier child. */
  unloadable?: Record<string, string>;
}

export type ErrorKind = 'not-implemented' | 'exception' | 'bad-return' | 'load' | 'timeout' | 'crashed';

export interface CallError {
  kind: ErrorKind;
  /** One line. */
  message: string;
  /** "iql.ts:42" in the student's file, when known. */
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
