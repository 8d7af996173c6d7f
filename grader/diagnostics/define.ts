/**
 * What a known mistake is: a patched version of one reference function, with the one sentence a
 * student sees when their outputs match it. Shared by the variant lists of each module.
 */
import type { Modules } from '../child/execute';

/** Any function of the student modules (a variant stands in for one). */
export type AnyFn = (...args: never[]) => unknown;
type Fn = (...args: unknown[]) => unknown;

export interface Variant {
  /** Such as "swapped-sign"; "target:no-mask" for a function's mistake seen through an update. */
  id: string;
  /** "module.function". */
  target: string;
  /** One sentence naming the mistake; never an expected value. */
  hint: string;
  /** The mistaken function, built from the reference modules (so it can reuse correct helpers). */
  make(ref: Modules): AnyFn;
}

export const variant = (target: string, id: string, hint: string, make: (ref: Modules) => AnyFn): Variant => ({ id, target, hint, make });

/** The reference function `module.name`. */
export function refFn(ref: Modules, target: string): Fn {
  const [m, name] = target.split('.');
  return ref[m][name] as Fn;
}

/** The reference modules with `module.name` replaced by `fn`. */
export const patched = (ref: Modules, target: string, fn: unknown): Modules => {
  const [m, name] = target.split('.');
  return { ...ref, [m]: { ...ref[m], [name]: fn } };
};

/**
 * The variants of `targets` seen through an update that calls those functions: each becomes a
 * variant of `update` ("criticTarget:no-mask", hint "In criticTarget: ..."), built by `compose`
 * from the modules with that one function patched. A variant already seen through another
 * function ("g:mistake" of f) keeps its id and hint.
 */
export function throughUpdate(update: string, variants: Variant[], targets: string[], compose: (modules: Modules) => AnyFn): Variant[] {
  return variants
    .filter((x) => targets.includes(x.target))
    .map((x) => {
      const name = x.target.split('.')[1];
      const seen = x.id.includes(':');
      return variant(update, seen ? x.id : `${name}:${x.id}`, seen ? x.hint : `In ${name}: ${x.hint}`, (ref) => compose(patched(ref, x.target, x.make(ref))));
    });
}
