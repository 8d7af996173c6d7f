/**
 * The message channel and output capture: what the parent gets back, and what it must not trust.
 */
import { expectedMechanisms, makeWorkDir, MODES, removeDir, runNode, smallLimits, writeScript } from './helpers';

let dir: string;
beforeAll(() => {
  dir = makeWorkDir();
});
afterAll(() => removeDir(dir));

describe.each(MODES)('%s isolation', (mode) => {
  test('a normal exchange: input in, messages out in order', async () => {
    const script = writeScript(dir, 'echo.js', `
      const { readInput, send } = require('./channel.js');
      readInput().then((input) => {
        send({ sum: input.values.reduce((a, b) => a + b, 0) });
        send({ echo: input, cwd: process.cwd() });
      });
    `);
    const input = { values: [1, 2, 3], nested: { text: 'héllo\nworld' } };
    const r = await runNode(dir, script, mode, { input });
    expect(r.outcome).toBe('exited');
    expect(r.exitCode).toBe(0);
    expect(r.signal).toBeNull();
    expect(r.messages).toEqual([{ sum: 6 }, { echo: input, cwd: dir }]);
    expect(r.droppedMessages).toBe(0);
    expect(r.cpuSeconds).toBeGreaterThan(0);
    expect(r.cpuSeconds).toBeLessThan(2);
    expect([...r.mechanisms].sort()).toEqual(expectedMechanisms(mode).sort());
  });

  test('console output cannot forge a message; malformed channel lines are dropped and counted', async () => {
    const script = writeScript(dir, 'forge.js', `
      const fs = require('fs');
      const { send } = require('./channel.js');
      console.log(JSON.stringify({ sum: 6 }));
      console.error(JSON.stringify({ sum: 6 }));
      fs.writeSync(4, 'this is not json\\n');
      send({ real: true });
      fs.writeSync(4, '{"unterminated": ');
    `);
    const r = await runNode(dir, script, mode);
    expect(r.messages).toEqual([{ real: true }]);
    expect(r.droppedMessages).toBe(2);
    expect(r.stdout).toBe('{"sum":6}\n');
    expect(r.stderr).toBe('{"sum":6}\n');
    expect(r.outcome).toBe('exited');
  });

  test('process.exit(0) before sending anything: no messages, outcome exited', async () => {
    const script = writeScript(dir, 'early.js', `process.exit(0); require('./channel.js').send({ never: true });`);
    const r = await runNode(dir, script, mode);
    expect(r).toMatchObject({ outcome: 'exited', exitCode: 0, signal: null, messages: [] });
  });

  test('exit codes and crashes are reported, not mistaken for success', async () => {
    const exit3 = await runNode(dir, writeScript(dir, 'exit3.js', 'process.exit(3)'), mode);
    expect(exit3).toMatchObject({ outcome: 'exited', exitCode: 3, signal: null });
    const abort = await runNode(dir, writeScript(dir, 'abort.js', 'process.abort()'), mode);
    expect(abort).toMatchObject({ outcome: 'crashed', exitCode: null, signal: 'SIGABRT' });
  });

  test("the child's environment is exactly the one passed (no parent secrets)", async () => {
    process.env.COURSE_SECRET = 'do-not-leak';
    try {
      const script = writeScript(dir, 'env.js', `require('./channel.js').send(process.env);`);
      const env = { PATH: '/usr/bin:/bin', ONLY_THIS: 'yes' };
      const r = await runNode(dir, script, mode, { env });
      expect(r.messages).toEqual([env]);
    } finally {
      delete process.env.COURSE_SECRET;
    }
  });

  test('100 MB on stdout: the first bytes are kept, the rest drained, the parent stays small', async () => {
    const script = writeScript(dir, 'flood.js', `
      const line = 'x'.repeat(1023) + '\\n';
      const chunk = line.repeat(1024); // 1 MiB
      for (let i = 0; i < 100; i++) process.stdout.write(chunk);
      for (let i = 0; i < 5; i++) process.stderr.write(chunk);
      require('./channel.js').send({ done: true });
    `);
    const before = process.memoryUsage().rss;
    const r = await runNode(dir, script, mode, { limits: smallLimits({ maxOutputBytes: 10_000, wallSeconds: 30 }) });
    const grownMiB = (process.memoryUsage().rss - before) / 2 ** 20;
    expect(r.outcome).toBe('exited');
    expect(r.messages).toEqual([{ done: true }]);
    expect(r.stdout.length).toBe(10_000);
    expect(r.stderr.length).toBe(10_000);
    expect(r.truncated).toEqual({ stdout: true, stderr: true });
    expect(grownMiB).toBeLessThan(60);
  });

  test('a child flooding the message channel is cut off (output-limit)', async () => {
    const script = writeScript(dir, 'chanflood.js', `
      const { send } = require('./channel.js');
      const big = 'y'.repeat(100 * 1024);
      for (;;) send({ big });
    `);
    const r = await runNode(dir, script, mode, { limits: smallLimits({ maxChannelBytes: 1024 * 1024, cpuSeconds: 10, wallSeconds: 20 }) });
    expect(r.outcome).toBe('output-limit');
    expect(r.signal).toBe('SIGKILL');
    expect(r.messages.length).toBeGreaterThan(0);
    expect(r.messages.length).toBeLessThanOrEqual(10);
    expect(r.wallSeconds).toBeLessThan(5);
  });
});
