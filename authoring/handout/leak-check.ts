// The handout's leak check: read the archive entry by entry (nothing is trusted from the build)
// and list every problem: an entry outside the top folder or not a plain file, a path on the deny
// list or not on the allow-list, a solution marker or a line of a solution region, a hidden case
// id, a number of a hidden case (input or expected output), the course secret, or a dataset that
// differs from the kit's.
import { createHash } from 'node:crypto';
import * as tar from 'tar';
import { FORBIDDEN, isAllowed } from './layout';

export interface LeakRules {
  /** The archive's one top folder. */
  topFolder: string;
  /** The assignment's submission files (the allow-list's homework/ entries). */
  submission: readonly string[];
  /** Kit files the assignment's runs read, shipped at their kit path (settings). */
  reads: readonly string[];
  /** Ids of the cases that are not visible. */
  hiddenIds: readonly string[];
  /** Numbers of hidden cases (inputs, expected and variant outputs) that no public data explains, as String(x). */
  hiddenNumbers: ReadonlySet<string>;
  /** Lines of solution regions (normalised with `normaliseLine`) that no public source holds. */
  solutionLines: ReadonlySet<string>;
  /** The course secret; checked when at least 6 characters. */
  secret?: string;
  /** SHA-256 of the binary files the handout may hold, by path (the kit's datasets). */
  binaryHashes: ReadonlyMap<string, string>;
}

const MARKER = /BEGIN SOLUTION|END SOLUTION|\/\/[ \t]*SOLUTION\b/;
const NUMBER = /-?\d+\.\d+(?:e[-+]?\d+)?/gi;

/** A code line without its trailing comment and with whitespace collapsed. */
export const normaliseLine = (line: string): string => line.replace(/\/\/.*$/, '').replace(/\s+/g, ' ').trim();

/** A number specific enough that finding it elsewhere is no coincidence: not an integer, 7 or more significant digits. */
export function distinctive(x: number): boolean {
  if (!Number.isFinite(x) || Number.isInteger(x)) return false;
  const digits = String(Math.abs(x)).replace(/e.*$/, '').replace('.', '').replace(/^0+/, '');
  return digits.length >= 7;
}

/** Every entry of a .tar.gz: path -> bytes, plus problems with entry types. */
export async function readArchive(file: string): Promise<{ files: Map<string, Buffer>; problems: string[] }> {
  const files = new Map<string, Buffer>();
  const problems: string[] = [];
  await tar.t({
    file,
    onReadEntry: (entry) => {
      if (entry.type !== 'File' && entry.type !== 'Directory') problems.push(`${entry.path}: a ${entry.type} entry (only files and folders may ship)`);
      if (entry.type !== 'File') return entry.resume();
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.set(entry.path, Buffer.concat(chunks)));
    },
  });
  return { files, problems };
}

const isText = (rel: string): boolean => !/\.(npz|npy|hdf5|h5|wasm|gz|zip)$/.test(rel);

/** Problems of one file's content. */
function contentProblems(rel: string, data: Buffer, rules: LeakRules, idPatterns: { id: string; re: RegExp }[]): string[] {
  if (!isText(rel)) {
    const want = rules.binaryHashes.get(rel);
    const got = createHash('sha256').update(data).digest('hex');
    return want === got ? [] : [`${rel}: a binary file that is not byte-identical to the kit's ${want ? 'copy' : 'datasets'}`];
  }
  const text = data.toString('utf8');
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (MARKER.test(line)) problems.push(`${rel}:${i + 1}: a solution marker`);
    if (rules.solutionLines.has(normaliseLine(line))) problems.push(`${rel}:${i + 1}: a line of a solution region: ${normaliseLine(line).slice(0, 80)}`);
  });
  for (const { id, re } of idPatterns) if (re.test(text)) problems.push(`${rel}: names the hidden case '${id}'`);
  const numbers = new Set([...text.matchAll(NUMBER)].map((m) => m[0]).filter((s) => rules.hiddenNumbers.has(s)));
  if (numbers.size > 0) problems.push(`${rel}: holds ${numbers.size} number(s) of hidden cases (such as ${[...numbers][0]})`);
  if (rules.secret && rules.secret.length >= 6 && text.includes(rules.secret)) problems.push(`${rel}: holds the course secret`);
  return problems;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every problem of the files (paths with the top folder). */
export function leakProblems(files: ReadonlyMap<string, Buffer>, rules: LeakRules): string[] {
  const problems: string[] = [];
  const idPatterns = rules.hiddenIds.map((id) => ({ id, re: new RegExp(`(?<![\\w-])${escape(id)}(?![\\w-])`) }));
  for (const [entry, data] of files) {
    if (!entry.startsWith(`${rules.topFolder}/`)) {
      problems.push(`${entry}: outside the top folder ${rules.topFolder}/`);
      continue;
    }
    const rel = entry.slice(rules.topFolder.length + 1);
    const denied = FORBIDDEN.find((f) => f.pattern.test(rel));
    if (denied) problems.push(`${rel}: ${denied.why} must never ship`);
    else if (!isAllowed(rel, rules.submission, rules.reads)) problems.push(`${rel}: not on the handout's allow-list`);
    problems.push(...contentProblems(rel, data, rules, idPatterns));
  }
  return problems;
}

/** Reads the archive and lists every problem; empty when the handout is clean. */
export async function checkArchive(file: string, rules: LeakRules): Promise<string[]> {
  const { files, problems } = await readArchive(file);
  return [...problems, ...leakProblems(files, rules)];
}
