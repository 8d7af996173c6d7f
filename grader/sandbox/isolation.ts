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
 *                                       (full mode, with a view) mounts the new root: a tmpfs
 *                                       holding only the view's paths, a private /tmp, a /proc
 *                                       that shows the child only its user's processes,
 *                                       /dev/null and friends; runs the rest, reports CPU time on
 *                                       fd 5 (see below)
 *   [rlhw-confine --no-network          seccomp: no socket of any family (confine.c); reduced mode
 *     --read P --write P]               with a view: Landlock, only the view's paths
 *   [chroot ROOT]                       full mode with a view: the new root is all the child sees
 *   prlimit --cpu --nproc --fsize ...   per-process kernel limits: CPU backstop, fork bombs, huge
 *                                       files, descriptor exhaustion, core dumps
 *   setpriv --reuid --regid             drop to the sandbox user (file permissions then protect
 *     --clear-groups --no-new-privs     the grader's secrets); no setuid program can raise it back
 *   env -i [-C CWD] NAME=VALUE...       the environment is exactly the caller's `env`
 *     COMMAND ARGS
 *
 * The user is changed below the root shell on purpose: changing credentials clears the parent
 * death signal that `--kill-child` relies on, so a root PID 1 stays in place and killing it ends
 * the whole namespace.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import type { Confine } from './confine';
import type { FileView, SandboxLimits, SandboxRequest } from './types';
import type { SandboxUser } from './user';

export const TOOLS = {
  setpriv: '/usr/bin/setpriv',
  unshare: '/usr/bin/unshare',
  prlimit: '/usr/bin/prlimit',
  env: '/usr/bin/env',
  bash: '/bin/bash',
  mount: '/usr/bin/mount',
  chroot: '/usr/sbin/chroot',
} as const;

/** Tools only full isolation needs. */
const FULL_ONLY = new Set(['unshare', 'mount', 'chroot']);

/** Fd on which the wrapper shell (root, not the child) reports `times` after the child ends. */
export const TIMES_FD = 5;

/**
 * Full mode with a view: the new root, built in the namespace's own mount table (private, so the
 * host never sees it) on the folder $RLHW_VIEW_ROOT. $RLHW_VIEW holds one line per entry,
 * "ro|rw|dev<TAB>PATH", parents before children (a /proc of the namespace's own replaces the
 * host's, so /proc paths are left out). A failure is
 * reported on fd 5 ("view-failed: ...") and the child never starts.
 */
const VIEW_SETUP = [
  'view_fail() { echo "view-failed: $1" >&' + TIMES_FD + '; exit 125; }',
  'r=$RLHW_VIEW_ROOT',
  'mount -t tmpfs -o mode=0755,size=1m,nosuid,nodev rlhw-root "$r" || view_fail "tmpfs on $r"',
  'mkdir -p "$r/tmp" "$r/proc" "$r/dev" || view_fail mkdir',
  'mount -t tmpfs -o mode=1777,size=64m,nosuid,nodev rlhw-tmp "$r/tmp" || view_fail /tmp',
  'mount -t proc -o nosuid,nodev,noexec,hidepid=2 proc "$r/proc" || view_fail /proc',
  // The confine helper does the same in one program (confine.c, --mount-view). Without it (or
  // with RLHW_VIEW_BY_SHELL set, for the tests of this loop):
  // every mount point first, on the new tmpfs only (one mkdir for all; files made by the shell),
  // then one mount per entry: util-linux binds and applies the options in one call. (Three
  // programs per entry took about 0.4 s of every start; the helper takes a few milliseconds.)
  'if [ -n "${RLHW_VIEW_HELPER:-}" ]; then',
  '  out=$("$RLHW_VIEW_HELPER" --mount-view "$r" 2>&1) || view_fail "${out:-mount-view}"',
  'else',
  'dirs=() files=()',
  'while IFS=$\'\\t\' read -r kind p; do',
  '  [ -n "$kind" ] || continue',
  '  if [ -d "$p" ]; then dirs+=("$r$p"); else dirs+=("$r${p%/*}"); files+=("$r$p"); fi',
  'done <<<"$RLHW_VIEW"',
  '[ ${#dirs[@]} -eq 0 ] || mkdir -p -- "${dirs[@]}" || view_fail mkdir',
  'for f in "${files[@]}"; do : >"$f" || view_fail "$f"; done',
  'while IFS=$\'\\t\' read -r kind p; do',
  '  case $kind in',
  '    ro) mount --bind -o ro,nosuid,nodev "$p" "$r$p" || view_fail "$p" ;;',
  '    rw) mount --bind -o nosuid,nodev "$p" "$r$p" || view_fail "$p" ;;',
  '    dev) mount --bind "$p" "$r$p" || view_fail "$p" ;;',
  '  esac',
  'done <<<"$RLHW_VIEW"',
  'fi',
].join('\n');

/**
 * The root wrapper. It closes every descriptor above 5 that the grader inherited without
 * close-on-exec (Node does not close them for its children), hides its own job-control messages,
 * builds the view (full mode), runs the child with fd 5 closed, then writes its children's CPU
 * times to fd 5.
 */
const WRAPPER = [
  'for p in /proc/self/fd/*; do n=${p##*/}; if [ "$n" -gt 5 ]; then eval "exec $n>&-"; fi; done',
  'exec 6>&2 2>/dev/null',
  `if [ -n "\${RLHW_VIEW_ROOT:-}" ]; then\n${VIEW_SETUP}\nfi`,
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
    if (FULL_ONLY.has(name) && !full) continue;
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

/**
 * The lines of $RLHW_VIEW: every path of the view that exists, parents before children. A path
 * that is a symbolic link on the host (/bin -> usr/bin, a kit whose node_modules is a link) shows
 * what it points to, at its own path.
 */
export function viewLines(view: FileView): string[] {
  const entries = [...view.read.map((p) => ({ p, kind: 'ro' })), ...view.write.map((p) => ({ p, kind: p.startsWith('/dev/') ? 'dev' : 'rw' }))];
  entries.sort((a, b) => a.p.split('/').length - b.p.split('/').length || a.p.localeCompare(b.p));
  return entries.filter(({ p }) => p !== '/proc' && !p.startsWith('/proc/') && fs.existsSync(p)).map(({ p, kind }) => `${kind}\t${p}`);
}

/** The confine helper's arguments: no sockets; in reduced mode with a view, Landlock to the view. */
function confineArgs(confine: Confine, full: boolean, view: FileView | undefined): string[] {
  const files = !full && view && confine.landlockAbi > 0 ? [...view.read.flatMap((p) => ['--read', p]), ...view.write.flatMap((p) => ['--write', p])] : [];
  return [confine.path, '--no-network', ...files, '--'];
}

/**
 * Builds the command chain for one run. `user` is null when the parent is not root; `confine` the
 * helper when there is one; `viewRoot` the (root-only, empty) folder the new root is mounted on in
 * full mode with a view.
 */
export function buildLaunch(req: SandboxRequest, full: boolean, user: SandboxUser | null, confine: Confine | null = null, viewRoot?: string): Launch {
  const drop = user
    ? ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups', '--no-new-privs']
    : ['--no-new-privs'];
  const envArgs = Object.entries(req.env).map(([k, v]) => `${k}=${v}`);
  const mounted = full && req.view !== undefined && viewRoot !== undefined;
  const inner = [
    ...(confine ? confineArgs(confine, full, req.view) : []),
    ...(mounted ? [TOOLS.chroot, viewRoot] : []),
    TOOLS.prlimit, ...prlimitArgs(req.limits), '--',
    TOOLS.setpriv, ...drop, '--',
    TOOLS.env, '-i', ...(mounted ? ['-C', req.cwd] : []), '--', ...envArgs, req.command, ...req.args,
  ];
  const wrapper = [TOOLS.bash, '--norc', '--noprofile', '-c', WRAPPER, 'sandbox', ...inner];
  const args = ['--pdeathsig', 'KILL', '--', ...(full ? [TOOLS.unshare, ...UNSHARE_ARGS, '--'] : []), ...wrapper];
  const env: Record<string, string> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  if (mounted) Object.assign(env, { RLHW_VIEW_ROOT: viewRoot, RLHW_VIEW: viewLines(req.view!).join('\n'), ...(confine && !process.env.RLHW_VIEW_BY_SHELL ? { RLHW_VIEW_HELPER: confine.path } : {}) });

  const mechanisms: string[] = [];
  if (user) mechanisms.push(`uid:${user.name}`);
  mechanisms.push('no-new-privs');
  if (full) mechanisms.push('netns', 'ipcns', 'pidns', 'mountns');
  if (mounted) mechanisms.push('mount-view');
  if (confine) mechanisms.push('seccomp-no-sockets');
  if (confine && !full && req.view && confine.landlockAbi > 0) mechanisms.push(`landlock-view:${confine.landlockAbi}`);
  if (!full && !confine) mechanisms.push('network-open');
  mechanisms.push('prlimit', 'clean-env', 'closed-fds', 'pdeathsig', 'rss-watchdog', 'cpu-watchdog', 'wall-timeout');
  mechanisms.push(user ? 'user-sweep' : 'tree-kill');
  return { file: TOOLS.setpriv, args, env, mechanisms };
}

/**
 * Parses the `times` output of the wrapper: two lines "XmY.YYs XmY.YYs", the shell's own then its
 * children's user and system time. Returns the children's total in seconds, or null.
 */
export function parseTimes(text: string): number | null {
  const values = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return values.length >= 4 && values.every(Number.isFinite) ? values[2] + values[3] : null;
}
