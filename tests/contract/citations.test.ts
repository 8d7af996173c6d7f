// The math contract lives in docs/contract.md: its sections keep the numbers §0-§9 (§9: CQL), every citation
// of it anywhere in the repository names a section (and step) that exists, the handout ships it
// at the same path, and nothing outside the folders still being rewritten cites ../shared/ALGORITHMS.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTRACT, handoutPathOf, isAllowed } from '../../authoring/handout/layout';
import { brokenCitations, citationsIn, contractSections, type Citation } from './citations';

const ROOT = path.resolve(__dirname, '../..');
const TEXT = /\.(ts|js|md|hbs|yaml|yml|py|sh)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'runs', 'out', 'coverage']);

/** Every text file of the kit (relative paths), without dependencies, build outputs or dot-folders. */
function kitTextFiles(dir = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory() && !e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) out.push(...kitTextFiles(rel));
    else if (e.isFile() && TEXT.test(e.name)) out.push(rel);
  }
  return out;
}

const files = kitTextFiles();
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
const sections = contractSections(read(CONTRACT));
const citations: Citation[] = files.flatMap((f) => citationsIn(f, read(f)));

test('the contract keeps the section numbers §0 to §9, in order', () => {
  expect([...sections.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('every citation of docs/contract.md names a section (and a step) that exists', () => {
  expect(citations.length).toBeGreaterThan(40);
  expect(brokenCitations(citations, sections)).toEqual([]);
});

test('a citation of a missing section or step is caught', () => {
  // Built at run time, so that the scan above does not read these wrong citations in this file.
  const cite = (s: string) => `${CONTRACT} ${s}`;
  const bad = citationsIn('x.ts', `// see ${cite('§10')}, and ${cite('§5 step 7')}, and ${cite('§0, §1')}`);
  expect(bad.map((c) => c.sections)).toEqual([[10], [5], [0, 1]]);
  expect(brokenCitations(bad, sections)).toEqual([`x.ts:1: ${cite('§10')}: there is no §10`, `x.ts:1: ${cite('§5 step 7')}: §5 has no step 7`]);
});

test('the handout ships the contract at the same path, so its citations resolve there too', () => {
  expect(handoutPathOf(CONTRACT)).toBe(CONTRACT);
  expect(isAllowed(CONTRACT, [])).toBe(true);
});

test('the contract states the five precise points: import rule, AWR V, returned losses, ceiling order, timeouts', () => {
  const text = (n: number) => sections.get(n)!.replace(/\s+/g, ' ');
  expect(text(0)).toMatch(/a terminal row is KEPT/);
  expect(text(0)).toMatch(/a timeout can never reach a critic target's mask/);
  expect(text(4)).toMatch(/computed with the V that step 1 has just updated/);
  expect(text(5)).toMatch(/returns each loss as it was \*\*before\*\* its own step/);
  expect(text(2)).toMatch(/first `p \* M`, then divide by 100/);
});

test('§9 fixes the CQL conventions the hidden cases rely on', () => {
  const cql = sections.get(9)!.replace(/\s+/g, ' ');
  expect(cql).toMatch(/An update draws no random number/);
  expect(cql).toMatch(/the log of the sum: no log 2N is subtracted/);
  expect(cql).toMatch(/alpha, a fixed number, on the regularisers only/);
  expect(cql).toMatch(/each loss as it was \*\*before\*\* its own step/);
  expect(cql).toMatch(/Kumar, Zhou, Tucker & Levine/);
});

// Being rewritten by others at the time of the move to docs/contract.md: their citations of
// ALGORITHMS.md are theirs to update (the list in the change's report says which section each needs).
const STILL_CITING = ['grader/runner/', 'grader/sandbox/', 'grader/cases/', 'grader/diagnostics/', 'provided/nets/', 'provided/train/', 'provided/data/'];

test('nothing else cites ALGORITHMS.md (the contract outside the repository)', () => {
  // "../shared/ALGORITHMS.md" names the upstream text (README.md says what it is for now); a bare name is a citation.
  const stale = files.filter((f) => !STILL_CITING.some((d) => f.startsWith(d)) && f !== 'tests/contract/citations.test.ts' && /(?<!shared\/)ALGORITHMS\.md/.test(read(f)));
  expect(stale).toEqual([]);
});
