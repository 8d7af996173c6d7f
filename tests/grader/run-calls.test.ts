// runCalls with scripted children: the protocol the parent enforces (grader/runner/conversation.ts),
// the checks on every result (messages.ts), the budgets it hands out and the restarts it makes,
// whatever the (untrusted) child claims in its messages.
import type { ChildRun, Launcher, Talk } from '../../grader/runner/launch';
import type { RunnerCall, RunnerRequest } from '../../grader/child/protocol';
import { referenceEnvelope, type Envelope } from '../../grader/runner/messages';
import { runCalls, type RunOptions } from '../../grader/runner/run-calls';

const call = (id: string, target = `m.f_${id}`): RunnerCall => ({ id, target, harness: { kind: 'function' }, args: [] });
const CALLS = ['a', 'b', 'c'].map((id) => call(id));
const scalar = (x: number) => ({ shape: [], data: [x] });
const ENVELOPE = referenceEnvelope({ result: { shape: [4], data: [0, 0, 0, 0] } });
const envelopes = (calls: RunnerCall[], e: Envelope = ENVELOPE) => new Map(calls.map((c) => [c.id, e]));
const ok = (id: string, result: unknown = { shape: [4], data: [1, 2, 3, 4] }) => ({ type: 'result', result: { id, ok: true, outputs: { result }, leaked: 0 } });

function options(launcher: Launcher, calls = CALLS, extra: Partial<RunOptions> = {}): RunOptions {
  const timeLimits = Object.fromEntries(calls.map((c) => [c.id, 5]));
  return { launcher, backend: 'cpu', studentDir: '/nowhere', cwd: '/nowhere', timeLimits, startupCpuSeconds: 2, wallFactor: 3, memoryMiB: 512, modules: ['iql', 'awr'], envelopes: envelopes(calls), ...extra };
}

/**
 * A scripted child: `script(req)` gives the messages it sends, and how it ends. The messages go
 * through the parent's handler as a real child's do; a 'stop' reply ends the child at once.
 */
function scripted(script: (req: RunnerRequest, child: number) => { messages: unknown[]; outcome?: ChildRun['outcome'] }, log: { children: number; budgets: string[]; requests: RunnerRequest[] }): Launcher {
  return async (req, _cwd, _limits, talk: Talk) => {
    log.requests.push(req);
    const { messages, outcome = 'exited' } = script(req, log.children++);
    for (const m of messages) {
      const reply = talk.onMessage(m);
      if (reply && 'stop' in reply) return { outcome: 'stopped', stderr: '', mechanisms: [] };
      if (reply) log.budgets.push(`${(m as { id: string }).id}:${reply.cpuSeconds}`);
    }
    return { outcome, stderr: '', mechanisms: [] };
  };
}
const newLog = () => ({ children: 0, budgets: [] as string[], requests: [] as RunnerRequest[] });
const honest = (req: RunnerRequest) => ({ messages: [{ type: 'loading', module: 'iql' }, ...req.calls.flatMap((c) => [{ type: 'start', id: c.id }, ok(c.id)]), { type: 'done' }] });

test('an honest child: every result kept, each case budgeted once, the cap on outputs sent along', async () => {
  const log = newLog();
  const done = await runCalls(CALLS, options(scripted(honest, log), CALLS));
  expect([...done.values()].map((o) => o.result.ok)).toEqual([true, true, true]);
  expect(done.get('b')!.result.outputs.result.data).toEqual([1, 2, 3, 4]);
  expect(log.budgets).toEqual(['a:5', 'b:5', 'c:5']);
  expect(log.children).toBe(1);
  expect(log.requests[0].calls.map((c) => c.maxElements)).toEqual([4, 4, 4]);
  expect(log.requests[0].modules).toEqual(['iql', 'awr']);
});

test('a result for a case that never started earns nothing and stops the child', async () => {
  const log = newLog();
  // Forged at import time: a result for 'c' before anything started.
  const done = await runCalls(CALLS, options(scripted((req, k) => (k === 0 ? { messages: [ok('c')] } : honest(req)), log)));
  expect(done.get('a')!.result.ok).toBe(false);
  expect(done.get('a')!.result.error?.message).toMatch(/^the grader stopped the run: your code sent a result while no case was running/);
  // The forged result was not kept; 'c' ran for real in the next child.
  expect(log.requests[1].calls.map((c) => c.id)).toEqual(['b', 'c']);
  expect(done.get('c')!.result.ok).toBe(true);
});

