// A small CommonJS loader for TypeScript files, used by the runner child instead of tsx.
//
// Why: a child that loads TensorFlow.js and the student's modules is started for every graded
// submission (and again after a crash or timeout). With tsx its start-up took several times the
// 300 ms budget of docs/benchmarks.md: tsx starts an esbuild service and an ESM-hooks thread, and
// turns on source maps before TensorFlow.js loads, so Node reads and indexes the multi-megabyte
// source maps of every tfjs bundle. Here @swc/core strips the types of each .ts file in-process,
// and source maps are turned on only after TensorFlow.js is loaded (student stack traces keep
// their .ts line numbers; tfjs's are never read).
// When @swc/core cannot load, it falls back to tsx.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const OPTIONS = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
  swcrc: false,
  configFile: false,
};

/** swc's multi-line diagnostic -> "iql.ts:12: Expected ';', got 'x'". */
function syntaxError(filename, err) {
  const text = String((err && err.message) || err);
  const lines = text.split('\n');
  const what = (lines.find((l) => /^\s*x /.test(l)) || lines.find((l) => l.trim()) || 'cannot be parsed').replace(/^\s*x /, '').trim();
  const caret = lines.findIndex((l) => /^\s*:\s*\^/.test(l));
  const line = caret > 0 ? /^\s*(\d+) \|/.exec(lines[caret - 1]) : null;
  return new SyntaxError(`${path.basename(filename)}${line ? `:${line[1]}` : ''}: ${what}`);
}

/**
 * Registers the loader for `.ts` (idempotent) and returns which one is used: 'swc' or 'tsx'.
 * `preload` modules are required before source maps are turned on.
 */
function register(preload = []) {
  if (require.extensions['.ts']) return 'already';
  let swc;
  try {
    swc = require('@swc/core');
  } catch {
    require('tsx/cjs');
    return 'tsx';
  }
  require.extensions['.ts'] = (module, filename) => {
    let code;
    try {
      code = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...OPTIONS, filename }).code;
    } catch (err) {
      throw syntaxError(filename, err);
    }
    module._compile(code, filename);
  };
  for (const name of preload) {
    try {
      require(name);
    } catch {
      // not installed: whoever needs it will say so
    }
  }
  process.setSourceMapsEnabled(true);
  return 'swc';
}

module.exports = { register, syntaxError };
