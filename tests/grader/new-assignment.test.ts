// `rlgrade new NAME` makes an assignment folder that the engine takes as it is: validate (the
// reference earns full marks, the starter none), build, handout (leak check clean) and grade all
// work at once, through the real command line. The folder is removed afterwards.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const NAME = `demo-hw-${process.pid}`;
const DIR = path.join(ROOT, 'assignments', NAME);
const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-new-cache-'));
const rlgrade = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'grader/bin/rlgrade.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, RLGRADE_CACHE_DIR: CACHE }, timeout: 300_000 });

afterAll(() => {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.rmSync(CACHE, { recursive: true, force: true });
});

test('rlgrade new, then validate, build, handout and grade work on the new folder', () => {
  const made = rlgrade('new', NAME);
  expect({ status: made.status, stderr: made.stderr }).toEqual({ status: 0, stderr: '' });
  for (const f of ['assignment.yaml', 'solutions/hw.ts', 'starter/hw.ts', 'public/index.ts', 'private/index.ts', 'handout/README.md.hbs', 'handout/questions.yaml', 'README.md']) expect(fs.existsSync(path.join(DIR, f))).toBe(true);
  expect(fs.readFileSync(path.join(DIR, 'starter/hw.ts'), 'utf8')).toContain("throw new NotImplementedError('scale', 'Q1.1')");

  const validated = rlgrade('validate', '--assignment', DIR);
  expect({ status: validated.status, out: validated.stdout.trim(), err: validated.stderr.trim() }).toEqual({ status: 0, out: 'rlgrade validate: OK', err: '' });
  expect(rlgrade('build', '--assignment', DIR).status).toBe(0);

  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-new-dist-'));
  try {
    const handout = rlgrade('handout', '--assignment', DIR, '--out', dist);
    expect({ status: handout.status, stderr: handout.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fs.existsSync(path.join(dist, `${NAME}-handout.tar.gz`))).toBe(true);

    // A submission with the known mistake loses its points, with the mistake's hint.
    const wrong = path.join(dist, 'wrong');
    fs.mkdirSync(wrong);
    fs.writeFileSync(path.join(wrong, 'hw.ts'), "import * as tf from '@tensorflow/tfjs';\nexport function scale(x: tf.Tensor1D, k: number): tf.Tensor1D {\n  return x.clone();\n}\n");
    const graded = rlgrade('grade', wrong, '--assignment', DIR, '--out', path.join(dist, 'out'), '--isolation', 'plain');
    expect(graded.status).toBe(0);
    const results = JSON.parse(fs.readFileSync(path.join(dist, 'out', 'results.json'), 'utf8')) as { tests: { score: number; output: string }[] };
    expect(results.tests.map((t) => t.score)).toEqual([0, 0]);
    expect(results.tests[0].output).toContain('Multiply every element by k.');
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
}, 600_000);
