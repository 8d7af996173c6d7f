/**
 * Gradescope's "export submissions" metadata (submission_metadata.yml): a map from each
 * submission folder's name (`submission_<id>`) to its data, written by Ruby, so keys are symbols
 * (`:submitters`, `:name`, `:sid`, `:email`) and some values carry Ruby tags
 * (`!ruby/object:BigDecimal`). Only the submitters are read. The failsafe schema keeps every
 * scalar a string, so a student id like `00123` keeps its zeros.
 */
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import type { Submitter } from './types';

export const GRADESCOPE_METADATA = 'submission_metadata.yml';

type Plain = string | Plain[] | { [key: string]: Plain } | null;

/** `:name` -> `name` (Ruby symbol keys), recursively. */
function unsymbol(value: Plain): Plain {
  if (Array.isArray(value)) return value.map(unsymbol);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/^:/, ''), unsymbol(v)]));
  return value;
}

const isMap = (v: Plain | undefined): v is { [key: string]: Plain } => !!v && typeof v === 'object' && !Array.isArray(v);

/** A submission folder name must be one plain path component. */
export function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\\') && !name.includes('\0');
}

/**
 * Reads the metadata file: submission folder name -> its submitters (in the file's order).
 * Throws a one-line error naming the file and the field for anything malformed.
 */
export function readGradescopeMetadata(file: string): Map<string, Submitter[]> {
  // Unknown Ruby tags are warnings (the value is kept as plain YAML); real syntax errors are not.
  const parsed = parseDocument(fs.readFileSync(file, 'utf8'), { schema: 'failsafe', logLevel: 'silent' });
  if (parsed.errors.length > 0) throw new Error(`${file}: not readable as YAML: ${parsed.errors[0].message.split('\n')[0]}`);
  let doc: Plain;
  try {
    doc = unsymbol(parsed.toJS({ maxAliasCount: 100 }) as Plain);
  } catch (err) {
    throw new Error(`${file}: not readable as YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === '') return new Map();
  if (!isMap(doc)) throw new Error(`${file}: expected a map from submission folder names to their data`);
  const out = new Map<string, Submitter[]>();
  for (const [name, entry] of Object.entries(doc)) {
    if (!isPlainName(name)) throw new Error(`${file}: '${name}' is not a plain folder name`);
    if (!isMap(entry)) throw new Error(`${file}: ${name}: expected a map with :submitters`);
    const list = entry.submitters ?? [];
    if (!Array.isArray(list)) throw new Error(`${file}: ${name}: :submitters must be a list`);
    out.set(
      name,
      list.map((s, i) => {
        if (!isMap(s)) throw new Error(`${file}: ${name}: :submitters[${i}] must be a map with :name, :sid, :email`);
        const field = (key: string): string => {
          const v = s[key];
          if (v === undefined || v === null) return '';
          if (typeof v !== 'string') throw new Error(`${file}: ${name}: :submitters[${i}].:${key} must be a single value`);
          return v.trim();
        };
        return { name: field('name'), sid: field('sid'), email: field('email') };
      }),
    );
  }
  return out;
}
