// Type-checks generated starter files in memory, with the repository's tsconfig, before (or
// without) writing them: what is on disk under starter/ is hidden, the generated text is served.
import * as path from 'node:path';
import * as ts from 'typescript';
import type { GeneratedFile, StarterLayout } from './starter-tree';

function compilerOptions(root: string): ts.CompilerOptions {
  const configPath = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  if (read.error) throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}`);
  return ts.parseJsonConfigFileContent(read.config, ts.sys, root).options;
}

/** "file:line: message" for one diagnostic, the file relative to `root`. */
function describe(d: ts.Diagnostic, root: string): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (!d.file || d.start === undefined) return text;
  const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
  return `${path.relative(root, d.file.fileName).split(path.sep).join('/')}:${line}: ${text} (TS${d.code})`;
}

/**
 * Compiles `files` (and everything they import) with the tsconfig of `layout.root`, reading the
 * starter files from memory. Returns one line per error; empty when the starter type-checks.
 */
export function typecheckGenerated(layout: StarterLayout, files: readonly GeneratedFile[]): string[] {
  const starterDir = path.resolve(layout.root, layout.starterDir);
  const generated = new Map(files.map((f) => [path.resolve(layout.root, f.target), f.text]));
  const inStarter = (file: string): boolean => path.dirname(path.resolve(file)) === starterDir;
  const options = compilerOptions(layout.root);
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => (inStarter(file) ? generated.has(path.resolve(file)) : fileExists.call(host, file));
  host.readFile = (file) => (inStarter(file) ? generated.get(path.resolve(file)) : readFile.call(host, file));
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) => {
    const text = inStarter(file) ? generated.get(path.resolve(file)) : undefined;
    if (text !== undefined) return ts.createSourceFile(file, text, languageVersion, true);
    return getSourceFile.call(host, file, languageVersion, onError, shouldCreate);
  };
  const program = ts.createProgram([...generated.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => describe(d, layout.root));
}
