// Locates, with the TypeScript compiler API, what encloses a position of a solution file:
// the innermost named function (for the stub's name) and the innermost syntax node
// (to check that a region holds whole statements).
import * as ts from 'typescript';

export interface EnclosingFunction {
  /** The function-like node (declaration, method, accessor, constructor, arrow or expression). */
  node: ts.SignatureDeclaration;
  /** Name used in the stub: `fn`, `Class.method`, `Class.constructor`, or the const an arrow is bound to. */
  name: string;
}

/** Parses a file for the lookups below (parent pointers set). */
export function parseSource(fileName: string, text: string): ts.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/**
 * Nodes containing `offset`, outermost first. A node contains an offset when it lies between its
 * first token (leading comments excluded) and its end, so a comment inside a function body is
 * contained by the body's block but not by the statement the comment precedes.
 */
export function nodeChainAt(sf: ts.SourceFile, offset: number): ts.Node[] {
  const chain: ts.Node[] = [sf];
  let current: ts.Node = sf;
  for (;;) {
    const child: ts.Node | undefined = ts.forEachChild(current, (c) => (c.getStart(sf) <= offset && offset < c.end ? c : undefined));
    if (!child) return chain;
    chain.push(child);
    current = child;
  }
}

function memberName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText();
}

function qualified(owner: ts.Node, member: string): string {
  const className = (ts.isClassDeclaration(owner) || ts.isClassExpression(owner)) && owner.name ? owner.name.text : undefined;
  return className ? `${className}.${member}` : member;
}

/** The stub name of a function-like node, or undefined for an anonymous one (e.g. a callback). */
export function functionName(node: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(node)) return node.name?.text;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
    return qualified(node.parent, memberName(node.name));
  }
  if (ts.isConstructorDeclaration(node)) return qualified(node.parent, 'constructor');
  if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
    if (ts.isFunctionExpression(node) && node.name) return node.name.text;
    const parent = node.parent;
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
    if (ts.isPropertyDeclaration(parent)) return qualified(parent.parent, memberName(parent.name));
    if (ts.isPropertyAssignment(parent)) return memberName(parent.name);
  }
  return undefined;
}

/** The innermost named function whose syntax contains `offset`, if any. */
export function enclosingFunctionAt(sf: ts.SourceFile, offset: number): EnclosingFunction | undefined {
  const chain = nodeChainAt(sf, offset);
  for (let i = chain.length - 1; i >= 0; i--) {
    const node = chain[i];
    if (!ts.isFunctionLike(node)) continue;
    const name = functionName(node);
    if (name !== undefined) return { node, name };
  }
  return undefined;
}
