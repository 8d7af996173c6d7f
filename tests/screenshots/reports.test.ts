// report.html and summary.html as a browser shows them: a real batch (the reference and a buggy
// submission, students named in a Gradescope-style submission_metadata.yml) writes both, headless
// Chromium (Debian's `chromium`, installed by .ci/run) takes a screenshot of each and dumps its DOM,
// and the test fails on a blank or broken page: a screenshot of one colour, or the page's headings
// and key content missing. The screenshots stay in $TMPDIR/rlgrade-screenshots/ to be looked at.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buggySubmission } from '../../scripts/examples/buggy';
import { assignmentSnapshot, fastFlags, rlgrade, ROOT, tempDir } from '../batch/support';
import { decodePng, inkStats } from './png';

const CHROMIUM = 'chromium';
const available = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).status === 0;
const SHOTS = path.join(os.tmpdir(), 'rlgrade-screenshots');

/** Flags that work here as root, with a fresh profile each time and no network of its own. */
function chromium(url: string, ...args: string[]): string {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-chromium-'));
  try {
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--hide-scrollbars', '--run-all-compositor-stages-before-draw'];
    const r = spawnSync(CHROMIUM, [...flags, ...args, url], { encoding: 'utf8', timeout: 90_000, maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`chromium exited ${r.status}: ${r.stderr.slice(-500)}`);
    return r.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

interface Page {
  png: string;
  /** Text of each h1/h2, in order. */
  headings: string[];
  dom: string;
}

const text = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

/** Screenshot (1200 x 1800) and DOM of a local HTML file as Chromium renders them. */
function look(file: string, name: string): Page {
  fs.mkdirSync(SHOTS, { recursive: true });
  const png = path.join(SHOTS, `${name}.png`);
  fs.rmSync(png, { force: true });
  const url = `file://${file}`;
  chromium(url, '--window-size=1200,1800', `--screenshot=${png}`);
  const dom = chromium(url, '--dump-dom');
  return { png, dom, headings: [...dom.matchAll(/<h[12][^>]*>([\s\S]*?)<\/h[12]>/g)].map((m) => text(m[1])) };
}

/** Why a page looks blank or broken (nothing when it looks like a page with content). */
function pageProblems(page: Page, headings: RegExp[]): string[] {
  const problems: string[] = [];
  if (!fs.existsSync(page.png)) return ['no screenshot was written'];
  const { colours, inked } = inkStats(decodePng(fs.readFileSync(page.png)));
  if (colours < 20) problems.push(`the screenshot has ${colours} colour(s): a blank page`);
  if (inked < 0.02) problems.push(`only ${(inked * 100).toFixed(2)}% of the screenshot differs from the background`);
  for (const h of headings) if (!page.headings.some((x) => h.test(x))) problems.push(`no heading matches ${h} (headings: ${page.headings.join(' | ') || 'none'})`);
  return problems;
}

const METADATA = `submission_1001:
  :submitters:
  - :name: Ada Lovelace
    :sid: '0001'
    :email: ada@example.edu
submission_1003:
  :submitters:
  - :name: Cy Young
    :sid: '0004'
    :email: cy@example.edu
`;

const describeChromium = available || process.env.CI === 'true' ? describe : describe.skip;
if (!available) process.stderr.write(`tests/screenshots: '${CHROMIUM}' is not installed (apt-get install -y chromium)${process.env.CI === 'true' ? '' : ': skipped'}\n`);

describeChromium('report.html and summary.html in headless Chromium', () => {
  let input: string;
  let out: string;
  let assignment: string;

  beforeAll(() => {
    if (!available) throw new Error(`'${CHROMIUM}' is not installed: .ci/run installs it (apt-get install -y chromium)`);
    input = tempDir('screenshots-input');
    fs.cpSync(path.join(ROOT, 'solutions'), path.join(input, 'submission_1001'), { recursive: true, dereference: true });
    fs.cpSync(buggySubmission('expectile-swapped-tau'), path.join(input, 'submission_1003'), { recursive: true });
    fs.writeFileSync(path.join(input, 'submission_metadata.yml'), METADATA);
    out = tempDir('screenshots-out');
    assignment = assignmentSnapshot();
    const r = rlgrade(['batch', input, '--out', out, '--workers', '2', ...fastFlags(assignment)]);
    if (r.status !== 0) throw new Error(`rlgrade batch failed: ${r.stderr.slice(-1000)}`);
  }, 600_000);

  afterAll(() => {
    for (const dir of [input, out, assignment]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the report of a submission with a mistake: its student, its failing cases first and linked', () => {
    const page = look(path.join(out, 'submissions/submission_1003/report.html'), 'report-submission_1003');
    expect(pageProblems(page, [/grading report$/, /^Failing cases \(\d+\)$/, /^Questions$/, /^Q3\.1 Expectile loss/])).toEqual([]);
    expect(page.dom).toContain('<p class="student">Cy Young</p>');
    const firstLink = /<nav class="failures"[\s\S]*?<a href="#([^"]+)">/.exec(page.dom)?.[1];
    expect(firstLink).toBeDefined();
    expect(page.dom).toContain(`id="${firstLink}"`);
    expect(page.dom).toContain('<tr class="failed"><td><a href="#question-Q3.1">');
    expect(page.dom).toMatch(/<details class="passed-question" id="question-Q1\.1">/);
  }, 180_000);

  test('the batch summary: its four sections and charts, one row for the swapped tau', () => {
    const page = look(path.join(out, 'summary.html'), 'summary');
    expect(pageProblems(page, [/batch summary$/, /^Score histogram$/, /^Full points per question$/, /^Most common mistakes$/, /^Slowest submissions$/])).toEqual([]);
    expect(page.dom.match(/<svg/g)?.length).toBe(4);
    const rows = [...page.dom.matchAll(/<tr><td class="num">\d+<\/td><td>([^<]*)<\/td>[\s\S]*?<\/tr>/g)];
    expect(rows.map((m) => m[1])).toEqual(['IQL: swapped tau']);
    expect(rows[0][0]).toContain('Q3.1, Q3.2, Q3.9');
    expect(rows[0][0]).toContain('submission_1003 (Cy Young)');
  }, 180_000);

  test('a blank page, or one without the expected headings, is caught', () => {
    const blank = path.join(SHOTS, 'blank.html');
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.writeFileSync(blank, '<!DOCTYPE html><html><body></body></html>\n');
    const problems = pageProblems(look(blank, 'blank'), [/batch summary$/]);
    expect(problems).toEqual([expect.stringMatching(/colour\(s\): a blank page/), expect.stringMatching(/differs from the background/), expect.stringMatching(/no heading matches/)]);
  }, 180_000);
});
