// A small CommonJS loader for TypeScript files, used by the runner child instead of tsx.
//
// Why: a child that loads TensorFlow.js and the student's modules is started for every graded
// submission (and again after a crash or timeout). With tsx its start-up took several times the
// 300 ms budget of docs/benchmarks.md: tsx starts an esbuild service (a second process) and an
// ESM-hooks thread, and turns on source maps before TensorFlow.js loads, so Node reads and indexes
// the multi-megabyte source maps of every tfjs bundle. Here the types of each .ts file are
// stripped in-process, by the first of:
// - @swc/core (fastest; a dev dependency). Its native package writes its addon into a per-user
//   cache on first load, which a sandboxed child cannot do (the default cache is not its user's,
//   and the sandbox's 16 MiB file-size limit stops the fallback), so it loads in the trusted
//   reference child and in tests, not under the sandbox;
// - sucrase (plain JavaScript, a regular dependency, so also in the container and Gradescope
//   installs, which omit dev dependencies); it keeps every line where it was;
// - tsx, when neither loads.
// Source maps are turned on only after the preloaded modules (TensorFlow.js) are loaded, so
// student stack traces name .ts lines and tfjs's maps are never read.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** sucrase: types removed, ES modules to CommonJS; everything else as written (Node 20 runs it). */
const SUCRASE_OPTIONS = { transforms: ['typescript', 'imports'], disableESTransforms: true };

const SWC_OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
  configFile: false,
};

/**
 * One line naming the file and line, from either stripper's error:
 * sucrase's "Error transforming /x/file.ts: Unexpected token (12:5)", or swc's multi-line
 * diagnostic ("  x Expected ';', got 'x'" ... "12 | ..." then a caret line).
 */
function syntaxError(filename, err) {
  const text = String((err && err.message) || err);
  const lines = text.split('\n');
  let what;
  let line;
  if (/^Error transforming /.test(lines[0])) {
    what = lines[0].replace(/^Error transforming .*?: /, '').replace(/\s*\(\d+:\d+\)$/, '').trim();
    line = err && err.loc && Number.isInteger(err.loc.line) ? err.loc.line : (/\((\d+):\d+\)$/.exec(lines[0]) || [])[1];
  } else {
    what = (lines.find((l) => /^\s*x /.test(l)) || lines.find((l) => l.trim()) || '').replace(/^\s*x /, '').trim();
    const caret = lines.findIndex((l) => /^\s*:\s*\^/.test(l));
    line = caret > 0 ? (/^\s*(\d+) \|/.exec(lines[caret - 1]) || [])[1] : undefined;
  }
  return new SyntaxError(`${path.basename(filename)}${line ? `:${line}` : ''}: ${what || 'cannot be parsed'}`);
}

/**
 * Registers the loader for `.ts` (idempotent) and returns which one is used: 'swc', 'sucrase' or
 * 'tsx'. `preload` modules are required before source maps are turned on.
 */
function register(preload = []) {
  if (require.extensions['.ts']) return 'already';
  let strip;
  let name;
  try {
    const swc = require('@swc/core');
    strip = (code, filename) => swc.transformSync(code, { ...SWC_OPTIONS, filename }).code;
    name = 'swc';
  } catch {
    try {
      const sucrase = require('sucrase');
      strip = (code, filename) => sucrase.transform(code, { ...SUCRASE_OPTIONS, filePath: filename }).code;
      name = 'sucrase';
    } catch {
      require('tsx/cjs');
      return 'tsx';
    }
  }
  require.extensions['.ts'] = (module, filename) => {
    let code;
    try {
      code = strip(fs.readFileSync(filename, 'utf8'), filename);
    } catch (err) {
      throw syntaxError(filename, err);
    }
    module._compile(code, filename);
  };
  for (const m of preload) {
    try {
      require(m);
    } catch {
      // not installed: whoever needs it will say so
    }
  }
  process.setSourceMapsEnabled(true);
  return name;
}

module.exports = { register, syntaxError };
