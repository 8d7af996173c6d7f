// The hostile and broken submissions (fixtures/submissions/hostile/<case>/manifest.json): each
// manifest says how to build the upload from the reference files (code put before or after a
// file, a line injected into a function, find/replace edits, a whole file from the case folder,
// a file removed; then, optionally, an archive with a hostile entry) and what grading it must
// give. Only manifests and small code files are committed; archives, bombs included, are built
// into a temporary folder when the corpus runs (hostile-archives.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ArchiveEntry, gzipBomb, gzipBytes, tarBytes, zipBytes } from './hostile-archives';

const ROOT = path.resolve(__dirname, '../..');
export const HOSTILE_DIR = path.join(ROOT, 'fixtures/submissions/hostile');
const SOLUTIONS_DIR = path.join(ROOT, 'solutions');
const STARTER_DIR = path.join(ROOT, 'starter');

/** The port (on 127.0.0.1) and abstract unix socket name the network case tries to reach; the corpus runner listens there. */
export const MARKER_PORT = 47613;

export const THREATS = ['never-ends', 'resources', 'escape', 'cheat', 'bug', 'archive', 'unusual'] as const;
export type Threat = (typeof THREATS)[number];
export const ARCHIVE_ATTACKS = ['none', 'dotdot', 'absolute', 'symlink', 'hardlink', 'setuid', 'bomb', 'many-entries', 'duplicate', 'zero-byte'] as const;
export type ArchiveAttack = (typeof ARCHIVE_ATTACKS)[number];

/** How one reference file is changed. File names refer to the case folder. */
export interface FileChange {
  /** Start from the starter's version of the file instead of the reference solution. */
  from?: 'solutions' | 'starter';
  /** Code put before the reference text (a file of the case folder). */
  prepend?: string;
  /** Code put after the reference text (a file of the case folder). */
  append?: string;
  /** A file of the case folder that replaces the reference file. */
  content?: string;
  /** A line of code inserted as the first statement of an exported function. */
  inject?: { function: string; code: string }[];
  /** Each `find` must occur exactly once. */
  edits?: { find: string; replace: string }[];
  /** Leave the file out. */
  remove?: boolean;
}

/** Values the corpus runner computes for a case and puts into its files (`substitute`). */
export const CORPUS_VALUES = ['trained-policy', 'victim-work-folder', 'kit'] as const;
export type CorpusValue = (typeof CORPUS_VALUES)[number];
/** Machine state the corpus runner sets up before grading a case, and removes afterwards. */
export const CORPUS_STAGES = ['other-checkout', 'readable-autograder-zip', 'killed-grading'] as const;
export type CorpusStage = (typeof CORPUS_STAGES)[number];

export interface HostileManifest {
  threat: Threat;
  /** One sentence: what the submission does. */
  description: string;
  /** 'reduced': a few cases per question, no training (fast); 'full': the kit's assignment. */
  assignment: 'reduced' | 'full';
  /**
   * Placeholders in the case's files and the values that replace them (as JSON text): a policy
   * the reference trained, the work folder of a grading killed just before, the kit's path.
   */
  substitute?: Record<string, CorpusValue>;
  /**
   * What the machine holds when the case is graded: another checkout's solutions and a Gradescope
   * zip readable by everyone, or the work folder of a grading killed with SIGKILL.
   */
  stage?: CorpusStage[];
  files?: Record<string, FileChange>;
  /** Upload an archive (or, format 'text', a file that is no archive) instead of a folder. */
  archive?: { format: 'tar' | 'tgz' | 'zip' | 'text'; attack: ArchiveAttack; name: string; in_folder?: boolean };
  expect: {
    /** 'all': every point the assignment offers; a list: all but the questions (ids) or files named. */
    max_score: 'all' | number | string[];
    /** The score must equal max_score (the correct but unusual solution). */
    full_marks?: boolean;
    /** 'passed': every test passed; 'failed': at least one did not. */
    status: 'passed' | 'failed';
    /** A phrase the student-facing output must contain. */
    output_contains: string;
    /** `rlgrade grade` must finish within this many seconds. */
    time_limit_seconds: number;
  };
}

export const hostileNames = (): string[] => fs.readdirSync(HOSTILE_DIR).filter((n) => fs.existsSync(path.join(HOSTILE_DIR, n, 'manifest.json'))).sort();

