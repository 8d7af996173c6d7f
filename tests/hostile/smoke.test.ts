// A few cases of the hostile corpus (fixtures/submissions/hostile) through the real `rlgrade grade`
// in the sandbox, with every check of the corpus runner: bounded time, a valid results.json within
// the manifest's bound, the phrase, no hidden value / grader path / secret in what students see,
// no process or file left behind, the grader's files unchanged. The whole corpus and the batch
// checks run in `npm run hostile` (a separate CI step). One case per kind of promise:
//   loop-in-function  never ends: the case's CPU budget stops it, the others still pass
//   huge-file         files left in /tmp, /var/tmp, /dev/shm are removed after the run
//   env-dump          the error message of the submission shows neither the grader's path nor the secret
//   zip-symlink       an archive entry linking to the reference solution is not used
//   poison-compile-cache  the runner children's compile cache cannot be changed by a child
import { hostileManifest, hostileNames } from '../../scripts/examples/hostile';
import { gradeCase, prepareCorpus, scoreBound, type Corpus } from '../../scripts/hostile/corpus';
import { CACHE_DIR } from '../grader/support';

const SMOKE = ['loop-in-function', 'huge-file', 'env-dump', 'zip-symlink', 'poison-compile-cache'];
let corpus: Corpus;

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('the hostile corpus grades in the sandbox and must run as root (CI does)');
  process.env.RLGRADE_CACHE_DIR = CACHE_DIR;
  corpus = await prepareCorpus(SMOKE);
}, 600_000);

afterAll(async () => {
  await corpus?.close();
});

test('the corpus has at least 30 cases, each with a valid manifest', () => {
  const names = hostileNames();
  expect(names.length).toBeGreaterThanOrEqual(30);
  const threats = new Set(names.map((n) => hostileManifest(n).threat));
  expect([...threats].sort()).toEqual(['archive', 'bug', 'cheat', 'escape', 'never-ends', 'resources', 'unusual']);
});

test('a bound names the questions that must earn nothing', () => {
  const { bound, lost } = scoreBound(hostileManifest('loop-in-function'), corpus.assignments.reduced!.a);
  expect(lost).toEqual(['Q1.1', 'Q1.2']);
  expect(bound).toBeGreaterThan(0);
});

/** A sandbox user of its own: a grading in progress on the machine never makes this test wait. */
const USER = 'rlhw-test-hostile';

test.each(SMOKE)('%s: the grader keeps every promise', async (name) => {
  const r = await gradeCase(corpus, name, { user: USER });
  expect(r.failures).toEqual([]);
  expect(r.score).toBeLessThanOrEqual(r.bound + 1e-6);
}, 240_000);
