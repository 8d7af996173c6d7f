// Reading top-level numeric datasets of an HDF5 file (the D4RL layout) with the h5wasm package.
//
// h5wasm ships only as ES modules, and this kit compiles to CommonJS. loadH5wasm() first asks
// Node's own ESM loader for h5wasm's Node build (it reads files straight from disk); where no ESM
// loader is available (Jest without --experimental-vm-modules) it evaluates h5wasm's
// self-contained bundle instead, which reads from an in-memory file system, so the file's bytes
// are copied in. Both builds give the same values.
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DatasetError } from '../runtime/errors';
import { dtypeInfo, NpyArray, shapeSize } from './npy';
import { readFileBytes } from './npz';

/** The part of h5wasm's API used here (see node_modules/h5wasm/src/hdf5_hl.d.ts). */
interface H5Metadata {
  type: number; // 0 integer, 1 float, 8 enum (h5py's bool)
  size: number;
  signed: boolean;
  littleEndian: boolean;
  enum_type?: { members: Record<string, number> };
}
interface H5Entity {
  type: string; // 'Dataset', 'Group', 'Datatype', links...
}
interface H5Dataset extends H5Entity {
  metadata: H5Metadata;
  shape: number[] | null;
  value: unknown;
}
interface H5Group extends H5Entity {
  keys(): string[];
  get(name: string): H5Entity | null;
}
interface H5File extends H5Group {
  file_id: bigint;
  close(): unknown;
}
interface H5Module {
  ready: Promise<{ activate_throwing_error_handler(): number }>;
  File: new (filename: string, mode: 'r') => H5File;
  FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void } | null;
}

/** A loaded h5wasm: `kind` says which build ('node': Node build via ESM import; 'bundle'). */
export interface LoadedH5wasm {
  kind: 'node' | 'bundle';
  module: H5Module;
}

const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_ENUM = 8;

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
}

/** The innermost cause of an HDF5 error stack ("#003: ... in H5F_open(): truncated file ..."). */
function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const causes = [...text.matchAll(/\(\):\s*([^\n]+)/g)].map((m) => m[1].trim());
  const reason = causes.length > 0 ? causes[causes.length - 1] : oneLine(e);
  return reason.length > 200 ? `${reason.slice(0, 200)}...` : reason;
}

/** The installed h5wasm package folder, found by walking up from this file. */
function h5wasmDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', 'h5wasm');
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error('the h5wasm package is not installed (npm install h5wasm)');
  }
}

// A real dynamic import that no transpiler rewrites into require().
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function load(): Promise<LoadedH5wasm> {
  const dir = h5wasmDir();
  let nodeError: unknown;
  try {
    const module = (await nativeImport(pathToFileURL(path.join(dir, 'dist', 'node', 'hdf5_hl.js')).href)) as H5Module;
    (await module.ready).activate_throwing_error_handler(); // HDF5 errors throw instead of printing to stderr
    return { kind: 'node', module };
  } catch (e) {
    nodeError = e;
  }
  try {
    const source = fs.readFileSync(path.join(dir, 'dist', 'iife', 'h5wasm.js'), 'utf8');
    const module = new Function(`${source}\nreturn h5wasm;`)() as H5Module;
    (await module.ready).activate_throwing_error_handler();
    return { kind: 'bundle', module };
  } catch (e) {
    throw new Error(`cannot load h5wasm: node build: ${oneLine(nodeError)}; bundle: ${oneLine(e)}`);
  }
}

let loading: Promise<LoadedH5wasm> | undefined;

/** Loads h5wasm once per process (about 0.3 s) and returns it. */
export function loadH5wasm(): Promise<LoadedH5wasm> {
  loading ??= load();
  return loading;
}

/** The 8 bytes that start an HDF5 superblock (at offset 0, or 512 * 2^k after a user block). */
export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

let memfsCounter = 0;