/** Reads and checks a manifest; a bad one throws one line naming the file and the field. */
export function hostileManifest(name: string): HostileManifest {
  const file = path.join(HOSTILE_DIR, name, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as HostileManifest;
  const fail = (field: string, what: string): never => {
    throw new Error(`${path.relative(ROOT, file)}: ${field}: ${what}`);
  };
  if (!THREATS.includes(m.threat)) fail('threat', `expected one of ${THREATS.join(', ')}`);
  if (typeof m.description !== 'string' || m.description === '') fail('description', 'expected a sentence');
  if (m.assignment !== 'reduced' && m.assignment !== 'full') fail('assignment', "expected 'reduced' or 'full'");
  for (const [f, change] of Object.entries(m.files ?? {})) {
    for (const key of ['prepend', 'append', 'content'] as const) {
      const own = change[key];
      if (own !== undefined && !fs.existsSync(path.join(HOSTILE_DIR, name, own))) fail(`files.${f}.${key}`, `no file '${own}' in the case folder`);
    }
  }
  for (const [placeholder, value] of Object.entries(m.substitute ?? {})) {
    if (!/^__[A-Z_]+__$/.test(placeholder) || !CORPUS_VALUES.includes(value)) fail(`substitute.${placeholder}`, `expected __NAME__: one of ${CORPUS_VALUES.join(', ')}`);
  }
  for (const stage of m.stage ?? []) if (!CORPUS_STAGES.includes(stage)) fail('stage', `expected a list of ${CORPUS_STAGES.join(', ')}`);
  if (m.archive && (!['tar', 'tgz', 'zip', 'text'].includes(m.archive.format) || !ARCHIVE_ATTACKS.includes(m.archive.attack) || !m.archive.name)) {
    fail('archive', `expected { format: tar|tgz|zip|text, attack: ${ARCHIVE_ATTACKS.join('|')}, name }`);
  }
  const e = m.expect ?? fail('expect', 'missing');
  const bound = e.max_score;
  if (!(bound === 'all' || (typeof bound === 'number' && bound >= 0) || (Array.isArray(bound) && bound.every((x) => typeof x === 'string')))) fail('expect.max_score', "expected 'all', a number or a list of question ids and file names");
  if (e.status !== 'passed' && e.status !== 'failed') fail('expect.status', "expected 'passed' or 'failed'");
  if (typeof e.output_contains !== 'string' || e.output_contains === '') fail('expect.output_contains', 'expected a phrase');
  if (!(e.time_limit_seconds > 0)) fail('expect.time_limit_seconds', 'expected a positive number');
  return m;
}

function injectInto(text: string, fn: string, code: string): string {
  const at = text.indexOf(`export function ${fn}(`);
  const body = at < 0 ? -1 : text.indexOf('{\n', text.indexOf(')', at));
  if (body < 0) throw new Error(`no 'export function ${fn}(...) {' in the reference file`);
  return `${text.slice(0, body + 2)}  ${code}\n${text.slice(body + 2)}`;
}

/** The reference text of `file` with the case's change applied (undefined: removed). */
function changedFile(name: string, file: string, change: FileChange | undefined, values: Record<string, string>): Buffer | undefined {
  const own = (f: string) => Object.entries(values).reduce((text, [placeholder, value]) => text.split(placeholder).join(value), fs.readFileSync(path.join(HOSTILE_DIR, name, f), 'utf8'));
  if (!change) return fs.readFileSync(path.join(SOLUTIONS_DIR, file));
  if (change.remove) return undefined;
  const base = path.join(change.from === 'starter' ? STARTER_DIR : SOLUTIONS_DIR, file);
  let text = change.content !== undefined ? own(change.content) : fs.readFileSync(base, 'utf8');
  for (const { find, replace } of change.edits ?? []) {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`${name}: files.${file}.edits: '${find.split('\n')[0]}' occurs ${count} times, expected once`);
    text = text.replace(find, () => replace);
  }
  for (const { function: fn, code } of change.inject ?? []) text = injectInto(text, fn, code);
  if (change.prepend !== undefined) text = `${own(change.prepend)}\n${text}`;
  if (change.append !== undefined) text = `${text}\n${own(change.append)}`;
  return Buffer.from(text);
}