test('a second result, a result for another case, a start out of order: each stops the child, only the running case fails', async () => {
  const forgeries = [
    [{ type: 'start', id: 'a' }, ok('a'), ok('a')],
    [{ type: 'start', id: 'a' }, ok('b')],
    [{ type: 'start', id: 'b' }],
    [{ type: 'start', id: 'a' }, { type: 'start', id: 'a' }],
    [{ type: 'start', id: 'a' }, { type: 'done' }],
  ];
  for (const forged of forgeries) {
    const done = await runCalls(CALLS, options(scripted((req, k) => (k === 0 ? { messages: forged } : honest(req)), newLog())));
    const failed = [...done.values()].filter((o) => !o.result.ok);
    expect({ forged, failed: failed.length }).toEqual({ forged, failed: 1 });
    expect(failed[0].result.error?.message).toMatch(/^the grader stopped the run: your code /);
    expect(done.size).toBe(3);
  }
});

test('a child that forges start messages gets each case budget once in the whole grading', async () => {
  const log = newLog();
  // Every child announces the next case, then dies of its CPU budget in it.
  const done = await runCalls(CALLS, options(scripted((req) => ({ messages: [{ type: 'start', id: req.calls[0].id }], outcome: 'cpu-timeout' }), log)));
  expect(log.budgets).toEqual(['a:5', 'b:5', 'c:5']);
  expect(log.children).toBe(3);
  expect([...done.values()].every((o) => o.result.error?.kind === 'timeout')).toBe(true);
});

test('loading: only the submission\'s modules, each once; a child dying while loading marks only that module', async () => {
  const log = newLog();
  // A new random module name on every start, then exit: the restart loop of issue 15.
  const random = await runCalls(CALLS, options(scripted((_req, k) => ({ messages: [{ type: 'loading', module: `m${k}${Math.random()}` }] }), log)));
  expect(log.children).toBeLessThanOrEqual(CALLS.length + 4);
  expect([...random.values()].every((o) => !o.result.ok)).toBe(true);
  const twice = newLog();
  await runCalls(CALLS, options(scripted((req, k) => (k === 0 ? { messages: [{ type: 'loading', module: 'iql' }, { type: 'loading', module: 'iql' }] } : honest(req)), twice)));
  expect(twice.requests[1].unloadable?.iql).toMatch(/^while it was being loaded, the grader stopped the run: your code announced loading a module/);
  const dying = newLog();
  await runCalls(CALLS, options(scripted((req, k) => (k === 0 ? { messages: [{ type: 'loading', module: 'awr' }], outcome: 'cpu-timeout' } : honest(req)), dying)));
  expect(dying.requests[1].unloadable).toEqual({ awr: expect.stringMatching(/loading it exceeded the time limit/) });
});

test('a child that restarts forever is cut off after modules + calls + 2 children', async () => {
  const log = newLog();
  // Dies before saying anything, every time: each child loses one call.
  const done = await runCalls(CALLS, options(scripted(() => ({ messages: [], outcome: 'crashed' }), log)));
  expect(log.children).toBe(3);
  expect([...done.values()].map((o) => o.result.error?.message)).toEqual(CALLS.map(() => expect.stringMatching(/it stopped between two cases/)));
});

test('results are checked against what the case can return before any use', async () => {
  const bad: [string, unknown][] = [
    ['a shape whose product is not the data length', { shape: [120_000_000, 2], data: [] }],
    ['rank above 8', { shape: Array(2_500_000).fill(1), data: [1] }],
    ['a negative size', { shape: [-4], data: [] }],
    ['more values than the case returns', { shape: [5], data: [1, 2, 3, 4, 5] }],
    ['strings for numbers', { shape: [4], data: ['1', 2, 3, 4] }],
    ['a false too-large marker', { shape: [2], data: [], tooLarge: true }],
  ];
  for (const [what, tensor] of bad) {
    const done = await runCalls([call('a')], options(scripted(() => ({ messages: [{ type: 'start', id: 'a' }, ok('a', tensor)] }), newLog()), [call('a')]));
    expect({ what, message: done.get('a')!.result.error?.message }).toEqual({ what, message: expect.stringMatching(/^the grader stopped the run: your code sent a result the grader cannot accept/) });
  }
  // An honest tensor too large to send travels as its shape: the comparison can still name the shape.
  const large = await runCalls([call('a')], options(scripted(() => ({ messages: [{ type: 'start', id: 'a' }, ok('a', { shape: [64, 64], data: [], tooLarge: true })] }), newLog()), [call('a')]));
  expect(large.get('a')!.result.outputs.result).toEqual({ shape: [64, 64], data: [], tooLarge: true });
});

