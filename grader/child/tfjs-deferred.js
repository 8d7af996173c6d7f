// '@tensorflow/tfjs' for the runner child, with its four heaviest parts loaded only when used.
//
// The union package requires tfjs-core, the cpu and webgl backends, layers, converter and data,
// and re-exports the names of all but data (no name is exported by two of them), plus `data` and
// `version`.
// Graded code uses core's ops and the gradients the union registers, yet compiling layers,
// converter, webgl and data was about a fifth of a child's start-up (docs/benchmarks.md, runner
// start-up). `install()` makes every `require('@tensorflow/tfjs')` in this process return a view
// of the union loaded with those four replaced by empty modules; a name the view lacks loads the
// real four on first use, so every name still resolves to the value the union would give.
// Kernels and gradients are the same either way: the union registers its own copy of every
// gradient last, and the four add none that core ops use on the cpu or wasm backends.
'use strict';
const Module = require('node:module');

const UNION = '@tensorflow/tfjs';
const DEFERRED = ['@tensorflow/tfjs-layers', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-data'];

let view; // the module the hook hands out for '@tensorflow/tfjs'
let loadingUnion = false;

/** A module already in require.cache under a name no file has, so Node never reads a file. */
function cachedModule(key, exports) {
  if (!require.cache[key]) {
    const m = new Module(key, module);
    m.filename = key;
    m.loaded = true;
    m.exports = exports;
    require.cache[key] = m;
  }
  return key;
}

function makeView(unionPath) {
  loadingUnion = true;
  let union;
  try {
    union = require(unionPath);
  } finally {
    loadingUnion = false;
  }
  let real; // [layers, converter, webgl, data], loaded on the first name the union view lacks
  const deferred = () => (real ??= DEFERRED.map((name) => require(name)));
  const [LAYERS, CONVERTER, WEBGL, DATA] = [0, 1, 2, 3];
  // data's names are only under `tf.data`, not at the top level
  const topLevel = () => deferred().slice(0, DATA);
  const fromDeferred = (k) => topLevel().find((m) => k !== 'default' && Object.prototype.hasOwnProperty.call(m, k));
  let proxy;
  const get = (k) => {
    if (k === '__esModule') return true; // compiled `import * as tf` then uses the view as is
    if (k === 'default') return proxy; // `import tf from` gives the whole package, as before
    if (k === 'data') return deferred()[DATA];
    if (k === 'version') {
      const m = deferred();
      return {
        ...union.version,
        'tfjs-backend-webgl': m[WEBGL].version_webgl,
        'tfjs-data': m[DATA].version_data,
        'tfjs-layers': m[LAYERS].version_layers,
        'tfjs-converter': m[CONVERTER].version_converter,
      };
    }
    if (typeof k === 'symbol' || k in union) return union[k];
    return fromDeferred(k)?.[k];
  };
  const has = (k) => k === '__esModule' || k === 'default' || k in union || fromDeferred(k) !== undefined;
  proxy = new Proxy(
    {},
    {
      get: (_, k) => get(k),
      has: (_, k) => has(k),
      ownKeys: () => [...new Set(['default', ...Reflect.ownKeys(union), ...topLevel().flatMap((m) => Object.keys(m).filter((k) => k !== 'default'))])],
      getOwnPropertyDescriptor: (_, k) =>
        k !== '__esModule' && has(k) ? { value: get(k), writable: false, enumerable: true, configurable: true } : undefined,
      set: () => false, // the union's names are getters: assigning one throws in strict code, as before
      defineProperty: () => false,
      deleteProperty: () => false,
    },
  );
  require.cache[unionPath].exports = proxy; // the union's file, required by path later, is the view too
  return proxy;
}

/** Hooks module resolution of this process (idempotent). */
function install() {
  if (view !== undefined) return;
  const resolve = Module._resolveFilename;
  const unionPath = require.resolve(UNION);
  view = null;
  Module._resolveFilename = function resolveDeferred(request, parent, ...rest) {
    if (request === UNION) {
      view ??= makeView(unionPath);
      return cachedModule(`${__filename}#view`, view);
    }
    if (loadingUnion && DEFERRED.includes(request) && parent && parent.filename === unionPath) {
      return cachedModule(`${__filename}#empty:${request}`, {});
    }
    return resolve.call(this, request, parent, ...rest);
  };
}

module.exports = { install, DEFERRED };
