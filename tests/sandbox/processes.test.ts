/**
 * Process bombs and leftovers: the number of processes is bounded, and nothing the child started
 * survives the run.
 */
import { liveSandboxProcesses, makeWorkDir, MODES, removeDir, runNode, smallLimits, writeScript } from './helpers';

let dir: string;
beforeAll(() => {
  dir = makeWorkDir();
});
afterAll(() => removeDir(dir));

describe.each(MODES)('%s isolation', (mode) => {
  test('a fork bomb is bounded by maxProcesses and leaves no process behind', async () => {
    const script = writeScript(dir, 'forkbomb.js', `
      const { spawn } = require('child_process');
      // Forks until the kernel refuses; every process it gets sleeps and holds its slot.
      spawn('/bin/sh', ['-c', 'while :; do sleep 100 & done'], { stdio: 'ignore', detached: true }).unref();
      setInterval(() => {}, 1000);
    `);
    const maxProcesses = 48;
    const r = await runNode(dir, script, mode, { limits: smallLimits({ maxProcesses, cpuSeconds: 2, wallSeconds: 2, memoryMiB: 1024 }) });
    expect(['cpu-timeout', 'wall-timeout', 'memory']).toContain(r.outcome);
    expect(r.peakProcesses).toBeGreaterThan(25); // the bomb did run...
    expect(r.peakProcesses).toBeLessThanOrEqual(maxProcesses + 2); // ...within nproc (+ the root wrappers)
    expect(liveSandboxProcesses()).toBe(0);
  });

  test('a detached background process does not outlive a normal exit', async () => {
    const script = writeScript(dir, 'orphan.js', `
      const { spawn } = require('child_process');
      const bg = spawn('/bin/sh', ['-c', 'while :; do sleep 1; done'], { stdio: 'ignore', detached: true });
      bg.unref();
      bg.on('spawn', () => { require('./channel.js').send({ started: bg.pid }); process.exit(0); });
    `);
    const r = await runNode(dir, script, mode);
    expect(r.outcome).toBe('exited');
    expect(r.messages).toEqual([{ started: expect.any(Number) }]);
    expect(liveSandboxProcesses()).toBe(0);
  });

  test('a run after a fork bomb starts normally', async () => {
    const script = writeScript(dir, 'hello.js', `require('./channel.js').send('hello');`);
    const r = await runNode(dir, script, mode, { limits: smallLimits({ maxProcesses: 48 }) });
    expect(r).toMatchObject({ outcome: 'exited', exitCode: 0, messages: ['hello'] });
  });

  test('two concurrent runs on the same user do not kill or bill each other', async () => {
    const slow = writeScript(dir, 'slow.js', `setTimeout(() => require('./channel.js').send('slow'), 700);`);
    const fast = writeScript(dir, 'fast.js', `require('./channel.js').send('fast');`);
    const [a, b] = await Promise.all([runNode(dir, slow, mode), runNode(dir, fast, mode)]);
    expect(a).toMatchObject({ outcome: 'exited', messages: ['slow'] });
    expect(b).toMatchObject({ outcome: 'exited', messages: ['fast'] });
  });
});
