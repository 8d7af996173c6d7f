/**
 * Case seeds. A visible case uses its `inputs.seed` (or a hash of its id) so students can
 * reproduce it; a hidden case's seed is a hash of the course secret and the case id, so that the
 * inputs cannot be derived from the assignment file alone.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { CaseSpec } from '../assignment/types';

/** The documented development secret, used when neither the environment nor a file gives one. */
export const DEV_SECRET = 'dev-secret';

/** RLHW_COURSE_SECRET, else the first line of `secretFile`, else DEV_SECRET. */
export function courseSecret(secretFile?: string): string {
  if (secretFile) {
    const text = fs.readFileSync(secretFile, 'utf8').split(/\r?\n/)[0].trim();
    if (text === '') throw new Error(`secret file ${secretFile} is empty`);
    return text;
  }
  return process.env.RLHW_COURSE_SECRET || DEV_SECRET;
}

/** A 32-bit seed from a SHA-256 of the parts. */
function hashSeed(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\0')).digest().readUInt32LE(0);
}

export function caseSeed(spec: CaseSpec, secret: string): number {
  if (spec.visibility !== 'visible') return hashSeed('hidden', secret, spec.id);
  return spec.inputs.seed ?? hashSeed('visible', spec.id);
}
