// The runner child's TypeScript loader (grader/child/ts-loader.js), with swc and with sucrase (the
// stripper a sandboxed child gets): student .ts files load with
// their types stripped, stack traces keep the .ts line numbers (the grader reports "iql.ts:42"),
// and a syntax error becomes one line naming the file and line.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const LOADER = path.resolve(__dirname, '../../grader/child/ts-loader.js');

type Stripper = 'swc' | 'sucrase';

/**
 * Runs a fresh node that registers the loader, requires `file` and prints what happened. With
 * 'sucrase', @swc/core fails to load, as it does under the sandbox (its addon cannot be written).
 */
function load(file: string, stripper: Stripper = 'swc', env: Record<string, string> = {}): { ok: boolean; loader?: string; value?: unknown; message?: string; name?: string; stack?: string } {
  const noSwc = `const M = require('node:module'); const resolve = M._resolveFilename;
    M._resolveFilename = function (request, ...rest) {
      if (request === '@swc/core') throw new Error('Failed to load native binding');
      return resolve.call(this, request, ...rest);
    };`;
  const script = `${stripper === 'sucrase' ? noSwc : ''}
    const ts = require(${JSON.stringify(LOADER)});
    ts.register(['@tensorflow/tfjs']);
    try {
      const m = require(${JSON.stringify(file)});
      console.log(JSON.stringify({ ok: true, loader: ts.stripperName(), value: m.run() }));
    } catch (e) {
      console.log(JSON.stringify({ ok: false, loader: ts.stripperName(), message: e.message, name: e.name, stack: String(e.stack) }));
    }`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8', env: { ...process.env, ...env } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-loader-'));
  // As in a grading work folder: the kit's node_modules is linked beside the student's files.
  fs.symlinkSync(path.resolve(__dirname, '../../node_modules'), path.join(dir, 'node_modules'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe.each<Stripper>(['swc', 'sucrase'])('with %s', (stripper) => {
  test('a TypeScript module with types, interfaces and tfjs imports loads and runs', () => {
    const file = write(
      'good.ts',
      [
        "import * as tf from '@tensorflow/tfjs';",
        'interface Pair { a: number; b: number }',
        'type Sum = number;',
        'export function run(): Sum {',
        '  const p: Pair = { a: 2, b: 3 };',
        '  return tf.tidy(() => tf.add(tf.scalar(p.a), tf.scalar(p.b)).dataSync()[0]);',
        '}',
      ].join('\n'),
    );
    expect(load(file, stripper)).toMatchObject({ ok: true, loader: stripper, value: 5 });
  });

  test('an exception thrown by a .ts file reports the .ts line it came from', () => {
    const file = write(
      'throws.ts',
      ['type T = { x: number };', '', 'export function run(): number {', '  const t: T = { x: 1 };', '  if (t.x > 0) {', "    throw new RangeError('boom');", '  }', '  return t.x;', '}'].join('\n'),
    );
    const r = load(file, stripper);
    expect(r).toMatchObject({ ok: false, loader: stripper, name: 'RangeError', message: 'boom' });
    expect(r.stack).toContain(`${file}:6:`);
  });

  test('a syntax error is one line with the file name and line', () => {
    const file = write('broken.ts', ['export function run(): number {', '  const x: number = 1', '  return x +* 2;', '}'].join('\n'));
    const r = load(file, stripper);
    expect(r.ok).toBe(false);
    expect(r.loader).toBe(stripper);
    expect(r.name).toBe('SyntaxError');
    expect(r.message).toMatch(/^broken\.ts:3: \S/);
    expect(r.message).not.toContain('\n');
  });
});

test('RLHW_TS_STRIPPER=sucrase (what the sandbox launcher sets) takes sucrase even where swc loads', () => {
  const file = write('forced.ts', ['export function run(): number {', '  const x: number = 4;', '  return x;', '}'].join('\n'));
  expect(load(file, 'swc', { RLHW_TS_STRIPPER: 'sucrase' })).toMatchObject({ ok: true, loader: 'sucrase', value: 4 });
});

test('no stripper is loaded before a file needs one', () => {
  const script = `require(${JSON.stringify(LOADER)}).register([]); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /@swc|sucrase/.test(k))));`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' });
  expect(JSON.parse(out.trim())).toEqual([]);
});
