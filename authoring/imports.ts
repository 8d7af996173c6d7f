// Import edits for a generated starter file: make sure the stub's NotImplementedError is imported.
// Every import of the solution stays, even one only the removed code used: it shows students
// which provided helpers the reference relies on.
import * as ts from 'typescript';
import { parseSource } from './enclosing-function';

/** Whether some import declaration of `text` binds `name` (named, default or namespace). */
export function importsName(text: string, name: string): boolean {
  const sf = parseSource('file.ts', text);
  return sf.statements.some((st) => {
    const clause = ts.isImportDeclaration(st) ? st.importClause : undefined;
    if (!clause) return false;
    if (clause.name?.text === name) return true;
    const nb = clause.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) return nb.name.text === name;
    return !!nb && nb.elements.some((e) => e.name.text === name);
  });
}

/**
 * Adds `import { name } from 'from';` on the line after the last import declaration (at the top
 * when there is none, after a shebang), unless `name` is already imported.
 */
export function ensureNamedImport(text: string, name: string, from: string, eol: string): string {
  if (importsName(text, name)) return text;
  const line = `import { ${name} } from '${from}';${eol}`;
  const sf = parseSource('file.ts', text);
  const imports = sf.statements.filter(ts.isImportDeclaration);
  if (imports.length === 0) {
    const at = text.startsWith('#!') ? text.indexOf('\n') + 1 || text.length : 0;
    return text.slice(0, at) + line + text.slice(at);
  }
  const lastEnd = imports[imports.length - 1].end;
  const newline = text.indexOf('\n', lastEnd);
  if (newline === -1) return `${text}${eol}${line}`;
  return text.slice(0, newline + 1) + line + text.slice(newline + 1);
}
