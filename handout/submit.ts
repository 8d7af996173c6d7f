// npm run submit [-- --out FILE]: writes submission.zip with exactly the files the grader takes
// from homework/ (upload it to Gradescope). Warns, without failing, about functions that are still
// stubs and about type errors; fails only when a file to submit is missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';
import { zipSync, type Zippable } from 'fflate';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..');
const HOMEWORK = path.join(ROOT, 'homework');
/** Zip entries get this date, so the same files give the same bytes. */
const ZIP_DATE = new Date(1980, 0, 1);

/** The file names to submit, as listed in the public cases of the assignment. */
function submissionFiles(): string[] {
  const file = path.join(ROOT, 'tests', 'public-cases.json');
  const files = (JSON.parse(fs.readFileSync(file, 'utf8')) as { submission?: unknown }).submission;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) throw new Error(`${file}: field 'submission' must be a list of file names`);
  return files as string[];
}

/** "file.ts: f (Q1.1)" for every stub that still throws NotImplementedError. */
function stubsLeft(name: string, text: string): string[] {
  const found = [...text.matchAll(/new\s+NotImplementedError\(\s*['"]([^'"]+)['"](?:\s*,\s*['"]([^'"]+)['"])?/g)];
  return found.map((m) => `${name}: ${m[1]}${m[2] ? ` (${m[2]})` : ''}`);
}

/** "homework/file.ts:42: message (TS2322)" for every type error in the submitted files. */
function typeErrors(files: string[]): string[] {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  const options = read.error ? { strict: true, noEmit: true, skipLibCheck: true } : ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT).options;
  const program = ts.createProgram(files, { ...options, noEmit: true });
  const wanted = new Set(files.map((f) => path.resolve(f)));
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || wanted.has(path.resolve(d.file.fileName)))
    .map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (!d.file || d.start === undefined) return text;
      const line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
      return `${path.relative(ROOT, d.file.fileName).split(path.sep).join('/')}:${line}: ${text} (TS${d.code})`;
    });
}

function main(): number {
  const program = new Command('submit').description('Write submission.zip from homework/ for Gradescope').option('--out <file>', 'zip file to write', 'submission.zip');
  program.parse();
  const out = path.resolve(ROOT, program.opts<{ out: string }>().out);
  const names = submissionFiles();
  const missing = names.filter((n) => !fs.existsSync(path.join(HOMEWORK, n)));
  if (missing.length > 0) {
    process.stderr.write(`submit: homework/ is missing ${missing.join(', ')}; nothing written\n`);
    return 1;
  }
  const entries: Zippable = {};
  const stubs: string[] = [];
  for (const name of names) {
    const data = fs.readFileSync(path.join(HOMEWORK, name));
    entries[name] = [data, { mtime: ZIP_DATE }];
    stubs.push(...stubsLeft(name, data.toString('utf8')));
  }
  if (stubs.length > 0) {
    process.stderr.write(`submit: warning: ${stubs.length} function(s) not implemented yet (they score 0):\n${stubs.map((s) => `  ${s}\n`).join('')}`);
  }
  const errors = typeErrors(names.map((n) => path.join(HOMEWORK, n)));
  if (errors.length > 0) {
    const shown = errors.slice(0, 20);
    process.stderr.write(`submit: warning: ${errors.length} type error(s); the grader still runs what loads, but check them:\n${shown.map((e) => `  ${e}\n`).join('')}`);
    if (errors.length > shown.length) process.stderr.write(`  ... and ${errors.length - shown.length} more (npm run typecheck)\n`);
  }
  fs.writeFileSync(out, zipSync(entries, { level: 6 }));
  process.stdout.write(`submit: wrote ${path.relative(process.cwd(), out) || out} with ${names.join(', ')}; upload it to Gradescope\n`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`submit: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
  process.exitCode = 1;
}
