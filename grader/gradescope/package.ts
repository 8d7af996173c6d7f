/**
 * The Gradescope autograder zip: `setup.sh` and `run_autograder` at the root (Gradescope unpacks
 * the zip into /autograder/source), the kit files grading needs, and the course secret. Never
 * node_modules: setup.sh installs the packages with `npm ci` from the lock file. The same input
 * gives the same bytes (sorted entries, fixed dates and modes).
 */
import { zipSync, type Zippable } from 'fflate';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from '../runner/workdir';
import type { Assignment } from '../assignment/types';
import { SECRET_FILE_NAME } from './layout';

/** Kit paths the grader needs at grading time (folders are taken whole), besides the assignment's folder and package.json. */
export const KIT_PATHS = ['package-lock.json', 'tsconfig.json', 'grader', 'provided', 'fixtures/datasets'];

/** The two scripts Gradescope looks for, kept beside this module. */
export const SCRIPTS_DIR = __dirname;
export const ROOT_SCRIPTS = ['setup.sh', 'run_autograder'];

/** Names never packed, wherever they are. */
const SKIPPED = new Set(['node_modules', '.git', '.DS_Store']);
/** A fixed local-time date (zip stores local time): the same bytes in every time zone. */
const FIXED_DATE = new Date(2000, 0, 1);
const unixAttrs = (mode: number): { os: number; attrs: number } => ({ os: 3, attrs: ((0o100000 | mode) << 16) >>> 0 });

export interface PackageOptions {
  /** The zip file to write. */
  out: string;
  /** The assignment it grades (its folder, and its code's folder when that is another: `base`). */
  assignment: Pick<Assignment, 'dir' | 'codeDir'>;
  /** The course secret to bake in (a root-only file in the source folder); none when undefined. */
  secret?: string;
  kitRoot?: string;
}

export interface PackageSummary {
  file: string;
  entries: string[];
  bytes: number;
}

function addTree(entries: Map<string, { data: Uint8Array; mode: number }>, kitRoot: string, rel: string, skipped: ReadonlySet<string> = SKIPPED): void {
  const full = path.join(kitRoot, rel);
  const st = fs.lstatSync(full, { throwIfNoEntry: false });
  if (!st) throw new Error(`autograder: ${full} is missing from the kit`);
  if (st.isDirectory()) {
    for (const name of fs.readdirSync(full).sort()) if (!skipped.has(name)) addTree(entries, kitRoot, path.posix.join(rel, name), SKIPPED);
  } else if (st.isFile()) {
    entries.set(rel, { data: fs.readFileSync(full), mode: st.mode & 0o111 ? 0o755 : 0o644 });
  } // symbolic links and special files are never packed
}

/** Builds the zip in memory and writes it; returns the entry names in order. */
export function packageAutograder(o: PackageOptions): PackageSummary {
  const kitRoot = o.kitRoot ?? KIT_ROOT;
  const entries = new Map<string, { data: Uint8Array; mode: number }>();
  for (const name of ROOT_SCRIPTS) entries.set(name, { data: fs.readFileSync(path.join(SCRIPTS_DIR, name)), mode: 0o755 });
  for (const rel of KIT_PATHS) addTree(entries, kitRoot, rel);
  const folders = [...new Set([o.assignment.codeDir, o.assignment.dir])].map((d) => path.relative(kitRoot, d).split(path.sep).join('/'));
  if (folders.some((f) => f.startsWith('..'))) throw new Error(`autograder: the assignment must be inside the kit (${folders.join(', ')})`);
  // An assignment's buggy submissions are for the kit's own tests: they quote the reference.
  for (const rel of folders) addTree(entries, kitRoot, rel, new Set([...SKIPPED, 'buggy']));
  // The kit's package.json, with this assignment as the one rlgrade grades by default.
  const pkg = JSON.parse(fs.readFileSync(path.join(kitRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  entries.set('package.json', { data: Buffer.from(`${JSON.stringify({ ...pkg, rlgrade: { ...(pkg.rlgrade as object), defaultAssignment: folders[folders.length - 1] } }, null, 2)}\n`), mode: 0o644 });
  if (o.secret !== undefined) {
    if (o.secret.trim() === '' || /[\r\n]/.test(o.secret.trim())) throw new Error('autograder: the course secret must be one non-empty line');
    entries.set(SECRET_FILE_NAME, { data: Buffer.from(`${o.secret.trim()}\n`), mode: 0o600 });
  }
  const names = [...entries.keys()].sort();
  const zippable: Zippable = {};
  for (const name of names) {
    const { data, mode } = entries.get(name)!;
    zippable[name] = [data, { level: 6, mtime: FIXED_DATE, ...unixAttrs(mode) }];
  }
  const bytes = zipSync(zippable);
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  // It holds the course secret and the solutions: readable by its owner only, even if it existed.
  fs.writeFileSync(o.out, bytes, { mode: 0o600 });
  fs.chmodSync(o.out, 0o600);
  return { file: o.out, entries: names, bytes: bytes.length };
}
