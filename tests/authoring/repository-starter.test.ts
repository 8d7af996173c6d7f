// The real solutions/ and starter/ of this repository.
//
//  1. the committed starter/ is exactly what `npm run build:starter` produces;
//  2. no solution text survives in the starter (build output and committed files);
//  3. the starter exports the same names, with the same kinds, as the solutions;
//  4. the starter type-checks: the build output is compiled in memory with the compiler API and
//     the repository's tsconfig (so this does not depend on `npm test` running tsc first, and it
//     checks what the build produces even before starter/ is regenerated).
// Since 1 ties the committed files to the build output, 3 and 4 hold for the committed files too.
// Each solution file is built on its own, so one broken file does not hide problems in the others.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { findRegions, lineBody, splitLinesKeepEol } from '../../authoring/markers';
import { assignmentLayout, compareStarter, generateStarterFile, questionsOf, solutionSources } from '../../authoring/starter-tree';
import { loadAssignment } from '../../grader/assignment/load';
import { typecheckGenerated } from '../../authoring/typecheck';

const layout = assignmentLayout(path.resolve(__dirname, '../..'), loadAssignment());

/** Each solution file with its build output, or the error that stopped its build. */
const builds = (() => {
  try {
    const questions = questionsOf(layout);
    return solutionSources(layout).map((source) => {
      try {
        return { source, file: generateStarterFile(layout, source, questions) };
      } catch (error) {
        return { source, error };
      }
    });
  } catch (error) {
    return [{ source: layout.assignmentFile, error }];
  }
})();
const files = builds.flatMap((b) => (b.file ? [b.file] : []));
const failed = builds.filter((b) => !b.file);

/** Line text with all whitespace removed, so re-indenting a solution line does not hide it. */
const squeeze = (line: string): string => line.replace(/\s+/g, '');

/** Too short or too generic to be evidence of a leak: `}`, `});`, `return;`, `} else {`... */
function trivial(squeezed: string): boolean {
  return squeezed.length < 12 || /^[{}()[\];,]*$/.test(squeezed) || squeezed === 'return;' || /^}?else{?$/.test(squeezed);
}

/**
 * The non-trivial lines inside solution regions, squeezed: the content lines of block regions and
 * the code of single-line regions. Lines that also occur outside every region are left out: the
 * solution file shows them to students anyway.
 */
function solutionLines(solution: string, file: string): Set<string> {
  const lines = splitLinesKeepEol(solution).map(lineBody);
  const inside = new Set<number>();
  const secret = new Set<string>();
  for (const r of findRegions(splitLinesKeepEol(solution), file)) {
    for (let i = r.firstLine; i <= r.lastLine; i++) inside.add(i);
    if (r.kind === 'line') secret.add(squeeze(lines[r.firstLine].replace(/\/\/[ \t]*SOLUTION[ \t]*$/, '')));
    else for (let i = r.firstLine + 1; i < r.lastLine; i++) secret.add(squeeze(lines[i]));
  }
  lines.forEach((l, i) => {
    if (!inside.has(i)) secret.delete(squeeze(l));
  });
  return new Set([...secret].filter((s) => !trivial(s)));
}

/** Starter lines that repeat a solution line, or carry a marker. */
function leaks(solution: string, starter: string, file: string): string[] {
  const secret = solutionLines(solution, file);
  return splitLinesKeepEol(starter)
    .map(lineBody)
    .filter((l) => secret.has(squeeze(l)) || /BEGIN SOLUTION|END SOLUTION|\/\/\s*SOLUTION\b/.test(l));
}

/** The kind of a named top-level declaration, or undefined for other statements. */
function declarationKind(st: ts.Statement): string | undefined {
  if (ts.isFunctionDeclaration(st)) return 'function';
  if (ts.isClassDeclaration(st)) return 'class';
  if (ts.isInterfaceDeclaration(st)) return 'interface';
  if (ts.isTypeAliasDeclaration(st)) return 'type';
  if (ts.isEnumDeclaration(st)) return 'enum';
  if (ts.isModuleDeclaration(st)) return 'namespace';
  return undefined;
}

/** Exported names of a module mapped to their kind: "function", "class", "const", "re-export"... */
function exportedNames(text: string): Record<string, string> {
  const sf = ts.createSourceFile('m.ts', text, ts.ScriptTarget.Latest, true);
  const out: Record<string, string> = {};
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st)) {
      if (st.exportClause && ts.isNamedExports(st.exportClause)) for (const e of st.exportClause.elements) out[e.name.text] = 're-export';
      else out[`* from ${st.moduleSpecifier?.getText(sf)}`] = 're-export';
      continue;
    }
    if (ts.isExportAssignment(st)) {
      out.default = 'default';
      continue;
    }
    const modifiers = ts.canHaveModifiers(st) ? (ts.getModifiers(st) ?? []) : [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const isDefault = modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isVariableStatement(st)) {
      const kind = st.declarationList.flags & ts.NodeFlags.Const ? 'const' : 'let';
      for (const d of st.declarationList.declarations) out[d.name.getText(sf)] = kind;
      continue;
    }
    const kind = declarationKind(st) ?? ts.SyntaxKind[st.kind];
    const name = (st as ts.DeclarationStatement).name;
    out[isDefault || !name ? 'default' : name.getText(sf)] = kind;
  }
  return out;
}

test('solutions/ holds solution files', () => {
  expect(builds.length).toBeGreaterThan(0);
});

test.each(builds.map((b) => [b.source, b] as const))('%s builds', (_source, b) => {
  if (b.error !== undefined) throw b.error;
});

test('the committed starter/ equals the build output (else run npm run build:starter)', () => {
  if (failed.length > 0) throw new Error(`not compared: ${failed.map((b) => b.source).join(', ')} do not build`);
  const diffs = compareStarter(layout, files).map((d) => `${d.file}: ${d.problem} (run npm run build:starter)`);
  expect(diffs).toEqual([]);
});

describe.each(files.map((f) => [f.target, f] as const))('%s', (_target, f) => {
  const solution = fs.readFileSync(path.join(layout.root, f.source), 'utf8');
  const committed = path.join(layout.root, f.target);

  test('keeps no solution text (build output)', () => {
    expect(leaks(solution, f.text, f.source)).toEqual([]);
  });

  test('keeps no solution text (committed file, if any)', () => {
    if (!fs.existsSync(committed)) return; // reported by the equality test
    expect(leaks(solution, fs.readFileSync(committed, 'utf8'), f.source)).toEqual([]);
  });

  test('exports what the solution exports', () => {
    const exported = exportedNames(solution);
    expect(Object.values(exported)).toContain('function');
    expect(exportedNames(f.text)).toEqual(exported);
  });
});

test('the leak check itself finds a copied solution line', () => {
  const f = files.find((x) => solutionLines(fs.readFileSync(path.join(layout.root, x.source), 'utf8'), x.source).size > 0);
  if (!f) return; // no non-trivial solution line anywhere yet
  const solution = fs.readFileSync(path.join(layout.root, f.source), 'utf8');
  const [line] = [...solutionLines(solution, f.source)];
  const copied = `  ${line}`;
  expect(leaks(solution, `${f.text}${copied}\n`, f.source)).toEqual([copied]);
});

test('the starter type-checks (build output, in memory, repository tsconfig)', () => {
  expect(typecheckGenerated(layout, files)).toEqual([]);
  if (failed.length > 0) throw new Error(`only partly type-checked: ${failed.map((b) => b.source).join(', ')} do not build`);
});
