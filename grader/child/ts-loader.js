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
//   and the sandbox's 16 MiB file-size limit stops the fallback, after about 0.1 s of trying), so
//   the sandbox launcher asks for sucrase (RLHW_TS_STRIPPER=sucrase);
// - sucrase (plain JavaScript, a regular dependency, so also in the container and Gradescope
//   installs, which omit dev dependencies); it keeps every line where it was;
// - tsx, when neither loads.
// The kit's own files come stripped from the compile cache (compile-cache.js), so a child loads a
// stripper only for the student's files, on the first one.
// Source maps are turned on only after the preloaded modules (TensorFlow.js) are loaded, so
// student stack traces name .ts lines and tfjs's maps are never read.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const cache = require('./compile-cache.js');

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

/** The strippers in the order tried: RLHW_TS_STRIPPER first when it names one. */
function stripperOrder() {
  const first = process.env.RLHW_TS_STRIPPER;
  return first === 'sucrase' ? ['sucrase', 'swc'] : ['swc', 'sucrase'];
}

const LOADERS = {
  swc: () => {
    const swc = require('@swc/core');
    return (code, filename) => swc.transformSync(code, { ...SWC_OPTIONS, filename }).code;
  },
  sucrase: () => {
    const sucrase = require('sucrase');
    return (code, filename) => sucrase.transform(code, { ...SUCRASE_OPTIONS, filePath: filename }).code;
  },
};

let stripper; // { name, strip(code, filename) }, or null when none loads; chosen on first use

/** The first stripper that loads (undefined until a file needs one, or `stripperName` asks). */
function loadStripper() {
  if (stripper !== undefined) return stripper;
  stripper = null;
  for (const name of stripperOrder()) {
    try {
      stripper = { name, strip: LOADERS[name]() };
      break;
    } catch {
      // not installed, or cannot load here: the next one
    }
  }
  return stripper;
}

/** Which stripper this process uses ('swc', 'sucrase' or 'tsx'), loading it if no file needed it yet. */
function stripperName() {
  return loadStripper() ? stripper.name : 'tsx';
}

/** Compiles the TypeScript file `filename` into `module`, stripping its types (or from the compile cache). */
function loadTypeScript(module, filename) {
  let code;
  try {
    const source = fs.readFileSync(filename, 'utf8');
    code = cache.strippedTypeScript(source, filename, () => {
      if (!loadStripper()) throw new NoStripper();
      return stripper.strip(source, filename);
    });
  } catch (err) {
    if (!(err instanceof NoStripper)) throw syntaxError(filename, err);
    require('tsx/cjs'); // neither stripper loads: tsx takes over .ts files, this one included
    if (require.extensions['.ts'] === loadTypeScript) throw new Error(`${path.basename(filename)}: no TypeScript loader (@swc/core, sucrase, tsx) loads`);
    return require.extensions['.ts'](module, filename);
  }
  module._compile(code, filename);
}

class NoStripper extends Error {}

/**
 * Registers the loader for `.ts` (idempotent). `preload` modules are required before source maps
 * are turned on. The compile cache's writing child also loads sucrase, so that a sandboxed child
 * finds it compiled.
 */
function register(preload = []) {
  if (require.extensions['.ts']) return;
  cache.install();
  require.extensions['.ts'] = loadTypeScript;
  for (const m of preload) {
    try {
      require(m);
    } catch {
      // not installed: whoever needs it will say so
    }
  }
  if (cache.writing()) {
    try {
      LOADERS.sucrase()('export const x: number = 1;\n', path.join(__dirname, 'warm.ts'));
    } catch {
      // sucrase missing: nothing to warm
    }
  }
  process.setSourceMapsEnabled(true);
}

module.exports = { register, stripperName, syntaxError };
