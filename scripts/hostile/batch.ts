// Batch checks of the hostile corpus (issue 7): `rlgrade batch` over every case plus the reference
// solution must give every submission exactly one result and complete; a run killed with SIGKILL
// in the middle and then resumed must end with the same gradebook as an uninterrupted run; and no
// process of a sandbox user may be left.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildHostile, hostileManifest } from '../examples/hostile';
import type { Corpus } from './corpus';
import { CORPUS_SECRET } from './corpus';
import { liveProcessesOf, ROOT } from './machine';

const BIN = path.join(ROOT, 'grader/bin/rlgrade.js');
const WORKERS = 2;
/** Sandbox users to check for leftovers: the batch's workers run as rlhw-student-0..N-1 (grader/batch/run.ts), plain `grade` as rlhw-student. */
const USERS = ['rlhw-student', ...Array.from({ length: WORKERS }, (_, k) => `rlhw-student-${k}`)];

/** The batch input: one entry per case (its folder, its archive, or its upload folder), plus the reference. */
function writeInput(corpus: Corpus, names: string[]): { input: string; entries: string[] } {
  const input = path.join(corpus.dir, 'batch-input');
  const build = path.join(corpus.dir, 'batch-build');
  fs.mkdirSync(input, { mode: 0o700 });
  for (const name of names) {
    const dir = path.join(build, name);
    fs.mkdirSync(dir, { recursive: true });
    const built = buildHostile(name, dir, hostileManifest(name));
    const archive = hostileManifest(name).archive;
    // An archive keeps its extension (and so its wrong one): `<case>.<ext>`.
    const entry = archive && !archive.in_folder ? `${name}${archive.name.slice(archive.name.indexOf('.'))}` : name;
    fs.renameSync(built.path, path.join(input, entry));
  }
  fs.cpSync(path.join(ROOT, 'solutions'), path.join(input, 'reference'), { recursive: true, dereference: true });
  return { input, entries: fs.readdirSync(input).sort() };
}

interface Run {
  code: number | null;
  stderr: string;
}

/** Starts `rlgrade batch`; `killWhen` is polled every second and SIGKILLs the batch process when true. */
function batch(args: string[], killWhen?: () => boolean): Promise<Run & { killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'batch', ...args], { cwd: ROOT, env: { ...process.env, RLHW_COURSE_SECRET: CORPUS_SECRET }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let killed = false;
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-4000)));
    const poll = killWhen
      ? setInterval(() => {
          if (!killed && killWhen()) {
            killed = true;
            child.kill('SIGKILL');
          }
        }, 1000)
      : undefined;
    child.on('close', (code) => {
      clearInterval(poll);
      resolve({ code, stderr, killed });
    });
  });
}

const finished = (out: string): number => {
  const dir = path.join(out, 'submissions');
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'grading.json'))).length : 0;
};

/** Rows of a CSV file as written by csv-stringify (fields quoted with "" when needed), header first. */
export function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Problems with one batch output: the gradebook must hold each entry exactly once. */
function gradebookProblems(out: string, entries: string[]): string[] {
  const file = path.join(out, 'gradebook.csv');
  if (!fs.existsSync(file)) return [`${path.basename(out)}: no gradebook.csv`];
  const [header, ...cells] = csvRows(fs.readFileSync(file, 'utf8'));
  const rows = cells.map((r) => ({ submission: r[header.indexOf('submission')], status: r[header.indexOf('status')] }));
  const seen = rows.map((r) => r.submission.replace(/^'/, '')).sort();
  const problems: string[] = [];
  if (seen.join('\n') !== entries.join('\n')) {
    const missing = entries.filter((e) => !seen.includes(e));
    const twice = seen.filter((s, i) => seen.indexOf(s) !== i);
    const extra = seen.filter((s) => !entries.includes(s));
    problems.push(`${path.basename(out)}: gradebook rows do not match the input (missing: ${missing.join(', ') || '-'}; twice: ${twice.join(', ') || '-'}; unknown: ${extra.join(', ') || '-'})`);
  }
  const reference = rows.find((r) => r.submission === 'reference');
  if (reference && reference.status !== 'ok') problems.push(`${path.basename(out)}: the reference solution has status ${reference.status}`);
  return problems;
}

export async function runBatchChecks(corpus: Corpus, names: string[]): Promise<string[]> {
  const { input, entries } = writeInput(corpus, names);
  const reduced = corpus.assignments.reduced!.dir!;
  const common = (out: string) => [input, '--out', out, '--workers', String(WORKERS), '--assignment', reduced, '--progress', 'none'];
  const problems: string[] = [];
  const whole = path.join(corpus.dir, 'batch-whole');
  const once = await batch(common(whole));
  if (once.code !== 0) problems.push(`rlgrade batch exited with ${once.code}: ${once.stderr.trim().split('\n').pop()}`);
  problems.push(...gradebookProblems(whole, entries));

  // Killed when about half of the submissions have a result, then resumed.
  const resumed = path.join(corpus.dir, 'batch-resumed');
  const killed = await batch(common(resumed), () => finished(resumed) >= Math.floor(entries.length / 2));
  if (!killed.killed) problems.push('the batch to be killed finished before it could be killed');
  const left = (await Promise.all(USERS.map(liveProcessesOf))).flat();
  if (left.length > 0) problems.push(`processes left after the batch was killed: ${left.slice(0, 3).join('; ')}`);
  const resume = await batch([...common(resumed), '--resume']);
  if (resume.code !== 0) problems.push(`rlgrade batch --resume exited with ${resume.code}: ${resume.stderr.trim().split('\n').pop()}`);
  problems.push(...gradebookProblems(resumed, entries));
  const [a, b] = [whole, resumed].map((d) => fs.readFileSync(path.join(d, 'gradebook.csv'), 'utf8'));
  if (a !== b) {
    const [la, lb] = [a, b].map((t) => t.split('\n'));
    const rows = la.map((l, i) => (l === lb[i] ? '' : `\n         uninterrupted: ${l}\n         resumed:       ${lb[i] ?? '(none)'}`)).filter(Boolean);
    problems.push(`the killed and resumed batch ends with another gradebook than the uninterrupted one:${rows.slice(0, 5).join('')}`);
  }
  const after = (await Promise.all(USERS.map(liveProcessesOf))).flat();
  if (after.length > 0) problems.push(`processes of the sandbox users left: ${after.slice(0, 3).join('; ')}`);
  return problems;
}
