/**
 * How the intake reads a path found inside an upload (a tar or zip entry name, or a path relative
 * to a submitted folder). Paths are never used to write anything; they only decide whether an
 * entry is ignored, refused as unsafe, or a candidate for an expected file by its base name.
 */

/** What an entry's path says about it. */
export type EntryPath =
  /** Inside a dot-folder, a dot-file, or macOS's `__MACOSX` copies: silently ignored. */
  | { kind: 'hidden'; display: string }
  /** Absolute, a drive letter, or climbing out with `..`: refused, never extracted. */
  | { kind: 'outside'; display: string }
  /** An ordinary relative path; `name` is its last segment. */
  | { kind: 'normal'; display: string; name: string };

/** Longest entry path quoted back to the student. */
const MAX_DISPLAY = 120;

/**
 * A path as it may be quoted in a one-line, student-facing message: control characters replaced,
 * backslashes as slashes, long paths shortened in the middle.
 */
export function displayPath(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = raw.replace(/\\/g, '/').replace(/[\u0000-\u001f\u007f]/g, '?');
  if (clean.length <= MAX_DISPLAY) return clean;
  const half = Math.floor((MAX_DISPLAY - 3) / 2);
  return `${clean.slice(0, half)}...${clean.slice(clean.length - half)}`;
}

/** Classify an entry path (tar, zip or folder-relative; either slash). */
export function classifyPath(raw: string): EntryPath {
  const display = displayPath(raw);
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { kind: 'outside', display };
  // `./a/b` and `a//b` are ordinary; `.` segments carry no meaning.
  const segments = slashed.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) return { kind: 'outside', display };
  if (segments.length === 0) return { kind: 'hidden', display };
  if (segments.some((s) => s.startsWith('.') || s === '__MACOSX')) return { kind: 'hidden', display };
  return { kind: 'normal', display, name: segments[segments.length - 1] };
}
