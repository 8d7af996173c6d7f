// A hand-written WebAssembly module of the kit (provided/train/adam.wat, provided/nets/matmul.wat)
// working in the wasm backend's own memory, which it imports as env.memory: compiled once from
// its committed bytes, and instantiated once per backend memory.

/** One exported function of such a module. */
export interface HeapModule<F> {
  /** Whether this Node can run the module (it needs wasm SIMD). */
  runs(): boolean;
  /** The export, bound to `memory`; only where `runs()`. */
  bound(memory: WebAssembly.Memory): F;
}

export function heapModule<F>(base64: string, exportName: string): HeapModule<F> {
  let compiled: WebAssembly.Module | null | undefined; // null: this Node cannot run it
  const instances = new WeakMap<WebAssembly.Memory, F>();
  const module = (): WebAssembly.Module | null => {
    if (compiled === undefined) {
      const bytes = Buffer.from(base64, 'base64');
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    }
    return compiled;
  };
  return {
    runs: () => module() !== null,
    bound(memory) {
      let f = instances.get(memory);
      if (!f) {
        f = new WebAssembly.Instance(module()!, { env: { memory } }).exports[exportName] as F;
        instances.set(memory, f);
      }
      return f;
    },
  };
}
