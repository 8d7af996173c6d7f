/**
 * The unprivileged sandbox user.
 *
 * Threat addressed: student code reading solutions, hidden fixtures or the results file, or
 * tampering with the grader. Running it as a separate user with no groups means plain file
 * permissions decide what it can touch: the caller makes secrets root-only (0700 folders, 0600
 * files) and the kernel refuses the child. The user must be dedicated to the sandbox, because
 * every process it owns is killed after each run.
 */
import { execFileSync } from 'child_process';

export interface SandboxUser {
  name: string;
  uid: number;
  gid: number;
}

const USER_NAME = /^[a-z_][a-z0-9_-]{0,30}$/;

/** Whether this process runs as root (uid 0). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function lookup(name: string): SandboxUser | null {
  let line: string;
  try {
    line = execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null; // getent exits 2 when the user does not exist
  }
  const fields = line.trim().split(':');
  const uid = Number(fields[2]);
  const gid = Number(fields[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`sandbox: cannot parse passwd entry of '${name}'`);
  return { name, uid, gid };
}

/**
 * Returns the sandbox user, creating it (a system user without home folder or login shell) if
 * it does not exist. Creating it needs root. Refuses a user that is root or is this process.
 */
export function ensureSandboxUser(name: string): SandboxUser {
  if (!USER_NAME.test(name)) throw new Error(`sandbox: invalid user name '${name}'`);
  let user = lookup(name);
  if (!user) {
    if (!isRoot()) throw new Error(`sandbox: user '${name}' does not exist and only root can create it`);
    try {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'pipe' });
    } catch (err) {
      // Another grader process may have created it at the same moment; look again below.
      if (!lookup(name)) {
        const detail = (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message;
        throw new Error(`sandbox: cannot create user '${name}': ${detail}`);
      }
    }
    user = lookup(name);
    if (!user) throw new Error(`sandbox: user '${name}' still missing after useradd`);
  }
  if (user.uid === 0 || user.gid === 0) throw new Error(`sandbox: user '${name}' has uid or gid 0; it must be unprivileged`);
  if (typeof process.getuid === 'function' && user.uid === process.getuid()) {
    throw new Error(`sandbox: user '${name}' is the grader's own user; use a dedicated user`);
  }
  return user;
}
