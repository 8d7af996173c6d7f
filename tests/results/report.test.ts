// From the report model to results.json, report.md and report.html.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderHtml, renderMarkdown, sanitizeSvg, toResultsJson, writeReport } from '../../grader/report';
import { validateResults } from '../../grader/results';
import { FIGURE_SVG, sampleReport } from './sample';

test('toResultsJson: one valid Gradescope test per case, details only for visible cases', () => {
  const results = toResultsJson(sampleReport(), { executionTime: 12.3, stdoutVisibility: 'hidden' });
  expect(validateResults(results)).toEqual([]);
  const tests = results.tests!;
  expect(tests.map((t) => [t.name, t.number, t.visibility, t.tags])).toEqual([
    ['Q3.1 expectileLoss: returns a scalar', '3.1', 'visible', ['Q3.1']],
    ['Q3.1 expectileLoss: matches the reference <b>values</b>', '3.1', 'visible', ['Q3.1']],
    ['Q3.1 expectileLoss: hidden edge cases', '3.1', 'hidden', ['Q3.1']],
    ['Q4 AWR weights: clips at 100', '4', 'after_due_date', ['Q4']],
  ]);
  expect(tests[1]).toMatchObject({ score: 2, max_score: 2, status: 'passed', output_format: 'md' });
  expect(tests[1].output).toContain('**Hint:**');
  expect(tests[1].output).toContain('expected: [0.5, 1.25]');
  expect(tests[1].output).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(tests[1].output).not.toContain('<img');
  expect(tests[2].output).toContain('HIDDENHINT');
  expect(tests[2].output).not.toContain('SECRET');
  expect(results.execution_time).toBe(12.3);
  expect(results.stdout_visibility).toBe('hidden');
  expect(results.score).toBeUndefined(); // the tests add up to the total
  expect(results.leaderboard).toEqual([{ name: 'IQL success', value: 0.95, order: 'desc' }]);
  // The summary never reveals points of tests students cannot see yet.
  expect(results.output).toContain('| Q3.1 expectileLoss | 3 / 3 | 1 (1 pts) |');
  expect(results.output).toContain('| Q4 AWR weights | 0 / 0 | 1 (4 pts) |');
  expect(results.output).toContain("No file named 'awr.ts' was found");
});

test('toResultsJson: a total that differs from the cases, and no cases at all, set the top-level score', () => {
  const adjusted = { ...sampleReport(), total: 4 };
  expect(toResultsJson(adjusted, { executionTime: 1 }).score).toBe(4);
  const empty = { ...sampleReport(), questions: [], total: 0 };
  const results = toResultsJson(empty, { executionTime: 1 });
  expect(results.score).toBe(0);
  expect(validateResults(results)).toEqual([]);
  const broken = sampleReport();
  broken.questions[0].cases[0].score = NaN;
  expect(() => toResultsJson(broken, { executionTime: 1 })).toThrow(/not a finite number/);
});

test('renderHtml: self-contained, student text escaped, figure inlined and sanitized', () => {
  const html = renderHtml(sampleReport());
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).not.toMatch(/http/i);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<link|<img|src=|@import|url\(/i);
  expect(html).not.toMatch(/\son\w+=/i);
  expect(html).toContain('Your output: &lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
  expect(html).toContain('matches the reference &lt;b&gt;values&lt;/b&gt;');
  expect(html).toContain('<svg width="100" height="50">');
  expect(html).toContain('<rect width="10" height="20" fill="steelblue"/>');
  expect(html).toContain('<figcaption>Loss curve</figcaption>');
  expect(html).toContain('Figure omitted: it was not a valid SVG.');
  expect(html).toContain('<style>');
  expect(html).toContain('expected: [0.5, 1.25]');
  // The hidden case shows its messages and hint, never its details or figures.
  expect(html).toContain('HIDDENHINT');
  expect(html).not.toContain('SECRET');
});

test('renderMarkdown: hint shown, hidden details omitted, figures as files linked by name', () => {
  const { markdown, files } = renderMarkdown(sampleReport());
  expect(markdown).toContain('> **Hint:** Weight by \\|tau - 1(u < 0)\\|.');
  expect(markdown).toContain('HIDDENHINT');
  expect(markdown).not.toContain('SECRET');
  expect(markdown).toContain('```text\nexpected: [0.5, 1.25]\ngot:      [0.5, 1.25]\n```');
  expect(markdown).toContain('\\<img src=x onerror=alert(1)> \\| \\*not bold\\*');
  expect(markdown).not.toMatch(/(?<!\\)<img/); // escaped: a Markdown viewer shows it as text
  expect(files).toHaveLength(1);
  expect(files[0].name).toBe('q3.1-values-1.svg');
  expect(markdown).toContain('![Loss curve](q3.1-values-1.svg)');
  expect(files[0].svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="100"/);
  expect(files[0].svg).not.toMatch(/<script|onload|onclick|evil/);
  expect(markdown).toContain('**Total: 5 / 8**');
  expect(markdown).toContain('| Q3.1 expectileLoss | 3 / 4 | 1 of 3 tests failed |');
  expect(markdown).toContain('| Q4 AWR weights | 2 / 4 | 1 of 1 test failed |');
  expect(markdown).toContain('| IQL success | 0.95 | higher is better |');
  expect(markdown).toContain('*Figure "Not an svg" omitted: it was not a valid SVG.*');
});

test('writeReport writes report.md, report.html and the figure files side by side', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-report-'));
  try {
    const written = await writeReport(dir, sampleReport());
    expect(written.map((f) => path.basename(f)).sort()).toEqual(['q3.1-values-1.svg', 'report.html', 'report.md']);
    expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8')).toContain('(q3.1-values-1.svg)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('sanitizeSvg accepts only <svg ...> and strips scripts, handlers and external links', () => {
  expect(sanitizeSvg('<img src=x onerror=alert(1)>', 'inline')).toBeUndefined();
  expect(sanitizeSvg('<?xml version="1.0"?><svg/>', 'inline')).toBeUndefined();
  expect(sanitizeSvg('<svg><scr<script></script>ipt>alert(1)</script></svg>', 'inline')).not.toMatch(/<script/i);
  expect(sanitizeSvg('<svg><foreignObject><div onclick="x()">a</div></foreignObject><circle r="1"/></svg>', 'inline')).toBe('<svg><circle r="1"/></svg>');
  expect(sanitizeSvg('<svg><use href="#a"/><use xlink:href="https://x/y"/></svg>', 'inline')).toBe('<svg><use href="#a"/><use/></svg>');
  const inline = sanitizeSvg(FIGURE_SVG, 'inline')!;
  expect(inline).not.toMatch(/http|script|onload|onclick/);
});
