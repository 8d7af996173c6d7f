/**
 * Ending everything the child started.
 *
 * Threat addressed: processes that outlive grading (a background miner, a fork bomb, a process
 * that waits for the grader to write results and then overwrites them). With a PID namespace,
 * killing its PID 1 ends every process inside. Without one, a child can double-fork away from
 * its tree, so after every run the dedicated user is swept: `kill -9 -1` run AS that user asks
 * the kernel to signal every process the user owns in one pass, which a fork bomb cannot outrun
 * (the kernel walks the task list under the same lock fork needs).
 */
import { spawnSync } from 'child_process';
import { descendantsOf, listProcesses, liveProcessesOf } from './procfs';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone, or not ours to kill
  }
}

/**
 * SIGKILLs `rootPid` and its descendants (and, for a child started as a process-group leader,
 * its group), repeating while new ones appear. Returns how many live processes remain.
 */
export async function killTree(rootPid: number, processGroup: boolean): Promise<number> {
  let remaining = 0;
  for (let round = 0; round < 20; round++) {
    if (processGroup) killQuietly(-rootPid);
    const live = descendantsOf(listProcesses(), rootPid).filter((p) => p.state !== 'Z');
    remaining = live.length;
    if (remaining === 0) return 0;
    for (const p of live) killQuietly(p.pid);
    await sleep(round < 5 ? 10 : 50);
  }
  return remaining;
}

/**
 * Kills every process of the sandbox user and waits (up to ~3 s) until none is alive. Then waits
 * up to `zombieWaitMs` until at most `zombiesAllowed` dead ones are left unreaped: zombies still
 * count towards the user's RLIMIT_NPROC, so a fork bomb's leftovers could stop the next run from
 * starting. Orphans are reaped by PID 1 (or the namespace's root shell), not by us. Returns how
 * many live processes remain.
 */
export async function sweepUser(uid: number, gid: number, zombieWaitMs = 0, zombiesAllowed = 0): Promise<number> {
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid) || gid <= 0) {
    throw new Error(`sandbox: refusing to sweep uid ${uid} / gid ${gid}`);
  }
  let remaining = liveProcessesOf(uid).length;
  for (let round = 0; remaining > 0 && round < 30; round++) {
    // `kill -1` signals everything the caller may signal, so it MUST run as the sandbox user;
    // setpriv exits before exec if it cannot drop to it.
    spawnSync(
      '/usr/bin/setpriv',
      ['--reuid', String(uid), '--regid', String(gid), '--clear-groups', '--', '/bin/kill', '-9', '-1'],
      { stdio: 'ignore', env: {} },
    );
    const live = liveProcessesOf(uid);
    for (const p of live) killQuietly(p.pid); // a root parent may also kill them one by one
    await sleep(round < 5 ? 10 : 100);
    remaining = liveProcessesOf(uid).length;
  }
  const deadline = Date.now() + zombieWaitMs;
  const zombies = () => listProcesses().filter((p) => p.uid === uid).length;
  while (remaining === 0 && Date.now() < deadline && zombies() > zombiesAllowed) await sleep(50);
  return remaining;
}
