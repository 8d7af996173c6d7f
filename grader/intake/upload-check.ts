/**
 * The verdict on an upload as a whole, from what became of each expected file: complete,
 * incomplete (some files missing, unusable or empty) or unreadable (nothing could be graded).
 * It gives the first line of the student's output and, for each file not used, the reason every
 * test of that file repeats.
 */
import type { UploadCheck } from './types';

/** What became of one expected file. */
export interface FileOutcome {
  file: string;
  /**
   * used: graded; empty: graded but 0 bytes; absent: no such name; copies: only several numbered
   * copies (`solver (1).ts`, `solver (2).ts`); duplicate: the name more than once; unusable: a link,
   * too large, unreadable in the archive.
   */
  state: 'used' | 'empty' | 'absent' | 'copies' | 'duplicate' | 'unusable';
  /** Near names found (for `absent`), as the student wrote them. */
  near?: string[];
  /** How many copies (for `copies` and `duplicate`). */
  count?: number;
}

const quoted = (names: string[]): string => names.map((n) => `'${n}'`).join(' or ');

/** "a", "a and b", "a, b and c". */
export function listed(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Why the tests of a file not used could not run: a clause that starts a sentence. */
function whyNotUsed(o: FileOutcome): string {
  switch (o.state) {
    case 'absent':
      return `${o.file} was not found in your upload${o.near?.length ? ` (did you mean ${quoted(o.near)}?)` : ''}`;
    case 'copies':
      return `${o.file} was not found in your upload, only ${o.count} numbered copies of it, and none was used`;
    case 'duplicate':
      return `${o.file} is in your upload ${o.count} times, and none was used`;
    default:
      return `${o.file} is in your upload but could not be used (see the problems at the top)`;
  }
}

/** The short form of each problem for the first line; files simply not found are grouped. */
function headlineParts(outcomes: FileOutcome[]): string[] {
  const plainAbsent = outcomes.filter((o) => o.state === 'absent' && !o.near?.length).map((o) => o.file);
  const parts: string[] = [];
  if (plainAbsent.length > 0) parts.push(`${listed(plainAbsent)} ${plainAbsent.length === 1 ? 'was' : 'were'} not found`);
  for (const o of outcomes) {
    if (o.state === 'absent' && o.near?.length) parts.push(`${o.file} was not found (did you mean ${quoted(o.near)}?)`);
    if (o.state === 'copies') parts.push(`${o.file} was not found, only ${o.count} numbered copies of it`);
    if (o.state === 'duplicate') parts.push(`${o.file} is there ${o.count} times`);
    if (o.state === 'unusable') parts.push(`${o.file} could not be used`);
    if (o.state === 'empty') parts.push(`${o.file} is empty`);
  }
  if (parts.length <= 4) return parts;
  return [...parts.slice(0, 3), `${parts.length - 3} more problems listed below`];
}

/** The verdict when every part of the upload has been looked at. */
export function checkUpload(outcomes: FileOutcome[]): UploadCheck {
  const why: Record<string, string> = {};
  for (const o of outcomes) if (o.state !== 'used' && o.state !== 'empty') why[o.file] = whyNotUsed(o);
  const problems = outcomes.filter((o) => o.state !== 'used');
  if (problems.length === 0) return { status: 'complete', why };
  const parts = headlineParts(problems);
  if (outcomes.some((o) => o.state === 'used' || o.state === 'empty')) {
    const them = problems.length === 1 ? 'it' : 'them';
    return { status: 'incomplete', headline: `Your upload is incomplete: ${listed(parts)}, so the tests that need ${them} score 0.`, why };
  }
  const allAbsent = problems.every((o) => o.state === 'absent' && !o.near?.length);
  const headline = allAbsent
    ? `Nothing could be graded: none of the ${outcomes.length} files the assignment asks for (${listed(outcomes.map((o) => o.file))}) was found in your upload.`
    : `Nothing could be graded: ${listed(parts)}.`;
  return { status: 'unreadable', headline, why };
}

/** The verdict on an upload refused as a whole (not an archive, damaged, a bomb...). */
export function refusedUpload(message: string, expected: readonly string[]): UploadCheck {
  const why = Object.fromEntries(expected.map((f) => [f, 'Your upload could not be read (see the first line of the output)']));
  return { status: 'unreadable', headline: `Nothing could be graded: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, why };
}
