/**
 * Which isolation is available, and the command line that applies it.
 *
 * The child is started as a chain of small programs, each exec'ing the next:
 *
 *   setpriv --pdeathsig KILL            if the grader dies, the sandbox dies with it
 *   [unshare --net --ipc --pid --fork   full mode: no network (not even 127.0.0.1, nor abstract
 *     --kill-child --mount-proc]        unix sockets), no shared SysV IPC, its own PID space and
 *                                       /proc, so it cannot see or signal host processes
 *   bash -c WRAPPER                     root, PID 1 of the namespace; closes inherited descriptors,
 *                                       runs the rest, reports CPU time on fd 5 (see below)
 *   prlimit --cpu --nproc --fsize ...   per-process kernel limits: CPU backstop, fork bombs, huge
 *                                       files, descriptor exhaustion, core dumps
 *   setpriv --reuid --regid             drop to the sandbox user (file permissions then protect
 *     --clear-groups --no-new-privs     the grader's secrets); no setuid program can raise it back
 *   env -i NAME=VALUE... COMMAND ARGS   the environment is exactly the caller's `env`
 *
 * The user is changed below the root shell on purpose: changing credentials clears the parent
 * death signal that `--kill-child` relies on, so a root PID 1 stays in place and killing it ends
 * the whole namespace.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import type { SandboxLimits, SandboxRequest } from './types';
import type { SandboxUser } from './user';

export const TOOLS = {
  setpriv: '/usr/bin/setpriv',
  unshare: '/usr/bin/unshare',
  prlimit: '/usr/bin/prlimit',
  env: '/usr/bin/env',
  bash: '/bin/bash',
} as const;

/** Fd on which the wrapper shell (root, not the child) reports `times` after the child ends. */
export const TIMES_FD = 5;

/**
 * The root wrapper. It closes every descriptor above 5 that the grader inherited without
 * close-on-exec (Node does not close them for its children), hides its own job-control messages,
 * runs the child with fd 5 closed, then writes its children's CPU times to fd 5.
 */
const WRAPPER = [
  'for p in /proc/self/fd/*; do n=${p##*/}; if [ "$n" -gt 5 ]; then eval "exec $n>&-"; fi; done',
  'exec 6>&2 2>/dev/null',
  '"$@" 2>&6 5>&- 6>&-',
  's=$?',
  `times >&${TIMES_FD}`,
  'exit $s',
].join('\n');

const UNSHARE_ARGS = ['--net', '--ipc', '--pid', '--fork', '--kill-child', '--mount-proc'];

let fullProbe: { ok: boolean; reason: string } | undefined;

/** Whether new network, IPC, PID and mount namespaces can be created here (probed once). */
export function probeFullIsolation(): { ok: boolean; reason: string } {
  if (!fullProbe) {
    const r = spawnSync(TOOLS.unshare, [...UNSHARE_ARGS, '--', '/bin/true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000, env: {} });
    const reason = r.error ? r.error.message : (r.stderr?.toString().trim().split('\n')[0] ?? '') || `exit status ${r.status}`;
    fullProbe = r.status === 0 ? { ok: true, reason: '' } : { ok: false, reason };
  }
  return fullProbe;
}

/** Throws a one-line error if a program the sandbox needs is missing. */
export function checkTools(full: boolean): void {
  for (const [name, file] of Object.entries(TOOLS)) {
    if (name === 'unshare' && !full) continue;
    if (!fs.existsSync(file)) throw new Error(`sandbox: ${file} is missing (install util-linux / coreutils / bash)`);
  }
}

export interface Launch {
  file: string;
  args: string[];
  /** Environment of the wrapper chain only; the child gets exactly the request's env. */
  env: Record<string, string>;
  mechanisms: string[];
}

function prlimitArgs(limits: SandboxLimits): string[] {
  // RLIMIT_CPU is a per-process backstop set a little above the limit: the watchdog, which sums
  // the whole tree, normally kills first. The soft limit sends SIGXCPU, the hard one SIGKILL.
  const cpuSoft = Math.ceil(limits.cpuSeconds) + 1;
  const nproc = Math.max(1, Math.floor(limits.maxProcesses));
  const fsize = Math.max(1, Math.ceil(limits.maxFileMiB * 1024 * 1024));
  return [
    `--cpu=${cpuSoft}:${cpuSoft + 1}`,
    `--nproc=${nproc}:${nproc}`,
    `--fsize=${fsize}:${fsize}`,
    '--nofile=1024:1024',
    '--core=0:0',
  ];
}

/** Builds the command chain for one run. `user` is null when the parent is not root. */
export function buildLaunch(req: SandboxRequest, full: boolean, user: SandboxUser | null): Launch {
  const drop = user
    ? ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups', '--no-new-privs']
    : ['--no-new-privs'];
  const envArgs = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
  const inner = [
    TOOLS.prlimit, ...prlimitArgs(req.limits), '--',
    TOOLS.setpriv, ...drop, '--',
    TOOLS.env, '-i', '--', ...envArgs, req.command, ...req.args,
  ];
  const wrapper = [TOOLS.bash, '--norc', '--noprofile', '-c', WRAPPER, 'sandbox', ...inner];
  const args = ['--pdeathsig', 'KILL', '--', ...(full ? [TOOLS.unshare, ...UNSHARE_ARGS, '--'] : []), ...wrapper];

  const mechanisms: string[] = [];
  if (user) mechanisms.push(`uid:${user.name}`);
  mechanisms.push('no-new-privs');
  if (full) mechanisms.push('netns', 'ipcns', 'pidns', 'mountns');
  mechanisms.push('prlimit', 'clean-env', 'closed-fds', 'pdeathsig', 'rss-watchdog', 'cpu-watchdog', 'wall-timeout');
  mechanisms.push(user ? 'user-sweep' : 'tree-kill');
  return { file: TOOLS.setpriv, args, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, mechanisms };
}

/**
 * Parses the `times` output of the wrapper: two lines "XmY.YYs XmY.YYs", the shell's own then its
 * children's user and system time. Returns the children's total in seconds, or null.
 */
export function parseTimes(text: string): number | null {
  const values = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return values.length >= 4 && values.every(Number.isFinite) ? values[2] + values[3] : null;
}
