// Compiled code for the runner child, kept between children: the kit's TypeScript with its types
// stripped, and V8's code cache for the public JavaScript the child loads (TensorFlow.js is about
// 3.5 MB of it).
//
// Why: every graded submission starts at least one child, and each stripped and compiled the same
// public code again: about 20-55 ms of a plain child's start-up and 90 ms of a sandboxed one's
// (docs/benchmarks.md, runner start-up).
//
// Trust: the cache is written only by a trusted child that runs no student code (RLHW_CHILD_CACHE
// = 'write', started by the grader: grader/runner/compile-cache.ts), and holds only public files:
// those under node_modules/, provided/, grader/child/ and an assignment's public/ (never its
// solutions, its private grading or a student's files). A child under test only reads it: its
// folder belongs to the grader and is not writable by the sandbox user. An entry is named by the
// SHA-256 of the source it was made from, so it never stands for other source (V8 itself checks
// only the source's length), in a folder named by Node's version and the V8 flags (V8 rejects a
// cache made under other flags).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const KIT = path.resolve(__dirname, '../..');
const ROOT = path.join(KIT, 'node_modules', '.cache', 'rlhw-child');
/** Written last by a writing child, named by what it loaded (RLHW_CHILD_CACHE_MARK): that is all in. */
const markName = (what) => `COMPLETE-${String(what).replace(/[^A-Za-z0-9._-]/g, '_')}`;

/** Folders whose files are public (in the handout, or in the view every child gets). */
const PUBLIC = ['node_modules', 'provided', path.join('grader', 'child')].map((p) => path.join(KIT, p) + path.sep);
/**
 * Where node_modules really is, when it is a link to another copy's (the Gradescope test links
 * the kit's in): Node names a package's files by their real path, and the cache folder, under
 * node_modules, is that copy's too, so a writer here that left TensorFlow.js out would mark the
 * shared folder complete without it.
 */
const NODE_MODULES_REAL = (() => {
  try {
    return fs.realpathSync(path.join(KIT, 'node_modules')) + path.sep;
  } catch {
    return undefined;
  }
})();
const ASSIGNMENTS = path.join(KIT, 'assignments') + path.sep;

/** The cache's folder for this Node and the V8 flags `execArgv`. */
function cacheFolder(execArgv = process.execArgv) {
  const flags = crypto.createHash('sha256').update(execArgv.join('\0')).digest('hex').slice(0, 16);
  return path.join(ROOT, `${process.version}-${process.arch}-${flags}`);
}

/** Whether `filename` is a public file of the kit, and so may be cached (none under a dot-folder). */
function isPublic(filename) {
  if (NODE_MODULES_REAL && filename.startsWith(NODE_MODULES_REAL)) return !filename.slice(NODE_MODULES_REAL.length - 1).includes(`${path.sep}.`);
  if (!filename.startsWith(KIT + path.sep) || filename.slice(KIT.length).includes(`${path.sep}.`)) return false;
  if (PUBLIC.some((p) => filename.startsWith(p))) return true;
  const rest = filename.startsWith(ASSIGNMENTS) ? filename.slice(ASSIGNMENTS.length).split(path.sep) : [];
  return rest.length > 2 && rest[1] === 'public';
}

const digest = (text) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * `import(...)` in a script compiled by vm.Script fails (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING,
 * even inside `new Function`) unless it names a loader, which Node 20 has only as an experimental
 * API: such files (the HDF5 reader, the plots) compile as usual.
 */
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/** Whether the module `filename` with source `content` may be compiled from (or into) V8's cache. */
const cacheable = (filename, content) => isPublic(filename) && !DYNAMIC_IMPORT.test(content);

let folder; // the cache's folder, once install() found it (or is writing it)
let writing = false;
const pending = []; // [entry name, () => bytes]: what the writing child writes as it exits

function read(name) {
  try {
    return fs.readFileSync(path.join(folder, name));
  } catch {
    return undefined;
  }
}

/** Runs a CommonJS module compiled with V8's cache `cachedData` (undefined: the writer makes it). */
function compileCached(module, content, filename, name, cachedData) {
  const script = new vm.Script(Module.wrap(content), { filename, cachedData });
  if (writing && (cachedData === undefined || script.cachedDataRejected)) pending.push([name, () => script.createCachedData()]);
  const fn = script.runInThisContext({ displayErrors: true });
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return fn.call(module.exports, module.exports, require, module, filename, path.dirname(filename));
}

/**
 * The TypeScript file `filename` (source `code`) with its types stripped: from the cache for a
 * public file it holds, else from `strip()` (kept by the writing child). Student files are never
 * looked up.
 */
function strippedTypeScript(code, filename, strip) {
  if (!folder || !isPublic(filename)) return strip();
  const name = `${digest(code)}.js`;
  const hit = read(name);
  if (hit !== undefined) return hit.toString('utf8');
  const out = strip();
  if (writing) pending.push([name, () => Buffer.from(out, 'utf8')]);
  return out;
}

/** Writes what this child compiled that the cache lacked, then its mark (after a clean exit only). */
function writeAll(code) {
  if (code !== 0) return;
  fs.mkdirSync(folder, { recursive: true, mode: 0o755 });
  const put = (name, bytes) => {
    const tmp = path.join(folder, `.${name}.${process.pid}`);
    fs.writeFileSync(tmp, bytes, { mode: 0o644 });
    fs.renameSync(tmp, path.join(folder, name)); // whole or absent, when two writers race
  };
  for (const [name, bytes] of pending) put(name, bytes());
  put(markName(process.env.RLHW_CHILD_CACHE_MARK || 'kit'), `${new Date().toISOString()}\n`);
}

/**
 * Hooks compiling of public files (idempotent). `mode` (RLHW_CHILD_CACHE): 'write' in the writing
 * child, 'off' for no cache; otherwise the cache is read when its folder exists (a writer makes
 * it as it exits, every entry whole), and a file it lacks compiles as usual.
 */
function install(mode = process.env.RLHW_CHILD_CACHE) {
  if (folder !== undefined || mode === 'off') return;
  writing = mode === 'write';
  const candidate = cacheFolder();
  if (!writing && !fs.existsSync(candidate)) return;
  folder = candidate;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (!cacheable(filename, content)) return compile.call(this, content, filename);
    const name = `${digest(content)}.v8`;
    const cachedData = writing ? undefined : read(name);
    if (cachedData === undefined && !writing) return compile.call(this, content, filename);
    return compileCached(this, content, filename, name, cachedData);
  };
  if (writing) process.on('exit', writeAll);
}

module.exports = { install, strippedTypeScript, cacheFolder, isPublic, cacheable, markName, writing: () => writing };
