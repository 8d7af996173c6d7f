/**
 * Names in an upload that are close to an expected file name, and what the intake does with them.
 *
 * Used automatically (the student meant this file, and nobody else could have named it so):
 * - the same name in any folder (`homework/src/solver.ts`): the intake looks up base names anyway;
 * - the name a browser or Gradescope gives a second copy of a file, `solver (1).ts` or `solver(2).ts`,
 *   but only when no file is named `solver.ts` itself and there is exactly one such copy
 *   (`collector.ts` decides that; this file only recognises the name).
 *
 * Only pointed out ("did you mean"), never used: other case (`SOLVER.ts`, `Solver.TS`), another or an
 * extra extension (`solver.js`, `solver.tsx`, `solver.ts.txt`, `solver`), other separators (`my_solver.ts`),
 * and copies named by hand (`solver copy.ts`, `solver - Copy.ts`). Each of these may be a different
 * file kept on purpose (compiled output, notes, an old version), and grading one would grade
 * code the student did not submit as their answer.
 */

/** `solver (1).ts`, `solver(12).ts`: a stem, an optional space, a number in brackets, an extension. */
const NUMBERED_COPY = /^(.+?) ?\((\d{1,3})\)(\.[A-Za-z0-9]+)$/;

/**
 * The expected name a browser-style copy name stands for: `solver (1).ts` -> `solver.ts` when `solver.ts`
 * is expected; undefined for any other name.
 */
export function copyOf(name: string, expected: ReadonlySet<string>): string | undefined {
  const m = NUMBERED_COPY.exec(name);
  if (!m) return undefined;
  const plain = `${m[1]}${m[3]}`;
  return expected.has(plain) ? plain : undefined;
}

/** Extensions a TypeScript file may wrongly carry (compiled, JSX, module variants). */
const SCRIPT_EXTENSION = /\.(?:[cm]?[jt]sx?)$/;

/**
 * A loose key for a file name: lower case, no trailing `.txt`, no copy marker, any script
 * extension (or none) read as `.ts`, and no `-`, `_` or spaces. Near names share an expected
 * name's key.
 */
function looseKey(name: string): string {
  let n = name.toLowerCase().replace(/\.txt$/, '');
  n = n.replace(/(?: ?\(\d{1,3}\)| - copy(?: \(\d{1,3}\))?| copy(?: \d{1,3})?)(?=\.[a-z0-9]+$|$)/, '');
  const stem = SCRIPT_EXTENSION.test(n) ? n.replace(SCRIPT_EXTENSION, '') : n.includes('.') ? undefined : n;
  return stem === undefined ? '' : `${stem.replace(/[-_ ]/g, '')}.ts`;
}

/**
 * The expected file a name is probably meant to be, for a "did you mean" sentence; undefined when
 * none. Never returns a match for an exact name (those are not near names) or a browser-style copy.
 */
export function nearTo(name: string, expected: Iterable<string>): string | undefined {
  const key = looseKey(name);
  if (key === '') return undefined;
  for (const e of expected) if (e !== name && looseKey(e) === key) return e;
  return undefined;
}
