/**
 * The runner child's TypeScript, compiled by the trusted grader just before the child starts.
 *
 * Why: a sandboxed child may not keep a compile cache (tsx's would be readable by the next
 * student graded under the same user, and the sandbox deletes the user's files after each run),
 * so with tsx every child compiled ~40 files through a freshly started esbuild service, which
 * made its start-up several times the 300 ms budget (docs/benchmarks.md). Here the grader
 * compiles child.ts, the student's modules and every kit file they import (with esbuild, as tsx
 * does, kit files once per grader process) into a new folder that only the child's user can
 * read; grader/runner/ts-loader.js in the child loads those files by the SHA-256 of each source
 * and falls back to tsx for anything missing. A student file that does not parse is listed with
 * its one-line error, which the child throws when the file is required.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CHILD_TS = path.join(__dirname, 'child.ts');
/** Loaded only by the trusted reference child (diagnostic variants). */
export const DIAGNOSTICS_TS = path.resolve(__dirname, '../diagnostics/run.ts');

/** One entry of the manifest the child reads: its key is the real path of the .ts file. */
export interface ManifestEntry {
  sha256: string;
  /** The compiled file, or absent when the source does not parse. */
  js?: string;
  /** "iql.ts:12:5: Expected ';' but found 'x'" */
  error?: string;
}
export type Manifest = Record<string, ManifestEntry>;

export interface CompiledForChild {
  /** Path of manifest.json, for the child's RLHW_COMPILED. */
  manifest: string;
  files: number;
  dispose(): void;
}

/** Import specifiers in a source text: static imports and exports, require() and import() of a string literal. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"\n]+)['"]/gm;

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** The .ts file a relative import names, as a real path. */
function resolveTs(from: string, spec: string): string | undefined {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') && fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return fs.realpathSync(candidate);
  }
  return undefined;
}

/** Every .ts file reachable from `entries` through relative imports (entries included), as real paths. */
export function reachableTs(entries: string[]): string[] {
  const seen = new Set<string>();
  const queue = entries.filter((e) => fs.existsSync(e)).map((e) => fs.realpathSync(e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(SPECIFIER)) {
      const target = resolveTs(file, m[1]);
      if (target && !seen.has(target)) queue.push(target);
    }
  }
  return [...seen].sort();
}

type Esbuild = typeof import('esbuild');
let esbuild: Esbuild | undefined;

/** esbuild with tsx's settings for CommonJS output, and an inline source map naming the .ts file. */
function compile(file: string, source: string): { code?: string; error?: string } {
  esbuild ??= require('esbuild') as Esbuild;
  try {
    const out = esbuild.transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      platform: 'node',
      target: `node${process.versions.node}`,
      sourcemap: 'inline',
      sourcefile: file,
      keepNames: true,
      tsconfigRaw: { compilerOptions: { target: 'ES2022', useDefineForClassFields: true, strict: true } },
    });
    return { code: out.code };
  } catch (err) {
    const first = (err as { errors?: Array<{ text: string; location?: { line: number; column: number } | null }> }).errors?.[0];
    const where = first?.location ? `:${first.location.line}:${first.location.column + 1}` : '';
    return { error: `${path.basename(file)}${where}: ${first?.text ?? String((err as Error).message).split('\n')[0]}` };
  }
}

/** Kit files compiled once per grader process, by content. */
const kitCache = new Map<string, { code?: string; error?: string }>();

/**
 * Compiles what a child will load into a new folder readable by its owner and, when `gid` is
 * given, by that group only (the sandbox user's): <folder>/<sha256>.js and manifest.json.
 */
export function compileForChild(studentDir: string, o: { variants?: boolean; gid?: number } = {}): CompiledForChild {
  const student = fs.realpathSync(studentDir) + path.sep;
  const entries = [CHILD_TS, ...(o.variants ? [DIAGNOSTICS_TS] : []), ...fs.readdirSync(studentDir).filter((f) => f.endsWith('.ts')).map((f) => path.join(studentDir, f))];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-js-'));
  const share = (p: string, mode: number) => {
    if (o.gid !== undefined) fs.chownSync(p, process.getuid?.() ?? 0, o.gid);
    fs.chmodSync(p, o.gid !== undefined ? mode : mode & 0o700);
  };
  try {
    share(dir, 0o750);
    const manifest: Manifest = {};
    for (const file of reachableTs(entries)) {
      const source = fs.readFileSync(file, 'utf8');
      const hash = sha256(source);
      const isStudent = file.startsWith(student);
      const out = (!isStudent && kitCache.get(hash)) || compile(file, source);
      if (!isStudent) kitCache.set(hash, out);
      const entry: ManifestEntry = { sha256: hash, error: out.error };
      if (out.code !== undefined) {
        entry.js = path.join(dir, `${hash}.js`);
        fs.writeFileSync(entry.js, out.code, { flag: 'wx', mode: 0o600 });
        share(entry.js, 0o640);
      }
      manifest[file] = entry;
    }
    const manifestFile = path.join(dir, 'manifest.json');
    fs.writeFileSync(manifestFile, JSON.stringify(manifest), { flag: 'wx', mode: 0o600 });
    share(manifestFile, 0o640);
    return { manifest: manifestFile, files: Object.keys(manifest).length, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
