/**
 * Per-message budgets: a caller running several test cases in one child gives each its own CPU
 * and wall budget, started by a message of the child; the whole-run limits remain a backstop.
 */
import { liveSandboxProcesses, makeWorkDir, MODES, removeDir, runNode, smallLimits, writeScript } from './helpers';

let dir: string;
beforeAll(() => {
  dir = makeWorkDir();
});
afterAll(() => removeDir(dir));

const burn = (seconds: number): string => `{ const t = process.cpuUsage(); while ((process.cpuUsage(t).user + process.cpuUsage(t).system) / 1e6 < ${seconds}) {} }`;

describe.each(MODES)('%s isolation', (mode) => {
  test('a budget given on a message replaces the start-up budget: the second case times out on its own budget', async () => {
    // Case a uses 1.2 s of CPU within its 3 s budget; case b loops and has 1 s.
    const script = writeScript(dir, 'cases.js', `const { send } = require('./channel.js');
send({ start: 'a' }); ${burn(1.2)} send({ done: 'a' });
send({ start: 'b' }); for (;;) {}`);
    const seen: unknown[] = [];
    const r = await runNode(dir, script, mode, {
      limits: smallLimits({ cpuSeconds: 30, wallSeconds: 60 }),
      budget: { cpuSeconds: 5, wallSeconds: 20 },
      onMessage: (m) => {
        seen.push(m);
        const start = (m as { start?: string }).start;
        return start ? { cpuSeconds: start === 'a' ? 3 : 1, wallSeconds: 20 } : undefined;
      },
    });
    expect(r.outcome).toBe('cpu-timeout');
    expect(seen).toEqual([{ start: 'a' }, { done: 'a' }, { start: 'b' }]);
    // Killed about 1 s after case b began (1.2 s of case a plus start-up), far below the 30 s limit.
    expect(r.cpuSeconds).toBeGreaterThan(2.1);
    expect(r.cpuSeconds).toBeLessThan(4);
    expect(liveSandboxProcesses()).toBe(0);
  });

  test('a case that sleeps ends as wall-timeout on its own wall budget', async () => {
    const script = writeScript(dir, 'sleepy.js', `const { send } = require('./channel.js');
send({ start: 'a' }); setInterval(() => {}, 1000);`);
    const r = await runNode(dir, script, mode, {
      limits: smallLimits({ cpuSeconds: 30, wallSeconds: 60 }),
      onMessage: () => ({ cpuSeconds: 10, wallSeconds: 1 }),
    });
    expect(r.outcome).toBe('wall-timeout');
    expect(r.wallSeconds).toBeLessThan(30);
  });

  test('a budget never extends the whole-run limit', async () => {
    const script = writeScript(dir, 'greedy.js', `const { send } = require('./channel.js'); send({ start: 'a' }); for (;;) {}`);
    const r = await runNode(dir, script, mode, {
      limits: smallLimits({ cpuSeconds: 1, wallSeconds: 20 }),
      onMessage: () => ({ cpuSeconds: 100, wallSeconds: 100 }),
    });
    expect(r.outcome).toBe('cpu-timeout');
    expect(r.cpuSeconds).toBeLessThan(3);
  });
});
