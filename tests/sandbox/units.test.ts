/**
 * Pure parts of the sandbox: request validation, parsing of /proc and `times`, the /proc sampler
 * and which processes it counts, the bounded readers, the outcome of an exit status, the user helper's refusals.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { BoundedCapture, MessageDecoder } from '../../grader/sandbox/capture';
import { buildLaunch, parseTimes } from '../../grader/sandbox/isolation';
import { parseStat, ProcStat, StatSampler } from '../../grader/sandbox/procfs';
import { outcomeOfStatus, runSandboxed } from '../../grader/sandbox/run';
import { ensureSandboxUser } from '../../grader/sandbox/user';
import { SandboxMembers } from '../../grader/sandbox/watchdog';
import type { SandboxRequest } from '../../grader/sandbox';
import { smallLimits } from './helpers';

const base = (): SandboxRequest => ({ command: process.execPath, args: [], cwd: '/tmp', env: {}, input: null, limits: smallLimits() });

describe('request validation (one-line errors, nothing started)', () => {
  test.each([
    [{ command: '' }, /command must be a non-empty string/],
    [{ command: 'A=B' }, /command must not contain '='/],
    [{ env: { 'A=B': 'x' } }, /env name "A=B"/],
    [{ env: { A: 'x\0y' } }, /env A must be a string without NUL/],
    [{ limits: smallLimits({ cpuSeconds: 0 }) }, /limits\.cpuSeconds must be a positive number/],
    [{ limits: smallLimits({ memoryMiB: Number.NaN }) }, /limits\.memoryMiB must be a positive number/],
    [{ isolation: 'none' as never }, /isolation must be 'auto', 'full' or 'reduced'/],
    [{ cwd: '/no/such/folder' }, /cwd \/no\/such\/folder is not a folder/],
    [{ input: { f: 1n } as never }, /BigInt/],
  ])('%j is refused', async (patch, message) => {
    await expect(runSandboxed({ ...base(), ...patch })).rejects.toThrow(message);
  });
});

test('ensureSandboxUser refuses bad names and privileged users', () => {
  expect(() => ensureSandboxUser('Bad Name')).toThrow("sandbox: invalid user name 'Bad Name'");
  expect(() => ensureSandboxUser('root')).toThrow(/uid or gid 0/);
});

test('parseStat handles command names with spaces and parentheses', () => {
  const fields = ['S', '42', ...Array(9).fill('0'), '150', '50', '7', '3', ...Array(4).fill('0'), '777', '0', '1234', '0'];
  const stat = parseStat(`99 (we ird) (x) ${fields.join(' ')}`);
  expect(stat).toEqual({ pid: 99, ppid: 42, state: 'S', cpuTicks: 200, reapedChildTicks: 10, rssPages: 1234, startTicks: 777 });
  expect(parseStat('garbage')).toBeNull();
});

describe('SandboxMembers (which processes the watchdog counts)', () => {
  const SANDBOX = 5000;
  const proc = (pid: number, ppid: number, startTicks: number, state = 'S'): ProcStat =>
    ({ pid, ppid, state, cpuTicks: 1, reapedChildTicks: 0, rssPages: 1, startTicks });
  const setup = (owners: Record<number, number>) => {
    const reads: number[] = [];
    const members = new SandboxMembers(10, SANDBOX, (pid) => {
      reads.push(pid);
      return owners[pid] ?? null;
    });
    return { reads, members, owners };
  };
  const pids = (ps: ProcStat[]) => ps.map((p) => p.pid).sort((a, b) => a - b);

  test('the tree counts without reading owners; older processes are never read', () => {
    const { reads, members } = setup({ 1: 0, 2: SANDBOX });
    // 1 and 2 started before the root (2 is a leftover of an earlier run); 11 is the root's child.
    const snapshot = [proc(1, 0, 1), proc(2, 1, 50), proc(10, 1, 100), proc(11, 10, 120)];
    expect(pids(members.of(snapshot))).toEqual([10, 11]);
    expect(reads).toEqual([]);
  });

  test('a detached process of the sandbox user counts; its owner is read once', () => {
    const { reads, members } = setup({ 12: SANDBOX, 13: 1001 });
    const snapshot = [proc(1, 0, 1), proc(10, 1, 100), proc(12, 1, 130), proc(13, 1, 140), proc(14, 1, 150, 'Z')];
    expect(pids(members.of(snapshot))).toEqual([10, 12]);
    expect(pids(members.of(snapshot))).toEqual([10, 12]);
    expect(reads.sort()).toEqual([12, 13]); // not again on the second sample; never the zombie
  });

  test("a root-owned process is read every sample, so its drop to the sandbox user is seen", () => {
    const { reads, members, owners } = setup({ 12: 0 });
    const snapshot = [proc(1, 0, 1), proc(10, 1, 100), proc(12, 1, 130)];
    expect(pids(members.of(snapshot))).toEqual([10]);
    owners[12] = SANDBOX;
    expect(pids(members.of(snapshot))).toEqual([10, 12]);
    expect(reads).toEqual([12, 12]);
  });

  test('a reused pid is a new process: its owner is read again', () => {
    const { reads, members, owners } = setup({ 12: 1001 });
    expect(pids(members.of([proc(10, 1, 100), proc(12, 1, 130)]))).toEqual([10]);
    owners[12] = SANDBOX;
    expect(pids(members.of([proc(10, 1, 100), proc(12, 1, 190)]))).toEqual([10, 12]);
    expect(reads).toEqual([12, 12]);
  });

  test('without a sandbox user only the tree counts', () => {
    const members = new SandboxMembers(10, null, () => {
      throw new Error('owner read');
    });
    expect(pids(members.of([proc(10, 1, 100), proc(11, 10, 110), proc(12, 1, 130)]))).toEqual([10, 11]);
  });
});

test('full mode mounts the view with the confine helper when there is one, else with the shell loop', () => {
  const req = { ...base(), view: { read: ['/usr'], write: [] } };
  const user = { name: 'rlhw-test-units', uid: 64999, gid: 64999 };
  const helper = { path: '/usr/local/lib/rlhw/rlhw-confine', landlockAbi: 0 };
  expect(buildLaunch(req, true, user, helper, '/run/view').env).toMatchObject({ RLHW_VIEW_ROOT: '/run/view', RLHW_VIEW: 'ro\t/usr', RLHW_VIEW_HELPER: helper.path });
  expect(buildLaunch(req, true, user, null, '/run/view').env.RLHW_VIEW_HELPER).toBeUndefined();
  process.env.RLHW_VIEW_BY_SHELL = '1';
  try {
    expect(buildLaunch(req, true, user, helper, '/run/view').env.RLHW_VIEW_HELPER).toBeUndefined();
  } finally {
    delete process.env.RLHW_VIEW_BY_SHELL;
  }
  // Reduced mode mounts nothing.
  expect(buildLaunch(req, false, user, helper, '/run/view').env.RLHW_VIEW_ROOT).toBeUndefined();
});

test("parseTimes reads the children's user + system time of bash and dash", () => {
  expect(parseTimes('0m0.002s 0m0.000s\n0m1.500s 0m0.250s\n')).toBeCloseTo(1.75);
  expect(parseTimes('0m0.000000s 0m0.000000s\n1m2.000000s 0m0.500000s\n')).toBeCloseTo(62.5);
  expect(parseTimes('')).toBeNull();
});

test('BoundedCapture keeps the first bytes and notes truncation', () => {
  const c = new BoundedCapture(5);
  c.push(Buffer.from('abc'));
  expect(c.truncated).toBe(false);
  c.push(Buffer.from('defgh'));
  c.push(Buffer.from('ijk'));
  expect(c.text()).toBe('abcde');
  expect(c.truncated).toBe(true);
  expect(c.total).toBe(11);
});

describe('MessageDecoder', () => {
  test('splits lines across chunks, drops malformed and unterminated ones', () => {
    const d = new MessageDecoder(1000, () => undefined);
    d.push(Buffer.from('{"a":'));
    d.push(Buffer.from('1}\nnot json\n\n[1,2]\n{"half"'));
    d.end();
    expect(d.messages).toEqual([{ a: 1 }, [1, 2]]);
    expect(d.dropped).toBe(2);
  });

  test('deeply nested JSON is dropped, not a crash', () => {
    const d = new MessageDecoder(10_000_000, () => undefined);
    d.push(Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000) + '\n'));
    expect(d.messages.length + d.dropped).toBe(1);
  });

  test('past the byte limit it stops storing and reports once', () => {
    let overflows = 0;
    const d = new MessageDecoder(10, () => overflows++);
    d.push(Buffer.from('{"a":1}\n'));
    d.push(Buffer.from('{"b":2}\n'));
    d.push(Buffer.from('{"c":3}\n'));
    expect(d.messages).toEqual([{ a: 1 }]);
    expect(d.overflow).toBe(true);
    expect(overflows).toBe(1);
  });
});

describe('outcome of a run the parent did not stop', () => {
  test.each([
    [null, false, 0.1, 'exited'],
    ['SIGXCPU', false, 1, 'cpu-timeout'], // RLIMIT_CPU soft limit
    ['SIGKILL', false, 3.1, 'cpu-timeout'], // RLIMIT_CPU hard limit (SIGXCPU was ignored)
    ['SIGKILL', false, 0.5, 'crashed'], // e.g. the kernel's OOM killer
    ['SIGSEGV', false, 0.5, 'crashed'],
    ['SIGKILL', true, 3.1, 'crashed'], // the wrapper itself was killed by someone else
  ] as const)('signal %s (wrapper killed: %s, cpu %s s) -> %s', (signal, wrapperKilled, cpu, outcome) => {
    expect(outcomeOfStatus(signal, wrapperKilled, cpu, 3)).toBe(outcome);
  });
});

describe('StatSampler (the watchdog keeps stat files open between samples)', () => {
  const openFds = () => fs.readdirSync('/proc/self/fd').length;
  const reaped = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

  test('sees a new process, forgets it once reaped, and closes its files', async () => {
    const before = openFds();
    const sampler = new StatSampler();
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const seen = sampler.sample().find((p) => p.pid === child.pid);
    expect(seen).toMatchObject({ ppid: process.pid, state: expect.stringMatching(/[RSD]/) });
    expect(openFds()).toBeGreaterThan(before);
    child.kill('SIGKILL');
    await reaped(child);
    expect(sampler.sample().some((p) => p.pid === child.pid)).toBe(false);
    sampler.close();
    expect(openFds()).toBe(before);
    expect(sampler.sample().some((p) => p.pid === process.pid)).toBe(true); // after close: nothing kept
    expect(openFds()).toBe(before);
  });

  test('a stat file kept open never reads another process: after the reap it fails', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const fd = fs.openSync(`/proc/${child.pid}/stat`, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      expect(parseStat(buffer.toString('latin1', 0, fs.readSync(fd, buffer, 0, 4096, 0)))?.pid).toBe(child.pid);
      child.kill('SIGKILL');
      await reaped(child);
      expect(() => fs.readSync(fd, buffer, 0, 4096, 0)).toThrow(/ESRCH/);
    } finally {
      fs.closeSync(fd);
    }
  });
});