/** Entries of an archive holding `files`, with the case's attack added. */
export function attackEntries(attack: ArchiveAttack, files: Record<string, Buffer>, kitRoot = ROOT): ArchiveEntry[] {
  const plain = Object.entries(files).map(([n, data]): ArchiveEntry => ({ name: `hw/${n}`, data }));
  const without = (n: string) => plain.filter((e) => e.name !== `hw/${n}`);
  const solution = path.join(kitRoot, 'solutions', 'iql.ts');
  switch (attack) {
    case 'none':
    case 'bomb':
      return plain;
    case 'dotdot':
      return [...plain, { name: '../../../../../../../tmp/rlhw-hostile-dotdot.ts', data: Buffer.from('export {};\n') }, { name: 'hw/../../rlhw-hostile-up.ts', data: Buffer.from('x') }];
    case 'absolute':
      return [...plain, { name: '/tmp/rlhw-hostile-absolute.ts', data: Buffer.from('x') }, { name: '/etc/cron.d/rlhw-hostile', data: Buffer.from('* * * * * root true\n') }];
    case 'symlink':
      // iql.ts points at the reference solution; a folder link points at the root.
      return [...without('iql.ts'), { name: 'hw/iql.ts', type: 'symlink', target: solution }, { name: 'hw/up', type: 'symlink', target: '/' }];
    case 'hardlink':
      return [...without('iql.ts'), { name: 'hw/iql.ts', type: 'hardlink', target: solution }, { name: 'hw/shadow.ts', type: 'hardlink', target: '/etc/shadow' }];
    case 'setuid':
      return [...plain.map((e) => ({ ...e, mode: 0o6755 })), { name: 'hw/rlhw-hostile-suid', data: Buffer.from('#!/bin/sh\nid\n'), mode: 0o4777 }];
    case 'many-entries':
      return [...plain, ...Array.from({ length: 100_000 }, (_, i): ArchiveEntry => ({ name: `junk/${i}.txt` }))];
    case 'duplicate':
      return [...plain, { name: 'copy/iql.ts', data: files['iql.ts'] }];
    case 'zero-byte':
      return [...without('iql.ts'), { name: 'hw/iql.ts', data: Buffer.alloc(0) }];
  }
}

export interface BuiltSubmission {
  /** What to grade: a folder, an archive file, or a folder holding one archive. */
  path: string;
  /** Every text the submission itself contains (file contents, entry names, link targets). */
  supplied: string[];
}

/**
 * Builds the case's upload under `dir` (which must exist and be empty). `values`: the text of each
 * placeholder of the manifest's `substitute` (the corpus runner computes them).
 */
export function buildHostile(name: string, dir: string, m: HostileManifest = hostileManifest(name), values: Record<string, string> = {}): BuiltSubmission {
  const files: Record<string, Buffer> = {};
  const names = new Set([...fs.readdirSync(SOLUTIONS_DIR), ...Object.keys(m.files ?? {})]);
  for (const file of [...names].sort()) {
    const data = changedFile(name, file, m.files?.[file], values);
    if (data) files[file] = data;
  }
  const supplied = Object.values(files).map((b) => b.toString('utf8'));
  if (!m.archive) {
    const folder = path.join(dir, 'submission');
    fs.mkdirSync(folder);
    for (const [file, data] of Object.entries(files)) fs.writeFileSync(path.join(folder, file), data);
    return { path: folder, supplied };
  }
  const { format, attack } = m.archive;
  const folder = m.archive.in_folder ? path.join(dir, 'upload') : dir;
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, m.archive.name);
  const entries = attackEntries(attack, files);
  for (const e of entries) supplied.push(e.name, e.target ?? ''); // no spread: 100 000 entries overflow the stack
  if (format === 'text') fs.writeFileSync(file, 'These are my answers: see the attached files. (This is not an archive.)\n');
  else if (format === 'zip') fs.writeFileSync(file, zipBytes(entries, attack === 'bomb' ? 1024 : 0));
  else if (attack === 'bomb') fs.writeFileSync(file, Buffer.concat([gzipBytes(tarBytes(entries).subarray(0, -1024)), gzipBomb(256, 4)]));
  else fs.writeFileSync(file, format === 'tgz' ? gzipBytes(tarBytes(entries)) : tarBytes(entries));
  return { path: m.archive.in_folder ? folder : file, supplied };
}
