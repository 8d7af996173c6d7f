/**
 * The grader's side of one runner child's messages, as a state machine. The child is told which
 * calls to run, in order; an honest child announces each module it loads, then for each call a
 * `start` and one `result`, then `done`. Everything else is a violation, and the child is stopped:
 *
 *   loading m   only before the first call starts, only for a module the submission may hold,
 *               each module once
 *   start id    only for the next call in order, when no call is running
 *   result      only for the call that is running, once, and only if it passes checkResult
 *   done        only when every call has its result
 *   fatal       only when no call is running (the harness itself failed)
 *
 * Nothing the child says is believed beyond this: a result for a call that never started, a
 * second result, or a module name it was not asked about earns nothing and ends the run.
 */
import { MAX_ERROR_CHARS, type CallResult, type ChildMessage, type RunnerCall, type VariantResult } from '../child/protocol';
import { checkResult, type Envelope } from './messages';

export interface CallOutcome {
  result: CallResult;
  variants?: VariantResult[];
}

/** What the grader does with a message: give a call its budget, stop the child, or nothing. */
export type Reply = { budgetFor: string } | { stop: string } | undefined;

/** No cap: the trusted reference and evaluation children. */
const UNBOUNDED: Envelope = { elements: () => Infinity, maxOutputs: Infinity, network: () => true, maxElements: Infinity };

export class Conversation {
  /** Index in `calls` of the next call to start. */
  private next = 0;
  private readonly announced = new Set<string>();
  /** The call started and not yet ended. */
  running: string | undefined;
  /** The module announced last, while no call has started yet. */
  loading: string | undefined;
  /** Why the child was stopped for its messages. */
  violation: string | undefined;
  /** The harness's own failure (`fatal`), one line. */
  fatal: string | undefined;
  finished = false;
  readonly outcomes = new Map<string, CallOutcome>();

  /**
   * @param calls what the child was asked to run, in order
   * @param modules the module names it may announce (undefined: any, for trusted children)
   * @param envelopes what each call may return; absent for trusted children (variants accepted)
   */
  constructor(
    private readonly calls: RunnerCall[],
    private readonly modules: ReadonlySet<string> | undefined,
    private readonly envelopes?: ReadonlyMap<string, Envelope>,
  ) {}

  accept(raw: unknown): Reply {
    if (this.violation || this.finished) return this.violation ? { stop: this.violation } : undefined;
    const m = (typeof raw === 'object' && raw !== null ? raw : {}) as ChildMessage;
    const problem = this.step(m);
    if (problem === undefined) return m.type === 'start' ? { budgetFor: m.id } : undefined;
    this.violation = problem;
    return { stop: problem };
  }

  /** Applies one message; returns why it breaks the protocol, if it does. */
  private step(m: ChildMessage): string | undefined {
    switch (m.type) {
      case 'loading':
        if (this.running !== undefined || this.next > 0) return 'announced a module load after the cases had started';
        if (typeof m.module !== 'string' || (this.modules !== undefined && !this.modules.has(m.module)) || this.announced.has(m.module)) return 'announced loading a module that is not one of the submission\'s, or twice';
        this.announced.add(m.module);
        this.loading = m.module;
        return undefined;
      case 'start': {
        const expected = this.calls[this.next]?.id;
        if (this.running !== undefined || expected === undefined || m.id !== expected) return 'started a case out of order';
        this.running = expected;
        this.loading = undefined;
        return undefined;
      }
      case 'result': {
        if (this.running === undefined) return 'sent a result while no case was running';
        const result = checkResult((m as { result?: unknown }).result, this.running, this.envelopes?.get(this.running) ?? this.trustedOnly());
        if (typeof result === 'string') return `sent a result the grader cannot accept (${result})`;
        const variants = this.envelopes === undefined && Array.isArray(m.variants) ? m.variants : undefined;
        this.outcomes.set(this.running, { result, ...(variants ? { variants } : {}) });
        this.running = undefined;
        this.next++;
        return undefined;
      }
      case 'done':
        if (this.running !== undefined || this.next < this.calls.length) return 'said it was done before every case had run';
        this.finished = true;
        return undefined;
      case 'fatal':
        if (this.running !== undefined) return 'reported a failure of the grader in the middle of a case';
        this.fatal = typeof m.message === 'string' ? m.message.split('\n')[0].slice(0, MAX_ERROR_CHARS) : 'no reason given';
        this.finished = true;
        return undefined;
      default:
        return 'sent a message of no known kind';
    }
  }

  /** Untrusted children always have an envelope per call; a call without one accepts nothing. */
  private trustedOnly(): Envelope {
    if (this.envelopes !== undefined) return { elements: () => undefined, maxOutputs: 0, network: () => false, maxElements: 0 };
    return UNBOUNDED;
  }
}
