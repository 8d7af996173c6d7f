/**
 * What a case can return, and the check of a result message against it. The child is untrusted:
 * whatever it says is hostile data until checked here, and nothing the grader allocates is sized
 * by it. A result passes only if every output is a name the case can return, every tensor's shape
 * has at most MAX_RANK dimensions whose product is its data length, the data are numbers, no
 * tensor is larger than the case allows, strings are short single lines, and every network it says
 * it changed is one of the call's own.
 */
import type { Envelope } from '../assignment/public-grading';
import { MAX_ERROR_CHARS, MAX_RANK, MAX_WHERE_CHARS, type CallError, type CallResult, type ErrorKind, type PlainTensor } from '../child/protocol';

export type { Envelope } from '../assignment/public-grading';

/** The envelope of a call compared with the reference: the reference's own outputs, no larger than the reference's largest. */
export function referenceEnvelope(reference: Record<string, PlainTensor>): Envelope {
  const names = Object.keys(reference);
  const maxElements = Math.max(1, ...names.map((n) => reference[n].data.length));
  const own = (n: string): boolean => Object.hasOwn(reference, n);
  return { elements: (n) => (own(n) ? maxElements : undefined), maxOutputs: names.length, network: own, maxElements };
}

const ERROR_KINDS: ReadonlySet<ErrorKind> = new Set(['not-implemented', 'exception', 'bad-return', 'load', 'timeout', 'crashed']);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The tensor if `raw` is one that fits under `cap` elements, else why not. */
export function checkTensor(raw: unknown, cap: number): PlainTensor | string {
  if (!isRecord(raw) || !Array.isArray(raw.shape) || !Array.isArray(raw.data)) return 'a tensor without shape and data';
  const shape = raw.shape as unknown[];
  if (shape.length > MAX_RANK) return `a tensor of rank ${shape.length} (at most ${MAX_RANK})`;
  if (!shape.every((d): d is number => Number.isSafeInteger(d) && (d as number) >= 0 && (d as number) < 2 ** 31)) return 'a tensor whose shape is not a list of sizes';
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  const data = raw.data as unknown[];
  if (raw.tooLarge === true) {
    // Only the shape travels; it must really be too large to send.
    if (data.length !== 0 || size <= cap) return 'a tensor marked too large that is not';
    return { shape: [...(shape as number[])], data: [], tooLarge: true };
  }
  if (data.length !== size) return `a tensor of shape [${(shape as number[]).join(', ')}] with ${data.length} values`;
  if (size > cap) return `a tensor of ${size} values (this case returns at most ${cap})`;
  const values = new Array<number>(data.length);
  for (let i = 0; i < data.length; i++) {
    const x = data[i];
    if (x === null) values[i] = NaN; // JSON's NaN and infinities
    else if (typeof x === 'number') values[i] = x;
    else return 'a tensor holding something other than numbers';
  }
  return { shape: [...(shape as number[])], data: values };
}

/** One line of at most `max` characters, or undefined when `raw` is not a string. */
function line(raw: unknown, max: number): string | undefined {
  return typeof raw === 'string' ? raw.split('\n')[0].slice(0, max) : undefined;
}

function checkError(raw: unknown): CallError | string {
  if (!isRecord(raw)) return 'an error that is not a record';
  const message = line(raw.message, MAX_ERROR_CHARS);
  if (!ERROR_KINDS.has(raw.kind as ErrorKind) || message === undefined) return 'an error without a known kind and a message';
  const where = raw.where === undefined ? undefined : line(raw.where, MAX_WHERE_CHARS);
  return { kind: raw.kind as ErrorKind, message, ...(where ? { where } : {}) };
}

/** The result of call `id` if `raw` is a valid one within `envelope`, else why not (one phrase). */
export function checkResult(raw: unknown, id: string, envelope: Envelope): CallResult | string {
  if (!isRecord(raw) || raw.id !== id || typeof raw.ok !== 'boolean') return 'a result that is not about the running case';
  if (!isRecord(raw.outputs)) return 'a result without outputs';
  const names = Object.keys(raw.outputs);
  if (names.length > envelope.maxOutputs) return `a result with ${names.length} outputs (at most ${envelope.maxOutputs})`;
  const outputs: Record<string, PlainTensor> = {};
  for (const name of names) {
    const cap = name === '__proto__' ? undefined : envelope.elements(name);
    if (cap === undefined) return `an output '${name.slice(0, 40)}' this case does not return`;
    const t = checkTensor(raw.outputs[name], cap);
    if (typeof t === 'string') return `${t} as '${name}'`;
    outputs[name] = t;
  }
  let changed: string[] | undefined;
  if (raw.changed !== undefined) {
    if (!Array.isArray(raw.changed) || raw.changed.length > envelope.maxOutputs || !raw.changed.every((n) => typeof n === 'string' && envelope.network(n))) {
      return 'a list of changed networks that are not this case\'s';
    }
    changed = [...new Set(raw.changed as string[])];
  }
  const leaked = raw.leaked;
  if (!Number.isSafeInteger(leaked) || (leaked as number) < 0) return 'a tensor count that is not a count';
  let error: CallError | undefined;
  if (raw.error !== undefined) {
    const e = checkError(raw.error);
    if (typeof e === 'string') return e;
    error = e;
  }
  if (!raw.ok && !error) error = { kind: 'exception', message: 'the case failed without saying why' };
  const ok = raw.ok && !error;
  return { id, ok, outputs: ok ? outputs : {}, ...(changed ? { changed } : {}), leaked: leaked as number, ...(error ? { error } : {}) };
}
