// The solution -> starter text transformation, on small in-memory sources.
import { StarterBuildError } from '../../authoring/build-error';
import { buildStarterSource, STARTER_HEADER, type StarterOptions } from '../../authoring/starter';

const IMPORT_ERROR = "import { NotImplementedError } from '../provided/runtime/errors';";
const lines = (...ls: string[]): string => ls.map((l) => `${l}\n`).join('');
const build = (src: string, opts: Partial<StarterOptions> = {}) => buildStarterSource(src, { file: 'solutions/sample.ts', ...opts });

function buildError(src: string): StarterBuildError {
  try {
    build(src);
  } catch (err) {
    if (err instanceof StarterBuildError) return err;
    throw err;
  }
  throw new Error('expected a StarterBuildError');
}

describe('buildStarterSource', () => {
  test('replaces block and single-line regions, keeps everything else byte for byte', () => {
    const src = lines(
      '// Sample module.',
      "import * as tf from '@tensorflow/tfjs';",
      '',
      '/** Doubles. */',
      'export function double(x: tf.Tensor1D): tf.Tensor1D {',
      '  // BEGIN SOLUTION',
      '  const two = tf.scalar(2);',
      '  return tf.mul(x, two);',
      '  // END SOLUTION',
      '}',
      '',
      '/** Halves. */',
      'export function half(x: number): number {',
      '  return x / 2; // SOLUTION',
      '}',
    );
    expect(build(src).text).toBe(
      lines(
        STARTER_HEADER,
        '// Sample module.',
        "import * as tf from '@tensorflow/tfjs';",
        IMPORT_ERROR,
        '',
        '/** Doubles. */',
        'export function double(x: tf.Tensor1D): tf.Tensor1D {',
        '  // YOUR CODE HERE',
        "  throw new NotImplementedError('double');",
        '}',
        '',
        '/** Halves. */',
        'export function half(x: number): number {',
        '  // YOUR CODE HERE',
        "  throw new NotImplementedError('half');",
        '}',
      ),
    );
  });

  test('a function with several regions gets one stub, at its first region', () => {
    const src = lines(
      'export function f(n: number): number {',
      '    let s = 0; // SOLUTION',
      '    const provided = n + 1;',
      '    // BEGIN SOLUTION',
      '    s += provided;',
      '    // END SOLUTION',
      '    // BEGIN SOLUTION',
      '    return s;',
      '    // END SOLUTION',
      '}',
    );
    const out = build(src);
    expect(out.stubs).toEqual([{ functionName: 'f', line: 2 }]);
    expect(out.text).toBe(
      lines(
        STARTER_HEADER,
        IMPORT_ERROR,
        'export function f(n: number): number {',
        '    // YOUR CODE HERE',
        "    throw new NotImplementedError('f');",
        '    const provided = n + 1;',
        '}',
      ),
    );
  });

  test('names the innermost named function: nested functions, callbacks, methods, const arrows', () => {
    const src = lines(
      'export function outer(xs: number[]): number[] {',
      '  function inner(x: number): number {',
      '    return x + 1; // SOLUTION',
      '  }',
      '  return xs.map((x) => {',
      '    return inner(x); // SOLUTION',
      '  });',
      '}',
      'export class Agent {',
      '  constructor(readonly k: number) {',
      '    console.log(k); // SOLUTION',
      '  }',
      '  act(x: number): number {',
      '    // BEGIN SOLUTION',
      '    return x * this.k;',
      '    // END SOLUTION',
      '  }',
      '  get twice(): number {',
      '    return 2 * this.k; // SOLUTION',
      '  }',
      '  readonly step = (x: number): number => {',
      '    return x; // SOLUTION',
      '  };',
      '}',
      'export const scaled = (x: number, k: number): number => {',
      '  return x * k; // SOLUTION',
      '};',
      'const table = {',
      '  lookup(key: string): number {',
      '    return key.length; // SOLUTION',
      '  },',
      '};',
      'export const named = function impl(): void {',
      '  table.lookup(""); // SOLUTION',
      '};',
    );
    expect(build(src).stubs.map((s) => s.functionName)).toEqual([
      'inner',
      'outer',
      'Agent.constructor',
      'Agent.act',
      'Agent.twice',
      'Agent.step',
      'scaled',
      'lookup',
      'impl',
    ]);
  });

  test('kept code may reuse region names as properties, parameters or its own declarations', () => {
    const src = lines(
      'export function f(o: { a: number }, b: number): number {',
      '  // BEGIN SOLUTION',
      '  const a = o.a;',
      '  const b2 = b;',
      '  function helper(): number { return a; }',
      '  // END SOLUTION',
      '  const r = { a: o.a, helper: 1 };',
      '  return [b].map((helper) => helper + r.a)[0];',
      '}',
    );
    expect(build(src).stubs).toEqual([{ functionName: 'f', line: 2 }]);
  });

  test('question ids come from the map', () => {
    const src = lines('export function a(): number {', '  return 1; // SOLUTION', '}', 'export function b(): number {', '  return 2; // SOLUTION', '}');
    const out = build(src, { questions: new Map([['a', 'Q3.1']]) });
    expect(out.text).toContain("throw new NotImplementedError('a', 'Q3.1');");
    expect(out.text).toContain("throw new NotImplementedError('b');");
    expect(out.stubs).toEqual([
      { functionName: 'a', question: 'Q3.1', line: 2 },
      { functionName: 'b', line: 5 },
    ]);
  });

  test('escapes quotes in question ids', () => {
    const out = build(lines('function a(): void {', '  a(); // SOLUTION', '}'), { questions: new Map([['a', "Q1 'extra'"]]) });
    expect(out.text).toContain("throw new NotImplementedError('a', 'Q1 \\'extra\\'');");
  });

  test('keeps every import, even those only solution regions used (they hint at the helpers)', () => {
    const src = lines(
      "import { used, onlyInSolution, alsoUsed } from './a';",
      "import { gone } from './b';",
      "import * as ns from './c';",
      "import { alreadyUnused } from './d';",
      "import type { T } from './e';",
      'export function f(x: T): number {',
      '  // BEGIN SOLUTION',
      '  return onlyInSolution(x) + gone + ns.k;',
      '  // END SOLUTION',
      '}',
      'export const g = used + alsoUsed;',
    );
    expect(build(src).text).toBe(
      lines(
        STARTER_HEADER,
        "import { used, onlyInSolution, alsoUsed } from './a';",
        "import { gone } from './b';",
        "import * as ns from './c';",
        "import { alreadyUnused } from './d';",
        "import type { T } from './e';",
        IMPORT_ERROR,
        'export function f(x: T): number {',
        '  // YOUR CODE HERE',
        "  throw new NotImplementedError('f');",
        '}',
        'export const g = used + alsoUsed;',
      ),
    );
  });

  test('keeps an existing NotImplementedError import where it is', () => {
    const src = lines("import { NotImplementedError } from '../provided/runtime/errors';", "import { x } from './x';", 'export function f(): number {', '  return x; // SOLUTION', '}');
    const out = build(src).text;
    expect(out.split('NotImplementedError }').length).toBe(2);
    expect(out.startsWith(lines(STARTER_HEADER, "import { NotImplementedError } from '../provided/runtime/errors';"))).toBe(true);
  });

  test('adds the import at the top of a file without imports, and uses a custom module', () => {
    const src = lines('// Header.', 'export function f(): void {', '  f(); // SOLUTION', '}');
    expect(build(src, { errorsImport: './errors' }).text).toBe(
      lines(STARTER_HEADER, "import { NotImplementedError } from './errors';", '// Header.', 'export function f(): void {', '  // YOUR CODE HERE', "  throw new NotImplementedError('f');", '}'),
    );
  });

  test('keeps CRLF line ends and a missing final newline', () => {
    const src = "import { a } from './a';\r\nexport function f(): number {\r\n  return a; // SOLUTION\r\n}";
    expect(build(src).text).toBe(
      `${STARTER_HEADER}\r\nimport { a } from './a';\r\n${IMPORT_ERROR}\r\nexport function f(): number {\r\n  // YOUR CODE HERE\r\n  throw new NotImplementedError('f');\r\n}`,
    );
  });

  test('a file without regions only gains the header', () => {
    const src = lines("import { a } from './a';", 'export const b = a;');
    expect(build(src)).toEqual({ text: STARTER_HEADER + '\n' + src, stubs: [] });
  });

  test('the header carries no solution text', () => {
    expect(STARTER_HEADER).not.toMatch(/SOLUTION/);
  });

  test.each([
    ['a region outside any function', lines('const a = 1;', '// BEGIN SOLUTION', 'const b = 2;', '// END SOLUTION'), 2, /not inside a named function/],
    ['a region in an anonymous function only', lines('export default function (): number {', '  return 1; // SOLUTION', '}'), 2, /not inside a named function/],
    ['a single-line region at class level', lines('class A {', '  x = 1; // SOLUTION', '}'), 2, /not inside a named function/],
    [
      'a region crossing blocks',
      lines('function f(a: boolean): void {', '  // BEGIN SOLUTION', '  if (a) {', '    f(a);', '  // END SOLUTION', '  }', '}'),
      2,
      /END SOLUTION at line 5 must enclose whole statements of one block/,
    ],
    ['a region inside an expression', lines('function f(): number[] {', '  return [', '    // BEGIN SOLUTION', '    1,', '    // END SOLUTION', '  ];', '}'), 3, /whole statements/],
    ['a single-line marker on a continuing statement', lines('function f(): number {', '  return Math.max(1, // SOLUTION', '    2);', '}'), 2, /continues on the next line/],
    ['a single-line marker mid-statement', lines('function f(): number {', '  return Math.max(', '    1, 2); // SOLUTION', '}'), 3, /starts with a statement/],
    ['unbalanced markers', lines('function f(): void {', '  // BEGIN SOLUTION', '  f();', '}'), 2, /without a matching END/],
    [
      'kept code using a name a region declares',
      lines('function f(): { a: number } {', '  // BEGIN SOLUTION', '  const a = 1;', '  // END SOLUTION', '  return { a };', '}'),
      5,
      /'a' is declared in the solution region at line 3 but used outside it/,
    ],
    [
      'kept code using a destructured name',
      lines('function f(o: { p: number }): number {', '  const { p: q } = o; // SOLUTION', '  return q;', '}'),
      3,
      /'q' is declared in the solution region at line 2/,
    ],
  ])('%s is an error naming file and line', (_name, src, line, message) => {
    const err = buildError(src);
    expect(err.message).toMatch(new RegExp(`^solutions/sample\\.ts:${line}: `));
    expect(err.message).toMatch(message);
  });
});
