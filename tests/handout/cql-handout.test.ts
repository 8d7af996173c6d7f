// The CQL homework's handout, built by the same builder from assignments/cql: leak-check clean, its
// public tests fail "not implemented" as shipped and all pass with the CQL reference, and
// `npm run train` there trains CQL (the handout holds cql.ts only).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkArchive } from '../../authoring/handout/leak-check';
import { ROOT } from '../grader/support';
import { testsOf, UnpackedHandout } from './support';

const CQL = path.join(ROOT, 'assignments/cql');
let h: UnpackedHandout;

beforeAll(async () => {
  h = await UnpackedHandout.build(CQL);
}, 600_000);

afterAll(() => h?.remove());

test('the archive is cql-handout.tar.gz, passes the leak check, and holds cql.ts as the homework, never the solutions or the other homework', async () => {
  expect(path.basename(h.handout.archive)).toBe('cql-handout.tar.gz');
  expect(await checkArchive(h.handout.archive, h.handout.rules)).toEqual([]);
  expect(fs.readdirSync(path.join(h.dir, 'homework'))).toEqual(['cql.ts']);
  expect(h.handout.files.filter((f) => /solutions|offline-rl|buggy|private/.test(f))).toEqual([]);
  expect(h.handout.files).toContain('assignments/cql/training.yaml');
  expect(fs.readFileSync(path.join(h.dir, 'README.md'), 'utf8')).toMatch(/^#### Q1\.3 CQL regulariser — 6 points$/m);
});

test('as shipped every public test fails "not implemented"; with the reference every one passes', () => {
  const shipped = testsOf(h.jest());
  expect(shipped.length).toBeGreaterThanOrEqual(12);
  expect(shipped.filter((t) => t.status !== 'failed' || !/not implemented/.test(t.failureMessages.join('\n'))).map((t) => t.title)).toEqual([]);
  h.useSubmission(path.join(CQL, 'solutions'), CQL);
  const solved = testsOf(h.jest());
  expect(solved.filter((t) => t.status !== 'passed').map((t) => t.title)).toEqual([]);
}, 600_000);

test('npm run train there trains CQL with the homework file', () => {
  h.useSubmission(path.join(CQL, 'solutions'), CQL);
  const r = h.tsx(['provided/train/cli.ts', '--impl', 'homework', '--steps', '20', '--episodes', '2', '--no-progress']);
  expect({ status: r.status, summary: /^cql on stitch, seed 0: success rate /m.test(r.stdout), stderr: r.status === 0 ? '' : r.stderr.slice(-800) }).toEqual({ status: 0, summary: true, stderr: '' });
  expect(fs.existsSync(path.join(h.dir, 'runs/cql-stitch-s0/metrics.json'))).toBe(true);
}, 300_000);
