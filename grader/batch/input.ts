/**
 * The submissions of a batch input: a folder with one sub-folder or archive per submission, or a
 * Gradescope "export submissions" folder (its submission_metadata.yml names the students of each
 * `submission_<id>` folder). Names are sorted by code unit, so every machine sees the same order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasArchiveExtension, sniffFile } from '../intake/detect';
import { GRADESCOPE_METADATA, readGradescopeMetadata } from './gradescope';
import type { Submission } from './types';

export interface BatchInput {
  submissions: Submission[];
  /** Whether the input is a Gradescope export (it has submission_metadata.yml). */
  gradescope: boolean;
  /** Entries left out, one line each, for the staff's log. */
  skipped: string[];
}

/** Plain code-unit order: the same on every machine and locale. */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const hidden = (name: string): boolean => name.startsWith('.') || name === '__MACOSX';

/** Whether a top-level entry is a submission: a folder, or a file that is an archive. */
async function isSubmission(file: string, name: string): Promise<boolean> {
  const st = await fs.promises.stat(file).catch(() => undefined);
  if (!st) return false;
  if (st.isDirectory()) return true;
  if (!st.isFile()) return false;
  return hasArchiveExtension(name) || (await sniffFile(file).catch(() => ({ format: 'unknown' as const }))).format !== 'unknown';
}

/** Lists the submissions of `input` (throws a one-line error when it is not a usable folder). */
export async function listSubmissions(input: string): Promise<BatchInput> {
  const root = path.resolve(input);
  const st = fs.statSync(root, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new Error(`${input}: expected a folder of submissions (one sub-folder or archive each)`);
  const metaFile = path.join(root, GRADESCOPE_METADATA);
  const metadata = fs.existsSync(metaFile) ? readGradescopeMetadata(metaFile) : undefined;
  const skipped: string[] = [];
  const found = new Map<string, Submission>();
  for (const name of fs.readdirSync(root).sort(byName)) {
    if (hidden(name) || name === GRADESCOPE_METADATA) continue;
    const file = path.join(root, name);
    if (!(await isSubmission(file, name))) {
      skipped.push(`${name}: not a folder or an archive`);
      continue;
    }
    const submitters = metadata?.get(name);
    if (metadata && !submitters) skipped.push(`${name}: not in ${GRADESCOPE_METADATA} (graded without student names)`);
    found.set(name, { name, path: file, submitters: submitters ?? [] });
  }
  // A metadata entry without its folder is still a submission: it is graded as an error, so the
  // gradebook shows the student instead of silently dropping them.
  for (const [name, submitters] of metadata ?? []) {
    if (found.has(name) || hidden(name)) continue;
    skipped.push(`${name}: in ${GRADESCOPE_METADATA} but its folder is missing`);
    found.set(name, { name, path: path.join(root, name), submitters });
  }
  const submissions = [...found.values()].sort((a, b) => byName(a.name, b.name));
  return { submissions, gradescope: metadata !== undefined, skipped };
}
