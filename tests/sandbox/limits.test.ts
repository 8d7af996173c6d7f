/**
 * Resource limits: CPU, wall time, memory (V8 heap and Buffers), file size.
 */
import * as fs from 'fs';
import * as path from 'path';
import { liveSandboxProcesses, makeWorkDir, MODES, removeDir, runNode, smallLimits, writeScript } from './helpers';

let dir: string;
beforeAll(() => {
  dir = makeWorkDir();
});
afterAll(() => removeDir(dir));

describe.each(MODES)('%s isolation', (mode) => {
  test('an infinite loop ends as cpu-timeout just past the CPU limit', async () => {
    const script = writeScript(dir, 'loop.js', 'for (;;) {}');
    const r = await runNode(dir, script, mode, { limits: smallLimits({ cpuSeconds: 2, wallSeconds: 20 }) });
    expect(r.outcome).toBe('cpu-timeout');
    expect(r.signal).toBe('SIGKILL');
    expect(r.cpuSeconds).toBeGreaterThanOrEqual(2);
    expect(r.cpuSeconds).toBeLessThan(2.5);
    expect(r.wallSeconds).toBeLessThan(2 + 3);
    expect(liveSandboxProcesses()).toBe(0);
  });

  test('the kernel limits are applied to the child (prlimit)', async () => {
    const script = writeScript(dir, 'limits.js', `require('./channel.js').send(require('fs').readFileSync('/proc/self/limits', 'utf8'));`);
    const r = await runNode(dir, script, mode, { limits: smallLimits({ cpuSeconds: 2, maxProcesses: 40, maxFileMiB: 3 }) });
    const text = String(r.messages[0]);
    // RLIMIT_CPU is a per-process backstop just above the watchdog's limit.
    expect(text).toMatch(/Max cpu time\s+3\s+4\s+seconds/);
    expect(text).toMatch(/Max processes\s+40\s+40\s/);
    expect(text).toMatch(/Max file size\s+3145728\s+3145728\s/);
    expect(text).toMatch(/Max open files\s+1024\s+1024\s/);
    expect(text).toMatch(/Max core file size\s+0\s+0\s/);
  });

  test('a child killed by SIGXCPU (the RLIMIT_CPU soft limit) counts as cpu-timeout', async () => {
    const script = writeScript(dir, 'xcpu.js', `process.kill(process.pid, 'SIGXCPU'); setInterval(() => {}, 1000);`);
    const r = await runNode(dir, script, mode);
    expect(r).toMatchObject({ outcome: 'cpu-timeout', signal: 'SIGXCPU', exitCode: null });
  });

  test('CPU is summed over the process tree: an idle parent with busy children times out', async () => {
    const script = writeScript(dir, 'busy-children.js', `
      const { spawn } = require('child_process');
      for (let i = 0; i < 2; i++) spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
      setInterval(() => {}, 1000); // the direct child itself uses no CPU
    `);
    const r = await runNode(dir, script, mode, { limits: smallLimits({ cpuSeconds: 1, wallSeconds: 20 }) });
    expect(r.outcome).toBe('cpu-timeout');
    expect(r.peakProcesses).toBeGreaterThanOrEqual(3);
    expect(liveSandboxProcesses()).toBe(0);
  });

  test('sleeping forever (no CPU) ends as wall-timeout', async () => {
    const script = writeScript(dir, 'sleep.js', 'setInterval(() => {}, 1000);');
    const r = await runNode(dir, script, mode, { limits: smallLimits({ cpuSeconds: 2, wallSeconds: 1.5 }) });
    expect(r.outcome).toBe('wall-timeout');
    expect(r.wallSeconds).toBeGreaterThanOrEqual(1.5);
    expect(r.wallSeconds).toBeLessThan(3);
    expect(r.cpuSeconds).toBeLessThan(0.5);
  });

  test('a heap bomb ends as memory', async () => {
    const script = writeScript(dir, 'heap.js', `
      const keep = [];
      for (;;) keep.push(Array.from({ length: 1e5 }, (_, i) => ({ i })));
    `);
    const r = await runNode(dir, script, mode, {
      nodeArgs: ['--max-old-space-size=8192'],
      limits: smallLimits({ memoryMiB: 200, cpuSeconds: 10, wallSeconds: 20 }),
    });
    expect(r.outcome).toBe('memory');
    expect(r.peakRssMiB).toBeGreaterThan(200);
    expect(liveSandboxProcesses()).toBe(0);
  });

  test('a Buffer bomb (outside the V8 heap limit) ends as memory', async () => {
    const script = writeScript(dir, 'buffers.js', `
      const keep = [];
      for (;;) keep.push(Buffer.alloc(16 * 1024 * 1024, 1));
    `);
    const r = await runNode(dir, script, mode, {
      nodeArgs: ['--max-old-space-size=32'],
      limits: smallLimits({ memoryMiB: 200, cpuSeconds: 10, wallSeconds: 20 }),
    });
    expect(r.outcome).toBe('memory');
    expect(r.peakRssMiB).toBeGreaterThan(200);
    expect(r.peakRssMiB).toBeLessThan(200 + 1024);
  });

  test('files are capped at maxFileMiB', async () => {
    const out = path.join(dir, `out-${mode}`);
    fs.mkdirSync(out, { mode: 0o777 });
    fs.chmodSync(out, 0o777);
    const script = writeScript(dir, `fsize-${mode}.js`, `
      const fs = require('fs');
      let code = 'none';
      try { fs.writeFileSync(${JSON.stringify(out)} + '/big.bin', Buffer.alloc(4 * 1024 * 1024, 1)); } catch (e) { code = e.code; }
      require('./channel.js').send({ code });
    `);
    const r = await runNode(dir, script, mode, { limits: smallLimits({ maxFileMiB: 1 }) });
    expect(r.messages).toEqual([{ code: 'EFBIG' }]);
    expect(fs.statSync(path.join(out, 'big.bin')).size).toBe(1024 * 1024);
  });
});
