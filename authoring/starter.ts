// Turns one solution file into its starter file (the text transformation; no file system).
//
// Each function's solution regions become, at the first region's indentation,
//     // YOUR CODE HERE
//     throw new NotImplementedError('<function>'[, '<question>']);
// and its later regions are dropped. Every other line is kept byte for byte; the file gets a
// generated-file header, an import of NotImplementedError if it lacks one, and loses the import
// bindings only the solution code used. Kept code must not use names the regions declare.
import * as ts from 'typescript';
import { StarterBuildError } from './build-error';
import { checkNoDanglingNames } from './dangling-names';
import { enclosingFunctionAt, nodeChainAt, parseSource, type EnclosingFunction } from './enclosing-function';
import { ensureNamedImport } from './imports';
import { findRegions, lineBody, splitLinesKeepEol, type SolutionRegion } from './markers';
import type { QuestionMap } from './questions';

export const STARTER_HEADER = '// Generated from solutions/ by `npm run build:starter`; edit the solution file, not this one.';
export const DEFAULT_ERRORS_IMPORT = '../provided/runtime/errors';
const ERROR_CLASS = 'NotImplementedError';

export interface StarterOptions {
  /** The solution's path as shown in errors, e.g. "solutions/losses.ts". */
  file: string;
  /** functionName -> question id; functions not in it get no id. */
  questions?: QuestionMap;
  /** Module specifier of NotImplementedError, as seen from the starter file. */
  errorsImport?: string;
}

export interface Stub {
  functionName: string;
  question?: string;
  /** 1-based line of the first region in the solution file. */
  line: number;
}

export interface StarterSource {
  text: string;
  stubs: Stub[];
}

/** Block nodes a BEGIN/END region may sit directly in (so that it holds whole statements). */
function isStatementList(node: ts.Node): boolean {
  return ts.isBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node) || ts.isModuleBlock(node) || ts.isSourceFile(node);
}

function lineStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const l of lines) {
    starts.push(at);
    at += l.length;
  }
  return starts;
}

/** Offset of the first non-blank character of line `i`. */
function codeOffset(lines: readonly string[], starts: readonly number[], i: number): number {
  return starts[i] + (/^[ \t]*/.exec(lines[i])?.[0].length ?? 0);
}

/** Checks that a region holds whole statements of one block and returns its function. */
function regionFunction(sf: ts.SourceFile, lines: readonly string[], starts: readonly number[], region: SolutionRegion, file: string): EnclosingFunction {
  const at = codeOffset(lines, starts, region.firstLine);
  const line = region.firstLine + 1;
  const fn = enclosingFunctionAt(sf, at);
  if (!fn) throw new StarterBuildError(file, line, 'solution region is not inside a named function (or method, or const arrow function)');
  const chain = nodeChainAt(sf, at);
  if (region.kind === 'block') {
    const endAt = codeOffset(lines, starts, region.lastLine);
    const endChain = nodeChainAt(sf, endAt);
    const container = chain[chain.length - 1];
    if (!isStatementList(container) || endChain[endChain.length - 1] !== container) {
      throw new StarterBuildError(file, line, `BEGIN SOLUTION and the END SOLUTION at line ${region.lastLine + 1} must enclose whole statements of one block`);
    }
  } else {
    const statement = chain.find((n) => n.parent && isStatementList(n.parent) && n.getStart(sf) === at);
    if (!statement) throw new StarterBuildError(file, line, "'// SOLUTION' must end a line that starts with a statement");
    const siblings = (statement.parent as ts.Block | ts.ModuleBlock | ts.CaseOrDefaultClause | ts.SourceFile).statements;
    const onLine = siblings.filter((st) => sf.getLineAndCharacterOfPosition(st.getStart(sf)).line === region.firstLine);
    if (onLine.some((st) => sf.getLineAndCharacterOfPosition(st.end).line !== region.firstLine)) {
      throw new StarterBuildError(file, line, "'// SOLUTION' marks a statement that continues on the next line; use BEGIN/END SOLUTION");
    }
  }
  return fn;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The two stub lines, each ending with `eol` except that the last takes `lastEol`. */
function stubLines(indent: string, stub: Stub, eol: string, lastEol: string): string[] {
  const args = [quote(stub.functionName), ...(stub.question === undefined ? [] : [quote(stub.question)])].join(', ');
  return [`${indent}// YOUR CODE HERE${eol}`, `${indent}throw new ${ERROR_CLASS}(${args});${lastEol}`];
}

/** Adds the generated-file header as the first line (after a shebang). */
function withHeader(text: string, eol: string): string {
  const at = text.startsWith('#!') ? text.indexOf('\n') + 1 : 0;
  return text.slice(0, at) + STARTER_HEADER + eol + text.slice(at);
}

/**
 * Builds the starter text of one solution file.
 *
 * @throws StarterBuildError (file:line) on unbalanced or malformed markers, a region outside any
 *         named function, a region that does not hold whole statements, or kept code using a name
 *         that a region declares
 */
export function buildStarterSource(solution: string, opts: StarterOptions): StarterSource {
  const { file } = opts;
  const eol = solution.includes('\r\n') ? '\r\n' : '\n';
  const lines = splitLinesKeepEol(solution);
  const regions = findRegions(lines, file);
  const sf = parseSource(file, solution);
  const starts = lineStarts(lines);

  // The first region of each function gets the stub; later ones are dropped.
  const replacement = new Map<number, string[]>(); // first line -> lines written instead
  const dropped = new Set<number>();
  const stubbed = new Set<ts.SignatureDeclaration>();
  const stubs: Stub[] = [];
  for (const region of regions) {
    const fn = regionFunction(sf, lines, starts, region, file);
    if (!stubbed.has(fn.node)) {
      stubbed.add(fn.node);
      const question = opts.questions?.get(fn.name);
      const stub: Stub = { functionName: fn.name, ...(question === undefined ? {} : { question }), line: region.firstLine + 1 };
      stubs.push(stub);
      const last = lines[region.lastLine];
      replacement.set(region.firstLine, stubLines(region.indent, stub, eol, last.slice(lineBody(last).length)));
    }
    for (let i = region.firstLine; i <= region.lastLine; i++) dropped.add(i);
  }
  for (const fn of stubbed) checkNoDanglingNames(sf, fn, dropped, file);

  let text = lines.map((l, i) => replacement.get(i)?.join('') ?? (dropped.has(i) ? '' : l)).join('');
  if (stubs.length > 0) {
    text = ensureNamedImport(text, ERROR_CLASS, opts.errorsImport ?? DEFAULT_ERRORS_IMPORT, eol);
  }
  return { text: withHeader(text, eol), stubs };
}