/** Opens `file` read-only; `release` closes it (and frees the in-memory copy of the bundle build). */
function open(h5: LoadedH5wasm, file: string): { root: H5File; release: () => void } {
  const fail = (e: unknown): never => {
    throw new DatasetError(file, undefined, `not a readable HDF5 file (${hdf5Reason(e) || 'h5wasm could not open it'})`);
  };
  if (h5.kind === 'node') {
    let root: H5File | undefined;
    try {
      root = new h5.module.File(path.resolve(file), 'r');
    } catch (e) {
      fail(e);
    }
    if (!root || root.file_id < 0n) return fail('');
    const opened = root;
    return { root: opened, release: () => void opened.close() };
  }
  const fsys = h5.module.FS;
  if (!fsys) throw new Error('h5wasm bundle has no file system');
  const memPath = `/import-${++memfsCounter}.h5`;
  fsys.writeFile(memPath, readFileBytes(file));
  let root: H5File | undefined;
  try {
    root = new h5.module.File(memPath, 'r');
  } catch (e) {
    fsys.unlink(memPath);
    fail(e);
  }
  if (!root || root.file_id < 0n) {
    fsys.unlink(memPath);
    return fail('');
  }
  const opened = root;
  return {
    root: opened,
    release: () => {
      try {
        opened.close();
      } finally {
        fsys.unlink(memPath);
      }
    },
  };
}

/** NumPy dtype string for an HDF5 numeric type; undefined when it has none here. */
function dtypeOf(meta: H5Metadata): string | undefined {
  const members = meta.enum_type?.members;
  if (meta.type === H5T_ENUM && members && Object.keys(members).sort().join() === 'FALSE,TRUE' && members.FALSE === 0 && members.TRUE === 1) {
    return '|b1'; // h5py stores numpy bools as this enum
  }
  if (meta.size > 1 && !meta.littleEndian) return undefined;
  if (meta.type === H5T_FLOAT) return meta.size === 4 ? '<f4' : meta.size === 8 ? '<f8' : undefined;
  if (meta.type === H5T_INTEGER || meta.type === H5T_ENUM) {
    const letter = meta.signed ? 'i' : 'u';
    return meta.size === 1 ? `|${letter}1` : [2, 4, 8].includes(meta.size) ? `<${letter}${meta.size}` : undefined;
  }
  return undefined;
}

function readArray(file: string, name: string, dataset: H5Dataset): NpyArray {
  const dtype = dtypeOf(dataset.metadata);
  const m = dataset.metadata;
  if (!dtype) throw new DatasetError(file, name, `unsupported HDF5 type (class ${m.type}, ${m.size} bytes${m.littleEndian ? '' : ', big-endian'})`);
  const shape = dataset.shape;
  const value = dataset.value;
  if (!shape || !ArrayBuffer.isView(value)) throw new DatasetError(file, name, 'not a numeric array');
  const info = dtypeInfo(dtype);
  const data = new info.ctor(shapeSize(shape));
  if ((value as unknown as ArrayLike<unknown>).length !== data.length) throw new DatasetError(file, name, `h5wasm returned ${(value as unknown as ArrayLike<unknown>).length} values for shape (${shape.join(', ')})`);
  (data as unknown as { set(src: ArrayLike<unknown>): void }).set(value as unknown as ArrayLike<unknown>);
  return { dtype, shape: [...shape], data };
}

/** The top-level datasets of an HDF5 file whose names are in `wanted`, as arrays, and the
 * names of every other top-level entry (groups end with '/'), which are not read. */
export async function readHdf5(file: string, wanted: readonly string[]): Promise<{ arrays: Record<string, NpyArray>; skipped: string[] }> {
  const h5 = await loadH5wasm();
  const { root, release } = open(h5, file);
  let current: string | undefined; // the entry being read, for error messages
  try {
    const arrays: Record<string, NpyArray> = Object.create(null) as Record<string, NpyArray>;
    const skipped: string[] = [];
    for (const name of root.keys()) {
      current = name;
      const entity = root.get(name);
      if (!wanted.includes(name)) skipped.push(entity?.type === 'Group' ? `${name}/` : name);
      else if (entity?.type === 'Dataset') arrays[name] = readArray(file, name, entity as H5Dataset);
      else throw new DatasetError(file, name, `is an HDF5 ${entity?.type ?? 'broken link'}, not a dataset`);
    }
    return { arrays, skipped };
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(file, current, `cannot read the HDF5 file (${hdf5Reason(e)})`);
  } finally {
    try {
      release();
    } catch {
      // closing a corrupt file can fail too; the read error above is the one to report
    }
  }
}
