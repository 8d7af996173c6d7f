// The grader itself in both sandbox modes (as root): 'full' (own user, namespaces) and 'reduced'
// (own user, limits and watchdog only, as in a container with SETUID/SETGID/KILL). One submission
// checks three promises at once:
// - a function that loops forever on one case costs that case only (per-case CPU budget);
// - student code cannot read the solutions or the reference cache (returns.ts refuses to load,
//   failing its questions, if it can);
// - every other case still passes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { gradeSubmission, type Graded } from '../../grader/cli/grade';
import { DEV_SECRET } from '../../grader/cases/seed';
import { CACHE_DIR, ROOT } from './support';

const SOLUTIONS = path.join(ROOT, 'solutions');
/** A sandbox user of this test's own, so that other gradings on the machine do not interfere. */
const USER = 'rlhw-iso-test';

function hostileCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-iso-sub-'));
  for (const f of fs.readdirSync(SOLUTIONS)) fs.copyFileSync(path.join(SOLUTIONS, f), path.join(dir, f));
  const iql = path.join(dir, 'iql.ts');
  const text = fs.readFileSync(iql, 'utf8');
  const marker = 'export function minTargetQ(q1: tf.Tensor1D, q2: tf.Tensor1D): tf.Tensor1D {';
  expect(text).toContain(marker);
  // Only the hidden min-q case has 24 elements.
  fs.writeFileSync(iql, text.replace(marker, `${marker}\n  if (q1.size === 24) for (;;) {}`));
  const returns = path.join(dir, 'returns.ts');
  const probe = `import * as fsProbe from 'node:fs';
for (const p of ${JSON.stringify([path.join(SOLUTIONS, 'iql.ts'), CACHE_DIR])}) {
  let read = false;
  try { fsProbe.readdirSync(p); read = true; } catch { /* expected */ }
  try { fsProbe.readFileSync(p); read = true; } catch { /* expected */ }
  if (read) throw new Error('could read ' + p);
}
`;
  fs.writeFileSync(returns, probe + fs.readFileSync(returns, 'utf8'));
  return dir;
}

/** Live processes of the test's sandbox user (zombies are dead: reaping them is PID 1's job). */
function sandboxProcesses(): string {
  let out = '';
  try {
    out = execFileSync('ps', ['-u', USER, '-o', 'pid=,stat=,comm='], { encoding: 'utf8' });
  } catch {
    return ''; // ps exits 1 when the user has no process
  }
  return out.split('\n').filter((l) => l.trim() !== '' && !/^\s*\d+\s+Z/.test(l)).join('\n');
}

const modes = ['full', 'reduced'] as const;
const graded = new Map<string, Graded>();

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('these tests grade in the sandbox and must run as root (CI does)');
  const submission = hostileCopy();
  for (const isolation of modes) {
    graded.set(isolation, await gradeSubmission({ submission, secret: DEV_SECRET, isolation, sandboxUser: USER, cacheDir: CACHE_DIR, skipTraining: true }));
  }
}, 600_000);

describe.each(modes)('isolation %s', (isolation) => {
  test('the looping case times out alone, the others pass, and secrets stay unreadable', () => {
    const g = graded.get(isolation)!;
    const cases = g.report.questions.flatMap((q) => q.cases.map((c) => ({ ...c, question: q.id })));
    const byId = new Map(cases.map((c) => [c.id, c]));
    expect(byId.get('min-q-hidden')).toMatchObject({ status: 'failed', score: 0 });
    expect(byId.get('min-q-hidden')!.messages.join(' ')).toMatch(/time limit/);
    expect(byId.get('min-q-small')).toMatchObject({ status: 'passed' });
    // returns.ts loaded, so the probe could read neither the solutions nor the cache.
    // skipTraining leaves out the whole trainings and FQE runs (they are graded in grade.test.ts).
    const others = cases.filter((c) => c.id !== 'min-q-hidden' && c.id !== 'iql-stitch-train' && !c.id.startsWith('fqe-run'));
    expect(others.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.messages[0]}`)).toEqual([]);
  });

  test('the mechanisms used are reported and no process of the sandbox user is left', () => {
    const g = graded.get(isolation)!;
    expect(g.mechanisms).toContain(`uid:${USER}`);
    if (isolation === 'full') expect(g.mechanisms).toEqual(expect.arrayContaining(['netns', 'pidns']));
    else expect(g.mechanisms).not.toContain('netns');
    expect(sandboxProcesses()).toBe('');
  });
});

test('solutions/ and the reference cache are root-only after a sandboxed grading', () => {
  expect(fs.statSync(SOLUTIONS).mode & 0o077).toBe(0);
  expect(fs.statSync(CACHE_DIR).mode & 0o077).toBe(0);
});
