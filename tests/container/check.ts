/**
 * Helper of tests/container/run.sh (run with tsx on the host):
 *   check.ts submission reference|hostile|cql-reference DIR    writes a submission folder
 *   check.ts results reference|hostile|cql-reference RES SECRET_FILE
 *                                                checks what the container wrote; exits 1 with the
 *                                                reasons when a promise is broken
 * The hostile submission is the starter with the reference returns.ts, whose module first tries to
 * read the solutions, the reference cache, the course secret and the metadata, to list the source
 * folder, to plant code in the runner child's compile cache, to forge results.json and to kill the grader. If any of that works, returns.ts refuses
 * to load, so its 11 points are lost and the reason is in its test output. It should score
 * exactly the Q1 points it earned, and nothing secret may appear in the results folder. The
 * cql-reference is the CQL homework's reference, graded by the same image with
 * RLHW_ASSIGNMENT=assignments/cql: every point, its training run included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { validateResults } from '../../grader/results';
import type { GradescopeResults } from '../../grader/results';

const ROOT = path.resolve(__dirname, '../..');
const FORGED_SCORE = 999;

const PROBE = `import * as fsProbe from 'node:fs';
{
  const worked: string[] = [];
  const attempt = (what: string, f: () => unknown): void => {
    try {
      f();
      worked.push(what);
    } catch {
      // refused, as it should be
    }
  };
  for (const p of ['/autograder/source/assignments/offline-rl/solutions/iql.ts', '/autograder/source/assignments/cql/solutions/cql.ts', '/autograder/source/assignments/offline-rl/private/generators.ts', '/autograder/source/course-secret', '/autograder/submission_metadata.json', '/proc/1/environ']) {
    attempt('read ' + p, () => fsProbe.readFileSync(p));
  }
  for (const p of ['/autograder/source', '/autograder/source/assignments/offline-rl/solutions', '/autograder/source/assignments/offline-rl/private', '/autograder/source/cache', '/autograder/results', '/tmp/tsx-0']) {
    attempt('list ' + p, () => fsProbe.readdirSync(p));
  }
  attempt('plant code in the compile cache', () => {
    const root = '/autograder/source/node_modules/.cache/rlhw-child';
    for (const d of fsProbe.readdirSync(root)) fsProbe.writeFileSync(root + '/' + d + '/planted.js', 'module.exports = {};');
  });
  attempt('forge results.json', () => fsProbe.writeFileSync('/autograder/results/results.json', JSON.stringify({ score: ${FORGED_SCORE} })));
  attempt('write into results', () => fsProbe.writeFileSync('/autograder/results/pwned', 'x'));
  attempt('kill the grader', () => process.kill(1, 'SIGKILL'));
  console.log('{"score": ${FORGED_SCORE}, "status": "passed"}');
  if (worked.length > 0) throw new Error('hostile probe succeeded: ' + worked.join('; '));
}
`;

const CQL = path.join(ROOT, 'assignments/cql');

function writeSubmission(kind: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (kind === 'cql-reference') return fs.cpSync(path.join(CQL, 'solutions'), dir, { recursive: true, dereference: true });
  const from = kind === 'reference' ? 'solutions' : 'starter';
  for (const f of fs.readdirSync(path.join(ROOT, from)).filter((f) => f.endsWith('.ts'))) fs.copyFileSync(path.join(ROOT, from, f), path.join(dir, f));
  if (kind === 'hostile') fs.writeFileSync(path.join(dir, 'returns.ts'), PROBE + fs.readFileSync(path.join(ROOT, 'solutions/returns.ts'), 'utf8'));
}

/** Lines of the solutions that the starter does not have (what a leak would show), but returns.ts's (submitted). */
function solutionOnlyLines(): string[] {
  const lines: string[] = [];
  for (const f of fs.readdirSync(path.join(ROOT, 'solutions')).filter((f) => f.endsWith('.ts') && f !== 'returns.ts')) {
    const starter = new Set(fs.readFileSync(path.join(ROOT, 'starter', f), 'utf8').split('\n').map((l) => l.trim()));
    for (const l of fs.readFileSync(path.join(ROOT, 'solutions', f), 'utf8').split('\n').map((l) => l.trim())) {
      if (l.length >= 40 && !starter.has(l) && !l.startsWith('//') && !l.startsWith('*')) lines.push(l);
    }
  }
  return lines;
}

