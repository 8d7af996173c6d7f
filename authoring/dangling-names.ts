// Catches, at build time, kept code that uses a name declared inside a removed solution region:
// the starter would not compile ("Cannot find name"), and tsc would report it in starter/, far from
// the solution line to fix.
import * as ts from 'typescript';
import { StarterBuildError } from './build-error';

function bindingNames(name: ts.BindingName, into: string[] = []): string[] {
  if (ts.isIdentifier(name)) into.push(name.text);
  else for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, into);
  return into;
}

/** Names bound by a statement at its own level (not inside nested blocks). */
function declaredNames(st: ts.Statement): string[] {
  if (ts.isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name) return [st.name.text];
  return [];
}

/** Names any node binds: variables, parameters, named functions and classes (scopes ignored). */
function boundNames(node: ts.Node): string[] {
  if (ts.isVariableDeclaration(node) || ts.isParameter(node)) return bindingNames(node.name);
  if ((ts.isFunctionLike(node) || ts.isClassLike(node)) && node.name && ts.isIdentifier(node.name)) return [node.name.text];
  return [];
}

/** False for identifiers that name a property, member or new binding rather than refer to one. */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isClassDeclaration(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && (p.name === id || p.propertyName === id)) return false;
  return true;
}

function isStatementOfBlock(node: ts.Node): node is ts.Statement {
  return !!node.parent && (ts.isBlock(node.parent) || ts.isCaseClause(node.parent) || ts.isDefaultClause(node.parent));
}

/**
 * Throws when code of `fn` outside `removedLines` (0-based) refers to a name that a removed
 * statement declares and that no kept code of `fn` binds (kept bindings may shadow it; scopes
 * are not resolved, so this errs on the side of silence).
 *
 * @param file shown in the error
 */
export function checkNoDanglingNames(sf: ts.SourceFile, fn: ts.SignatureDeclaration, removedLines: ReadonlySet<number>, file: string): void {
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  const removedDeclarations = new Map<string, number>(); // name -> 0-based line
  const keptDeclarations = new Set<string>();
  const uses: ts.Identifier[] = [];
  const visit = (node: ts.Node): void => {
    const removed = removedLines.has(lineOf(node.getStart(sf)));
    if (removed) {
      if (isStatementOfBlock(node)) for (const name of declaredNames(node)) removedDeclarations.set(name, lineOf(node.getStart(sf)));
      return;
    }
    for (const name of boundNames(node)) keptDeclarations.add(name);
    if (ts.isIdentifier(node) && isReference(node)) uses.push(node);
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn, visit);
  for (const id of uses) {
    const line = removedDeclarations.get(id.text);
    if (line === undefined || keptDeclarations.has(id.text)) continue;
    throw new StarterBuildError(
      file,
      lineOf(id.getStart(sf)) + 1,
      `'${id.text}' is declared in the solution region at line ${line + 1} but used outside it, so the starter would not compile; move the use into the region or the declaration out of it`,
    );
  }
}
