// npm run submit [-- --out FILE] [-- --force]: writes submission.zip with exactly the files the
// grader takes from homework/ (upload it to Gradescope). Refuses when a file to submit is missing,
// or does not load the way the grader loads it (a syntax error, an import that fails, code outside
// the functions that throws or never ends), naming the file, the line and the points at stake;
// --force writes the zip anyway. Warns, without refusing, about functions that are still stubs
// and about type errors (the grader strips types and runs what loads).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { zipSync, type Zippable } from 'fflate';
import * as ts from 'typescript';
import type { RunnerCall } from '../grader/child/protocol';
import { LOCAL_CHILD_ENTRY, plainLauncherOf } from '../grader/runner/plain-launch';
import { runCalls } from '../grader/runner/run-calls';

const ROOT = path.resolve(__dirname, '..');
const HOMEWORK = path.join(ROOT, 'homework');
/** Zip entries get this date, so the same files give the same bytes. */
const ZIP_DATE = new Date(1980, 0, 1);

/** What submit reads of tests/public-cases.json (the public tests' data, tests/public-cases.ts). */
interface SubmitData {
  backend: 'wasm' | 'cpu' | 'node';
  /** The file names to submit. */
  submission: string[];
  limits: { startupSeconds: number; memoryMiB: number };
  /** By file: "Q2.1–Q2.10 (38 points)", the questions that score 0 while it does not load. */
  stakes: Record<string, { summary: string }>;
}

function readData(): SubmitData {
  const file = path.join(ROOT, 'tests', 'public-cases.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<SubmitData>;
  const files = data.submission;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string')) throw new Error(`${file}: field 'submission' must be a list of file names`);
  if (!data.limits || !data.stakes || !data.backend) throw new Error(`${file}: fields 'limits', 'stakes' and 'backend' are missing (a handout older than this script?)`);
  return data as SubmitData;
}

/**
 * Why each file that does not load fails, by file name: each file is loaded in the grader's own
 * runner child (its TypeScript loader, TensorFlow.js, the start-up time limit), and asked for a
 * function it does not have, so that no function of yours runs: the answer is the file's load
 * error, or "not exported" when it loaded.
 */
async function loadFailures(data: SubmitData): Promise<Map<string, string>> {
  const probes: RunnerCall[] = data.submission.map((file) => ({ id: `load:${file}`, target: `${file.replace(/\.ts$/, '')}.__load_check__`, harness: { kind: 'function' }, args: [] }));
  const outcomes = await runCalls(probes, {
    launcher: plainLauncherOf(LOCAL_CHILD_ENTRY),
    backend: (process.env.RLHW_BACKEND || data.backend) as SubmitData['backend'],
    studentDir: HOMEWORK,
    cwd: ROOT,
    modules: data.submission.map((f) => f.replace(/\.ts$/, '')),
    timeLimits: Object.fromEntries(probes.map((p) => [p.id, 5])),
    startupCpuSeconds: data.limits.startupSeconds,
    wallFactor: 1,
    memoryMiB: data.limits.memoryMiB,
    home: os.tmpdir(),
  });
  const failures = new Map<string, string>();
  for (const file of data.submission) {
    const e = outcomes.get(`load:${file}`)?.result.error;
    if (e?.kind !== 'load') continue;
    const reason = e.message.replace(/^\S+\.ts could not be loaded: /, '');
    failures.set(file, e.where && !reason.includes(e.where) ? `${reason} (at ${e.where})` : reason);
  }
  return failures;
}

/** "homework/solver.ts does not load: ..." and what it costs, two lines per file. */
function describeFailures(failures: Map<string, string>, data: SubmitData, verb: string): string {
  return [...failures]
    .map(([file, reason]) => `  homework/${file} does not load: ${reason}\n    ${data.stakes[file]?.summary ?? 'its questions'} ${verb} 0.\n`)
    .join('');
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

async function main(): Promise<number> {
  const program = new Command('submit')
    .description('Write submission.zip from homework/ for Gradescope')
    .option('--out <file>', 'zip file to write', 'submission.zip')
    .option('--force', 'write the zip even when a file does not load (its questions then score 0)');
  program.parse();
  const opts = program.opts<{ out: string; force?: boolean }>();
  const out = path.resolve(ROOT, opts.out);
  const data = readData();
  const names = data.submission;
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
  const failures = await loadFailures(data);
  if (failures.size > 0 && !opts.force) {
    process.stderr.write(`submit: nothing written: ${failures.size} file(s) do not load, and the grader loads them the same way:\n${describeFailures(failures, data, 'would score')}`);
    process.stderr.write('Fix them (npm test shows the same), or write the zip anyway with: npm run submit -- --force\n');
    return 1;
  }
  if (failures.size > 0) process.stderr.write(`submit: warning: --force: writing the zip although ${failures.size} file(s) do not load:\n${describeFailures(failures, data, 'will score')}`);
  fs.writeFileSync(out, zipSync(entries, { level: 6 }));
  process.stdout.write(`submit: wrote ${path.relative(process.cwd(), out) || out} with ${names.join(', ')}; upload it to Gradescope\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`submit: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
    process.exitCode = 1;
  },
);