function checkResults(kind: string, res: string, secretFile: string): string[] {
  const problems: string[] = [];
  const file = path.join(res, 'results.json');
  if (!fs.existsSync(file)) return [`${file} is missing`];
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as GradescopeResults;
  problems.push(...validateResults(results).map((p) => `results.json: ${p}`));
  if (results.extra_data?.autograder_error) problems.push(`the grader failed: ${String(results.extra_data.reason)}`);
  const tests = results.tests ?? [];
  if (tests.length === 0) problems.push('results.json has no tests');
  // End-to-end questions (training runs, which list no function) are scored by thresholds, not against the reference.
  const endToEnd = new Set(loadAssignment(kind === 'cql-reference' ? CQL : undefined).questions.filter((q) => q.functions.length === 0 && !q.manual).map((q) => q.id));
  const isTraining = (t: { tags?: string[] }): boolean => (t.tags ?? []).some((tag) => endToEnd.has(tag));
  const isQ1 = (t: { tags?: string[] }): boolean => (t.tags ?? []).some((tag) => tag.startsWith('Q1.'));
  const total = tests.reduce((s, t) => s + (t.score ?? 0), 0);
  if (kind === 'reference') {
    for (const t of tests.filter((t) => !isTraining(t) && t.score !== t.max_score)) problems.push(`reference lost points on ${t.name}: ${t.score} / ${t.max_score}`);
  } else if (kind === 'cql-reference') {
    for (const t of tests.filter((t) => t.score !== t.max_score)) problems.push(`CQL reference lost points on ${t.name}: ${t.score} / ${t.max_score}`);
    if (!tests.some(isTraining)) problems.push('the CQL results hold no training case');
  } else {
    const q1 = tests.filter(isQ1);
    const q1Max = q1.reduce((s, t) => s + t.max_score, 0);
    for (const t of q1.filter((t) => t.score !== t.max_score)) problems.push(`hostile returns.ts lost ${t.name}: ${(t.output ?? '').slice(0, 300)}`);
    if (Math.abs(total - q1Max) > 1e-9) problems.push(`hostile submission scored ${total}, expected exactly its Q1 points ${q1Max}`);
    if (results.score === FORGED_SCORE) problems.push('results.json was forged');
    if (fs.existsSync(path.join(res, 'pwned'))) problems.push('student code wrote into the results folder');
  }
  const secret = fs.readFileSync(secretFile, 'utf8').trim();
  // The reference submission is the solutions: only the hostile one can show a leak of them.
  const leaks = kind === 'hostile' ? solutionOnlyLines() : [];
  for (const name of fs.readdirSync(res, { recursive: true }) as string[]) {
    if (!fs.statSync(path.join(res, name)).isFile()) continue;
    const text = fs.readFileSync(path.join(res, name), 'utf8');
    if (text.includes(secret)) problems.push(`${name} contains the course secret`);
    const leaked = leaks.find((l) => text.includes(l));
    if (leaked) problems.push(`${name} contains a line of the solutions: ${leaked}`);
  }
  process.stdout.write(`container ${kind}: ${total} points over ${tests.length} tests; ${problems.length} problem(s)\n`);
  return problems;
}

function main(argv: string[]): number {
  const [what, kind, dir, secretFile] = argv;
  if (!['reference', 'hostile', 'cql-reference'].includes(kind) || !dir) throw new Error('usage: check.ts submission|results reference|hostile|cql-reference DIR [SECRET_FILE]');
  if (what === 'submission') {
    writeSubmission(kind, dir);
    return 0;
  }
  if (what !== 'results' || !secretFile) throw new Error('usage: check.ts results reference|hostile|cql-reference RES SECRET_FILE');
  const problems = checkResults(kind, dir, secretFile);
  for (const p of problems) process.stderr.write(`  ${p}\n`);
  return problems.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
