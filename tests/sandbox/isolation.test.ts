/**
 * What the child can reach: root-only files, the network, other processes, privileges.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { probeFullIsolation } from '../../grader/sandbox';
import { makeWorkDir, MODES, removeDir, runNode, sandboxUser, writeScript } from './helpers';

let dir: string;
let secretDir: string;
beforeAll(() => {
  dir = makeWorkDir();
  // The caller's duty: secrets are root-only. A 0600 file in a readable folder, and a file in a 0700 folder.
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'solution', { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'public.txt'), 'starter', { mode: 0o644 });
  secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-sbx-secret-')); // mkdtemp makes it 0700
  fs.writeFileSync(path.join(secretDir, 'hidden.json'), '{}', { mode: 0o644 });
});
afterAll(() => {
  removeDir(dir);
  removeDir(secretDir);
});

test('this machine offers full isolation (root with namespaces)', () => {
  expect(probeFullIsolation()).toEqual({ ok: true, reason: '' });
});

describe.each(MODES)('%s isolation', (mode) => {
  test('the child cannot read root-only files, but can read public ones', async () => {
    const files = [path.join(dir, 'secret.txt'), path.join(secretDir, 'hidden.json'), path.join(dir, 'public.txt')];
    const script = writeScript(dir, 'read.js', `
      const fs = require('fs');
      const files = ${JSON.stringify(files)};
      require('./channel.js').send(files.map((f) => { try { return fs.readFileSync(f, 'utf8'); } catch (e) { return e.code; } }));
    `);
    const r = await runNode(dir, script, mode);
    expect(r.messages).toEqual([['EACCES', 'EACCES', 'starter']]);
  });

  test('the child runs unprivileged: sandbox uid, no groups, no capabilities, no_new_privs', async () => {
    const script = writeScript(dir, 'whoami.js', `require('./channel.js').send(require('fs').readFileSync('/proc/self/status', 'utf8'));`);
    const r = await runNode(dir, script, mode);
    const status = String(r.messages[0]);
    const { uid, gid } = sandboxUser();
    expect(status).toMatch(new RegExp(`^Uid:\\s+${uid}\\s+${uid}\\s+${uid}\\s+${uid}$`, 'm'));
    expect(status).toMatch(new RegExp(`^Gid:\\s+${gid}\\s+${gid}\\s+${gid}\\s+${gid}$`, 'm'));
    expect(status).toMatch(/^Groups:\s*$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);
    expect(status).toMatch(/^CapPrm:\s+0+$/m);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
  });

  test('the child cannot signal the grader', async () => {
    const script = writeScript(dir, 'signal.js', `
      const { readInput, send } = require('./channel.js');
      readInput().then((pid) => { try { process.kill(pid, 'SIGKILL'); send('killed'); } catch (e) { send(e.code); } });
    `);
    const r = await runNode(dir, script, mode, { input: process.pid });
    // Full: the grader is not even visible from the PID namespace. Reduced: another user's process.
    expect(r.messages).toEqual([mode === 'full' ? 'ESRCH' : 'EPERM']);
  });

  test('no network: neither 127.0.0.1, nor UDP, nor an abstract unix socket (netns in full mode, seccomp in both)', async () => {
    let accepted = 0;
    const server = net.createServer((socket) => {
      accepted++;
      socket.on('error', () => undefined);
      socket.end('hi');
    });
    const abstract = net.createServer(() => accepted++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => abstract.listen('\0rlhw-test-abstract', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      const script = writeScript(dir, 'net.js', `
        const { send } = require('./channel.js');
        const net = require('net');
        const tryOne = (name, open) => new Promise((resolve) => {
          try {
            const s = open();
            s.setTimeout?.(2000, () => resolve([name, 'timeout']));
            s.on('connect', () => (s.destroy(), resolve([name, 'connected'])));
            s.on('error', (e) => resolve([name, e.code]));
          } catch (e) { resolve([name, e.code]); }
        });
        Promise.all([
          tryOne('tcp', () => net.connect(${port}, '127.0.0.1')),
          tryOne('unix', () => net.connect('\\0rlhw-test-abstract')),
          new Promise((resolve) => { try { const d = require('dgram').createSocket('udp4'); d.on('error', (e) => resolve(['udp', e.code])); d.send('x', ${port}, '127.0.0.1', (e) => resolve(['udp', e ? e.code : 'sent'])); } catch (e) { resolve(['udp', e.code]); } }),
        ]).then((r) => send(Object.fromEntries(r)));
      `);
      const r = await runNode(dir, script, mode);
      expect(r.messages).toEqual([{ tcp: 'EACCES', unix: 'EACCES', udp: 'EACCES' }]);
      expect(accepted).toBe(0);
    } finally {
      server.close();
      abstract.close();
    }
  });

  test(`the child ${mode === 'full' ? 'sees only its own PID namespace' : 'sees host processes (no PID namespace)'}`, async () => {
    const script = writeScript(dir, 'ps.js', `
      const pids = require('fs').readdirSync('/proc').filter((n) => /^\\d+$/.test(n)).map(Number);
      require('./channel.js').send({ pids, self: process.pid });
    `);
    const r = await runNode(dir, script, mode);
    const { pids, self } = r.messages[0] as { pids: number[]; self: number };
    if (mode === 'full') {
      expect(pids.length).toBeLessThanOrEqual(3); // PID 1 (root shell), the child, nothing else
      expect(pids).toContain(1);
      expect(self).toBeLessThanOrEqual(3);
      expect(pids).not.toContain(process.pid);
    } else {
      expect(pids).toContain(process.pid);
    }
  });
});
