// Imports between the handout's files: which kit modules the handout's entry files reach (so the
// shared grader modules are found, not listed by hand), and whether every import inside the
// finished handout resolves to a file it holds or to a declared package.
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The module names a TypeScript or JavaScript file imports or requires (literal names only). */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

const EXTENSIONS = ['', '.ts', '.js', '.json', '/index.ts', '/index.js'];
const isRelative = (spec: string): boolean => spec.startsWith('./') || spec.startsWith('../');

/** The file a relative import names, among `exists` (paths relative to a root, with '/'). */
export function resolveRelative(from: string, spec: string, exists: (rel: string) => boolean): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return EXTENSIONS.map((e) => base + e).find((candidate) => !candidate.startsWith('../') && exists(candidate));
}

/** "@scope/name/sub" -> "@scope/name"; "node:fs" and builtins -> undefined. */
export function packageOf(spec: string): string | undefined {
  if (spec.startsWith('node:') || builtinModules.includes(spec)) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Every kit file reachable from `entries` through relative imports, entries included, sorted.
 * `read(rel)` gives a file's text (undefined when it does not exist).
 */
export function reachable(entries: string[], read: (rel: string) => string | undefined): string[] {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.(ts|js)$/.test(file)) continue;
    for (const spec of importsOf(read(file) ?? '').filter(isRelative)) {
      const target = resolveRelative(file, spec, (rel) => read(rel) !== undefined);
      if (target) queue.push(target);
    }
  }
  return [...seen].sort();
}

/**
 * Problems with the imports of the finished handout: relative imports that name no file it holds,
 * and packages that are neither Node built-ins nor declared in its package.json.
 */
export function importProblems(files: ReadonlyMap<string, Buffer>, packages: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [file, data] of files) {
    if (!/\.(ts|js)$/.test(file)) continue;
    for (const spec of importsOf(data.toString('utf8'))) {
      if (isRelative(spec)) {
        if (!resolveRelative(file, spec, (rel) => files.has(rel))) problems.push(`${file}: imports '${spec}', which the handout does not hold`);
        continue;
      }
      const pkg = packageOf(spec);
      if (pkg && !packages.has(pkg)) problems.push(`${file}: imports '${spec}', which is not in the handout's package.json`);
    }
  }
  return problems;
}
