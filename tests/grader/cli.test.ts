// The rlgrade command itself: exit codes and the results.json it always writes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { validateResults } from '../../grader/results';
import { CACHE_DIR, ROOT } from './support';

const BIN = path.join(ROOT, 'grader/bin/rlgrade.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RLGRADE_CACHE_DIR: CACHE_DIR }, timeout: 120_000 });

test('grade exits 0 and writes a valid results.json', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-cli-'));
  const r = run('grade', path.join(ROOT, 'starter'), '--out', out, '--isolation', 'plain');
  expect(r.status).toBe(0);
  const total = loadAssignment().totalPoints;
  expect(r.stdout).toMatch(new RegExp(`^rlgrade: 0 / ${total} points`));
  expect(validateResults(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')))).toEqual([]);
});

test('when the grader cannot run it exits non-zero with one line and still writes results.json', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-cli-'));
  const r = run('grade', path.join(ROOT, 'no-such-submission'), '--out', out, '--isolation', 'plain');
  expect(r.status).toBe(1);
  // One line about the failure (besides the log of clean-ups of earlier graders, which may come first).
  expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('rlgrade: removed the work folder'))).toHaveLength(1);
  const results = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'));
  expect(validateResults(results)).toEqual([]);
  expect(results.score).toBe(0);
});

test('validate checks the kit assignment end to end', () => {
  const r = run('validate');
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('rlgrade validate: OK');
  expect(r.status).toBe(0);
});