test('output names, changed networks, counts and strings are bounded', async () => {
  const envelope = referenceEnvelope({ valueLoss: scalar(0), value: { shape: [3], data: [0, 0, 0] } });
  const run = async (result: Record<string, unknown>) => {
    const done = await runCalls([call('a')], {
      ...options(scripted(() => ({ messages: [{ type: 'start', id: 'a' }, { type: 'result', result: { id: 'a', ok: true, leaked: 0, outputs: { valueLoss: scalar(1) }, ...result } }] }), newLog()), [call('a')]),
      envelopes: envelopes([call('a')], envelope),
    });
    return done.get('a')!.result;
  };
  expect((await run({ changed: Array.from({ length: 3000 }, (_, i) => `net${i}`.padEnd(1500, 'x')) })).error?.message).toMatch(/changed networks that are not this case's/);
  expect((await run({ changed: ['value', 'value'] })).changed).toEqual(['value']);
  expect((await run({ outputs: { valueLoss: scalar(1), extra: scalar(2) } })).error?.message).toMatch(/an output 'extra' this case does not return/);
  expect((await run({ leaked: 1e300 })).error?.message).toMatch(/tensor count/);
  const long = await run({ ok: false, error: { kind: 'exception', message: `line one ${'y'.repeat(5000)}\nline two`, where: 'z'.repeat(500) } });
  expect(long.error!.message.length).toBe(300);
  expect(long.error!.where!.length).toBe(100);
  expect(long.outputs).toEqual({});
});

test('a function that ran out of time fails its later cases at once, naming the case', async () => {
  const calls = [call('a', 'iql.slow'), call('b', 'iql.slow'), call('c', 'iql.quick')];
  const log = newLog();
  const done = await runCalls(calls, options(scripted((req) => (req.calls[0].id === 'a' ? { messages: [{ type: 'start', id: 'a' }], outcome: 'cpu-timeout' } : honest(req)), log), calls));
  expect(done.get('a')!.result.error?.kind).toBe('timeout');
  expect(done.get('b')!.result.error?.message).toBe('skipped: slow already ran out of time on case a');
  expect(done.get('c')!.result.ok).toBe(true);
  expect(log.children).toBe(2);
});

test('past the deadline no case starts; what ran is kept', async () => {
  const log = newLog();
  const script = scripted((req, k) => (k === 0 ? { messages: [{ type: 'start', id: 'a' }, ok('a'), { type: 'start', id: 'b' }], outcome: 'crashed' } : honest(req)), log);
  // The first child takes longer than the time left.
  const slow: Launcher = async (...args) => {
    const run = await script(...args);
    await new Promise((resolve) => setTimeout(resolve, 400));
    return run;
  };
  const done = await runCalls(CALLS, options(slow, CALLS, { deadline: performance.now() + 300 }));
  expect(done.get('a')!.result.ok).toBe(true);
  expect(done.get('b')!.result.error?.kind).toBe('crashed');
  expect(done.get('c')!.result.error?.message).toMatch(/^not run: the grading's total time ran out/);
  expect(log.children).toBe(1);
});

test('trusted children (no envelopes) may send diagnostic variants; untrusted ones may not', async () => {
  const withVariants = { type: 'result', result: { id: 'a', ok: true, outputs: { result: scalar(1) }, leaked: 0 }, variants: [{ variant: 'v', hint: 'h', outputs: {} }] };
  const script = () => ({ messages: [{ type: 'start', id: 'a' }, withVariants] });
  const trusted = await runCalls([call('a')], { ...options(scripted(script, newLog()), [call('a')]), envelopes: undefined });
  expect(trusted.get('a')!.variants).toHaveLength(1);
  const untrusted = await runCalls([call('a')], options(scripted(script, newLog()), [call('a')]));
  expect(untrusted.get('a')!.variants).toBeUndefined();
});
