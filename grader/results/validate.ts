/**
 * Validation and writing of Gradescope's results.json against `gradescope-results.schema.json`
 * (the contract in shared/GRADESCOPE.md). A malformed results file shows the student only "The
 * autograder failed to execute correctly", so nothing is written unless it validates.
 */
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';

/** Where the schema file lives (next to this module). */
export const RESULTS_SCHEMA_PATH = path.join(__dirname, 'gradescope-results.schema.json');

let compiled: ValidateFunction | undefined;

/** The compiled schema, built once. */
function validator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(fs.readFileSync(RESULTS_SCHEMA_PATH, 'utf8')) as object;
    compiled = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(schema);
  }
  return compiled;
}

/** One readable line for one ajv error: the JSON pointer, then what was expected. */
function describe(e: ErrorObject): string | undefined {
  const where = e.instancePath || '/';
  const fromThen = e.schemaPath.startsWith('#/then/');
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined; // the failing "then" errors say what is wrong
    case 'anyOf':
      return e.schemaPath === '#/anyOf' ? `${where}: needs a top-level "score" or a "tests" array` : `${where}: ${e.message}`;
    case 'required':
      if (e.schemaPath.startsWith('#/anyOf/')) return undefined; // summarised by the anyOf line
      return `${where}: missing required property "${String(params.missingProperty)}"${fromThen ? ' (needed when there is no top-level score)' : ''}`;
    case 'enum':
      return `${where}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'additionalProperties':
      return `${where}: unexpected property "${String(params.additionalProperty)}"`;
    case 'type':
      return `${where}: must be ${Array.isArray(params.type) ? params.type.join(' or ') : String(params.type)}`;
    default:
      return `${where}: ${e.message ?? e.keyword}`;
  }
}

/**
 * Check an object against the results.json schema.
 * @returns one line per problem ("/tests/0/status: must be one of \"passed\", \"failed\""); empty when valid
 */
export function validateResults(obj: unknown): string[] {
  const validate = validator();
  if (validate(obj)) return [];
  const lines = (validate.errors ?? []).map(describe).filter((l): l is string => l !== undefined);
  return [...new Set(lines)];
}

/**
 * Validate, then write `obj` as JSON to `file` atomically (a temporary file in the same folder,
 * then a rename), so that a reader never sees half a file. Synchronous, so that it also works
 * from an exit handler. Throws a one-line Error, and writes nothing, when `obj` is invalid.
 */
export function writeResults(file: string, obj: unknown): void {
  const errors = validateResults(obj);
  if (errors.length > 0) {
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    throw new Error(`results.json would be invalid: ${errors.slice(0, 3).join('; ')}${more}`);
  }
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temp, JSON.stringify(obj, null, 2) + '\n', { mode: 0o644 });
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}
