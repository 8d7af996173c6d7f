// Start-up of the runner child, as the grader starts it: spawn node on grader/child/entry.js,
// register the TypeScript loader, pick the backend (TensorFlow.js ready), load the student modules,
// answer a request with no calls, exit. Wall time from spawn to exit, per run. Sandboxed, as a
// grading does: as the sandbox user, in a work folder, with the grader's view of the file system.
//
//   tsx bench/workers/startup.ts --runs 7 [--sandbox [--user NAME]] [--backend wasm]
//
// Prints one JSON line: { seconds: [...], mechanisms: [...] }.
import * as path from 'node:path';
import { Command } from 'commander';
import { plainLauncher, sandboxLauncher, type ChildRun } from '../../grader/runner/launch';
import type { RunnerRequest } from '../../grader/child/protocol';
import { loadAssignment } from '../../grader/assignment/load';
import { studentModules } from '../../grader/assignment/types';
import { childView } from '../../grader/runner/child-view';
import { KIT_ROOT, prepareWorkDir } from '../../grader/runner/workdir';
import { ensureSandboxUser, isRoot } from '../../grader/sandbox';
import { ensureChildCompileCache } from '../../grader/runner/compile-cache';

async function main(): Promise<void> {
  const o = new Command()
    .option('--runs <n>', 'runs', (v) => Number.parseInt(v, 10), 7)
    .option('--backend <name>', 'backend', 'wasm')
    .option('--sandbox', 'start through the sandbox (as grading does) instead of a plain child')
    .option('--user <name>', 'sandbox user')
    .option('--student <dir>', 'folder of student modules', path.join(KIT_ROOT, 'solutions'))
    .parse()
    .opts<{ runs: number; backend: RunnerRequest['backend']; sandbox?: boolean; user?: string; student: string }>();
  const a = loadAssignment();
  await ensureChildCompileCache(a, o.backend, [a.limits.memoryMiB]); // as a grading does first
  const launcher = o.sandbox ? sandboxLauncher({ user: o.user }) : plainLauncher;
  const student = path.resolve(o.student);
  const user = o.sandbox && isRoot() ? ensureSandboxUser(o.user ?? 'rlhw-student') : undefined;
  const work = o.sandbox ? prepareWorkDir(Object.fromEntries(a.files.map((f) => [f, path.join(student, f)])), a.files, student, user) : undefined;
  const req: RunnerRequest = { backend: o.backend, studentDir: work?.submissionDir ?? student, modules: studentModules(a), calls: [] };
  const talk = work ? { view: childView(a, work.root, work.scratchDir), home: work.scratchDir } : {};
  const limits = { cpuSeconds: 30, wallSeconds: 60, memoryMiB: a.limits.memoryMiB };
  const seconds: number[] = [];
  let last: ChildRun | undefined;
  for (let i = 0; i < o.runs; i++) {
    const t0 = performance.now();
    let done = false;
    last = await launcher(req, work?.root ?? KIT_ROOT, limits, { ...talk, budget: { cpuSeconds: 30, wallSeconds: 60 }, onMessage: (m) => void (done ||= (m as { type?: string }).type === 'done') });
    seconds.push((performance.now() - t0) / 1000);
    if (!done) throw new Error(`the child did not finish: ${last.outcome}: ${last.stderr.split('\n').slice(-3).join(' | ')}`);
  }
  work?.dispose();
  process.stdout.write(JSON.stringify({ seconds, mechanisms: last?.mechanisms ?? [] }) + '\n');
}

main().catch((err: Error) => {
  process.stderr.write(`startup: ${err.message.split('\n')[0]}\n`);
  process.exit(1);
});
