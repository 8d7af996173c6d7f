/**
 * Shared set-up for the sandbox tests: a temp folder the sandbox user can read, holding the
 * transpiled child-side channel and small child scripts written by each test.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { ensureSandboxUser, isRoot, runSandboxed } from '../../grader/sandbox';
import type { SandboxLimits, SandboxRequest, SandboxResult } from '../../grader/sandbox';
import { liveProcessesOf } from '../../grader/sandbox/procfs';

if (!isRoot()) {
  throw new Error('tests/sandbox must run as root: they exercise the user drop and the namespaces (both isolation modes)');
}

export const MODES = ['full', 'reduced'] as const;
export type Mode = (typeof MODES)[number];
/** Tests use their own sandbox user, so they never wait for (or disturb) a grading in progress. */
export const USER = 'rlhw-test-sandbox';
export const sandboxUser = () => ensureSandboxUser(USER);

/** Transpiles a self-contained TypeScript file of the repository to CommonJS at `dest`. */
export function transpileTo(source: string, dest: string): void {
  const out = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  fs.writeFileSync(dest, out.outputText, { mode: 0o644 });
}

/** A fresh world-readable folder with channel.js in it. */
export function makeWorkDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-sbx-test-'));
  fs.chmodSync(dir, 0o755);
  transpileTo(path.join(__dirname, '../../grader/child/channel.ts'), path.join(dir, 'channel.js'));
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a child script (world-readable) and returns its path. */
export function writeScript(dir: string, name: string, code: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, code, { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  return file;
}

/** Small limits so that every test stays fast. */
export function smallLimits(overrides: Partial<SandboxLimits> = {}): SandboxLimits {
  return { cpuSeconds: 2, wallSeconds: 8, memoryMiB: 256, maxProcesses: 48, maxFileMiB: 1, maxOutputBytes: 64 * 1024, ...overrides };
}

/** Runs `node <script>` in the sandbox. */
export function runNode(
  dir: string,
  script: string,
  mode: Mode,
  extra: Partial<SandboxRequest> & { nodeArgs?: string[] } = {},
): Promise<SandboxResult> {
  const { nodeArgs = [], ...rest } = extra;
  return runSandboxed({
    command: process.execPath,
    args: [...nodeArgs, script],
    cwd: dir,
    env: { PATH: '/usr/bin:/bin' },
    input: null,
    limits: smallLimits(),
    isolation: mode,
    user: USER,
    ...rest,
  });
}

/** Live (non-zombie) processes of the sandbox user right now. */
export function liveSandboxProcesses(): number {
  return liveProcessesOf(sandboxUser().uid).length;
}

/** The mechanisms each mode must report. */
export function expectedMechanisms(mode: Mode): string[] {
  const common = [`uid:${USER}`, 'no-new-privs', 'seccomp-no-sockets', 'prlimit', 'clean-env', 'closed-fds', 'pdeathsig', 'rss-watchdog', 'cpu-watchdog', 'wall-timeout', 'user-sweep'];
  return mode === 'full' ? [...common, 'netns', 'ipcns', 'pidns', 'mountns'] : common;
}
