// runCalls with a scripted launcher: the budgets it hands out and the restarts it makes, whatever
// the (untrusted) child claims in its messages.
import type { Budgets, ChildRun, Launcher } from '../../grader/runner/launch';
import type { Budget } from '../../grader/sandbox/types';
import type { RunnerCall, RunnerRequest } from '../../grader/runner/protocol';
import { runCalls, type RunOptions } from '../../grader/runner/run-calls';

const call = (id: string): RunnerCall => ({ id, target: 'iql.expectileLoss', harness: 'function', args: [] });
const CALLS = ['a', 'b', 'c'].map(call);

function options(launcher: Launcher): RunOptions {
  return { launcher, backend: 'cpu', studentDir: '/nowhere', cwd: '/nowhere', timeLimits: { a: 5, b: 5, c: 5 }, startupCpuSeconds: 2, wallFactor: 3, memoryMiB: 512 };
}

test('a child that forges start messages gets each case budget once in the whole grading', async () => {
  const granted: string[] = [];
  let children = 0;
  // Every child announces every case again and again, then dies of its CPU budget "in" case 'c'.
  const forger: Launcher = async (req: RunnerRequest, _cwd, _limits, budgets?: Budgets): Promise<ChildRun> => {
    children += 1;
    const messages: unknown[] = [];
    for (let round = 0; round < 3; round++) {
      for (const c of ['a', 'b', 'c', 'a']) {
        const m = { type: 'start', id: c };
        messages.push(m);
        const b: Budget | undefined = budgets!.onMessage(m);
        if (b) granted.push(`${c}:${b.cpuSeconds}`);
      }
    }
    expect(req.calls.length).toBeGreaterThan(0);
    return { messages, outcome: 'cpu-timeout', stderr: '', mechanisms: [] };
  };
  const done = await runCalls(CALLS, options(forger));
  expect(granted).toEqual(['a:5', 'b:5', 'c:5']);
  // Each child is blamed for the last case it announced and started again without it: bounded.
  expect(children).toBeLessThanOrEqual(CALLS.length);
  expect([...done.values()].map((o) => o.result.ok)).toEqual([false, false, false]);
  expect([...done.values()].every((o) => o.result.error?.kind === 'timeout')).toBe(true);
});

test('an honest child that times out in one case: that case fails, the rest run in a new child with fresh budgets', async () => {
  const granted: string[] = [];
  const launcher: Launcher = async (req, _cwd, _limits, budgets) => {
    const messages: unknown[] = [];
    for (const c of req.calls) {
      const m = { type: 'start', id: c.id };
      messages.push(m);
      const b = budgets!.onMessage(m);
      if (b) granted.push(c.id);
      if (c.id === 'b') return { messages, outcome: 'cpu-timeout', stderr: '', mechanisms: [] };
      messages.push({ type: 'result', result: { id: c.id, ok: true, outputs: {}, leaked: 0 } });
    }
    return { messages, outcome: 'exited', stderr: '', mechanisms: [] };
  };
  const done = await runCalls(CALLS, options(launcher));
  expect(granted).toEqual(['a', 'b', 'c']);
  expect(done.get('a')!.result.ok).toBe(true);
  expect(done.get('b')!.result.error?.kind).toBe('timeout');
  expect(done.get('c')!.result.ok).toBe(true);
});
