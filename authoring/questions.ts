// The optional map from stub function names to question ids, read from the assignment file.
//
// Accepted format (other keys of the file are ignored, so the assignment file can grow):
//
//   questions:
//     - id: Q1.1
//       functions: [discountedReturnToGo, undiscountedReturnToGo]
//     - id: Q4.2
//       functions: [IqlAgent.update]      # methods are named Class.method
//
// A function may belong to one question only; manual (written) questions may omit `functions`.
// A missing file means no question ids.
import * as fs from 'node:fs';
import { parseDocument } from 'yaml';
import { StarterBuildError } from './build-error';

/** functionName -> question id */
export type QuestionMap = ReadonlyMap<string, string>;

/**
 * Parses the assignment file's text.
 *
 * @param file shown in errors
 * @throws StarterBuildError on invalid YAML, a malformed `questions` list or a function listed twice
 */
export function parseQuestionMap(text: string, file: string): QuestionMap {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new StarterBuildError(file, err.linePos?.[0].line, `invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const root: unknown = doc.toJS();
  const map = new Map<string, string>();
  if (root === null || root === undefined) return map;
  if (typeof root !== 'object' || Array.isArray(root)) throw new StarterBuildError(file, undefined, 'the top level must be a mapping');
  const questions = (root as Record<string, unknown>).questions;
  if (questions === undefined || questions === null) return map;
  if (!Array.isArray(questions)) throw new StarterBuildError(file, undefined, "'questions' must be a list of { id, functions }");
  questions.forEach((q: unknown, i) => {
    const where = `questions[${i}]`;
    if (typeof q !== 'object' || q === null || Array.isArray(q)) throw new StarterBuildError(file, undefined, `${where} must be a mapping with 'id' and 'functions'`);
    const { id, functions, manual } = q as Record<string, unknown>;
    if (typeof id !== 'string' || id === '') throw new StarterBuildError(file, undefined, `${where}.id must be a non-empty string (quote numbers: '3.1')`);
    if (manual === true && functions === undefined) return; // a written question: no stubs
    if (!Array.isArray(functions) || !functions.every((f) => typeof f === 'string' && f !== '')) {
      throw new StarterBuildError(file, undefined, `${where} (${id}): 'functions' must be a list of function names`);
    }
    for (const fn of functions as string[]) {
      const previous = map.get(fn);
      if (previous !== undefined) throw new StarterBuildError(file, undefined, `function '${fn}' is listed under both ${previous} and ${id}`);
      map.set(fn, id);
    }
  });
  return map;
}

/** Reads and parses the assignment file; an absent file gives an empty map. */
export function loadQuestionMap(path: string, displayPath: string): QuestionMap {
  if (!fs.existsSync(path)) return new Map();
  return parseQuestionMap(fs.readFileSync(path, 'utf8'), displayPath);
}
