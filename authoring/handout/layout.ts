// What the student handout holds, where each file comes from in the kit, and the allow-list the
// leak check enforces. Paths are relative, with '/', inside the archive's top folder.
import * as path from 'node:path';

/** The archive's one top folder, named after the assignment's folder, and the archive's file name. */
export const topFolder = (assignmentDir: string): string => `${path.basename(assignmentDir)}-handout`;
export const archiveName = (assignmentDir: string): string => `${topFolder(assignmentDir)}.tar.gz`;

/** Where the student writes the submission files (the generated starter). */
export const HOMEWORK_DIR = 'homework';

/** Handout-only code (the kit's handout/ folder) and its place in the handout: same depth, so relative imports hold. */
export const HANDOUT_CODE: Record<string, string> = {
  'handout/public.test.ts': 'tests/public.test.ts',
  'handout/public-cases.ts': 'tests/public-cases.ts',
  'handout/local-run.ts': 'tests/local-run.ts',
  'handout/summary-reporter.js': 'tests/summary-reporter.js',
  'handout/submit.ts': 'scripts/submit.ts',
};

/** The public cases: inputs, reference outputs and known-mistake outputs of every visible case. */
export const PUBLIC_CASES = 'tests/public-cases.json';

/** Files written by the builder itself. */
export const GENERATED = ['README.md', 'package.json', 'package-lock.json', 'tsconfig.json', 'jest.config.js', '.gitignore', PUBLIC_CASES];

/** The math contract: shipped at its kit path, so "docs/contract.md §5" means the same file in both. */
export const CONTRACT = 'docs/contract.md';

/** Kit files shipped at the same path, besides provided/, the datasets and the assignment's public grading. */
export const SAME_PATH = [CONTRACT];

/**
 * The entry of the runner child of local runs (public tests, npm run submit). The launcher names
 * it by path, not by an import, so the build follows it from here.
 */
export const LOCAL_CHILD_ENTRY = 'grader/child/local-entry.js';

/**
 * The grader modules the public tests share with the grader: the runner child without its
 * diagnostic variants (calling a function or one of the assignment's whole runs), the parent that
 * runs it with time limits and checks its messages (plain launcher, no sandbox), and the judging
 * of its outputs.
 */
export const SHARED_GRADER = [
  LOCAL_CHILD_ENTRY,
  'grader/child/tfjs-deferred.js',
  'grader/child/ts-loader.js',
  'grader/child/compile-cache.js',
  'grader/child/serve.ts',
  'grader/child/channel.ts',
  'grader/child/execute.ts',
  'grader/child/harnesses.ts',
  'grader/child/encode.ts',
  'grader/child/protocol.ts',
  'grader/runner/run-calls.ts',
  'grader/runner/plain-launch.ts',
  'grader/runner/conversation.ts',
  'grader/runner/messages.ts',
  'grader/sandbox/types.ts',
  'grader/sandbox/capture.ts',
  'grader/scoring/judge.ts',
  'grader/scoring/compare.ts',
  'grader/diagnostics/match.ts',
  'grader/assignment/types.ts',
  'grader/assignment/public-grading.ts',
  'grader/report/model.ts',
];

/** An assignment's public grading code (assignments/<name>/public/): shipped at its kit path. */
const PUBLIC_GRADING = /^assignments\/[\w-]+\/public\/[\w-]+\.ts$/;
/** The starter (keyed starter/<file> by the builder): shipped as the homework. */
const STARTER = /^starter\/[\w.-]+$/;

/** Folders shipped whole (their .ts files) and the public datasets. */
export const PROVIDED_DIR = 'provided';
export const DATASETS_DIR = 'fixtures/datasets';

/** Paths that must never ship, with the reason the leak check gives. */
export const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  { pattern: /(^|\/)solutions\//, why: 'the reference solutions' },
  { pattern: /^grader\/diagnostics\/(?!match\.ts$)/, why: 'diagnostic variants (modified reference code)' },
  { pattern: /^grader\/cases\//, why: 'hidden case generation (course secret)' },
  { pattern: /(^|\/)private\//, why: "an assignment's private grading (case generators, diagnostic variants)" },
  { pattern: /^grader\/runner\/(reference|child|train|launch)\b/, why: 'grader internals' },
  { pattern: /^grader\/sandbox\/(?!(types|capture)\.ts$)/, why: 'the sandbox (only its types and output readers ship, for the plain launcher)' },
  { pattern: /^grader\/child\/(main\.ts|entry\.js)$/, why: "the grader's child entry (it loads the diagnostic variants)" },
  { pattern: /(^|\/)reference-[0-9a-f]+\.json$/, why: 'a reference cache file' },
  { pattern: /^fixtures\/submissions\/|^assignments\/[\w-]+\/buggy\//, why: 'buggy or hostile submissions (edits of the reference code)' },
  { pattern: /(^|\/)assignment\.ya?ml$/, why: 'the assignment file (hidden case ids and parameters)' },
  { pattern: /(^|\/)\.?secret/i, why: 'a course secret file' },
];

/**
 * The allow-list: every path the handout may hold. It names files, never question ids, so it
 * holds for any question list; `submission` is the assignment's list of files to submit.
 */
export function isAllowed(rel: string, submission: readonly string[], reads: readonly string[] = []): boolean {
  if (GENERATED.includes(rel) || SAME_PATH.includes(rel) || SHARED_GRADER.includes(rel) || PUBLIC_GRADING.test(rel) || reads.includes(rel)) return true;
  if (Object.values(HANDOUT_CODE).includes(rel)) return true;
  if (path.posix.dirname(rel) === HOMEWORK_DIR && submission.includes(path.posix.basename(rel))) return true;
  if (rel.startsWith(`${PROVIDED_DIR}/`) && rel.endsWith('.ts') && !rel.endsWith('.test.ts')) return true;
  return path.posix.dirname(rel) === DATASETS_DIR && /^[a-z0-9-]+\.npz$|^manifest\.json$/.test(path.posix.basename(rel));
}

/** The handout path of a kit file, or undefined when the handout has no place for it. */
export function handoutPathOf(kitRel: string, reads: readonly string[] = []): string | undefined {
  if (HANDOUT_CODE[kitRel]) return HANDOUT_CODE[kitRel];
  if (STARTER.test(kitRel)) return `${HOMEWORK_DIR}/${path.posix.basename(kitRel)}`;
  if (SHARED_GRADER.includes(kitRel) || SAME_PATH.includes(kitRel) || PUBLIC_GRADING.test(kitRel) || reads.includes(kitRel)) return kitRel;
  if (kitRel.startsWith(`${PROVIDED_DIR}/`) || kitRel.startsWith(`${DATASETS_DIR}/`)) return kitRel;
  return undefined;
}
