// What a student reads first in report.html and report.md: the failing cases, listed at the top and
// linked to their cards; failing question rows coloured; passed cases folded away; the student's
// name in the header; a total above the maximum explained as extra credit; report.md as plain text.
import { renderHtml, renderMarkdown, type GradeReport } from '../../grader/report';
import { sampleReport } from './sample';

/** The sample report, plus a question of two plain passed cases and one of extra credit. */
function classReport(): GradeReport {
  const r = sampleReport();
  r.student = 'Ada Lovelace, Grace Hopper';
  r.questions[1].cases.push({ id: 'q4-shape', question: 'Q4', name: 'returns [B]', visibility: 'visible', score: 0, maxScore: 0, status: 'passed', messages: ['The shape is right.'] });
  r.questions.push(
    {
      id: 'Q1.1',
      title: 'Discounted return-to-go',
      points: 2,
      earned: 2,
      cases: [
        { id: 'q1.1-a', question: 'Q1.1', name: 'one episode', visibility: 'visible', score: 1, maxScore: 1, status: 'passed', messages: [] },
        { id: 'q1.1-b', question: 'Q1.1', name: 'a timeout', visibility: 'hidden', score: 1, maxScore: 1, status: 'passed', messages: [] },
      ],
    },
    {
      id: 'Q6.1',
      title: 'SARSA target (extra credit)',
      points: 1,
      earned: 1,
      cases: [{ id: 'q6.1', question: 'Q6.1', name: 'target', visibility: 'visible', score: 1, maxScore: 1, status: 'passed', messages: [] }],
    },
  );
  r.maxTotal = 10; // 8 + 2 of the sample's and Q1.1's questions; Q6.1's point comes on top
  r.total = 11;
  return r;
}

test('report.html: the failing cases come first, each linked to its card', () => {
  const html = renderHtml(classReport());
  const list = html.indexOf('<nav class="failures"');
  expect(list).toBeGreaterThan(0);
  expect(list).toBeLessThan(html.indexOf('<h2>Questions</h2>'));
  expect(html).toContain('<h2>Failing cases (2)</h2>');
  for (const id of ['case-q3.1-hidden', 'case-q4-clip']) {
    expect(html).toContain(`<a href="#${id}">`);
    expect(html).toMatch(new RegExp(`<div class="case failed" id="${id}">`));
  }
  expect(html).toContain('<a href="#case-q3.1-hidden">Q3.1 expectileLoss: hidden edge cases</a> (0 / 1). Hint: Check tau &#x3D; 0.5 HIDDENHINT.'); // Handlebars escapes =
  // Within a question the failed cards come before the passed ones.
  expect(html.indexOf('id="case-q3.1-hidden"')).toBeLessThan(html.indexOf('id="case-q3.1-shape"'));
});

test('report.html: failing question rows are coloured, passed ones are not', () => {
  const html = renderHtml(classReport());
  expect(html).toMatch(/tr\.failed td \{ background: #ffebe9; \}/);
  expect(html).toContain('<tr class="failed"><td><a href="#question-Q3.1">Q3.1 expectileLoss</a></td>');
  expect(html).toContain('<tr class="failed"><td><a href="#question-Q4">Q4 AWR weights</a></td>');
  expect(html).toContain('<tr class="passed"><td><a href="#question-Q1.1">Q1.1 Discounted return-to-go</a></td>');
  expect(html).toContain('<section id="question-Q4">');
});

test('report.html: passed cases without figures are folded; passed cases with a figure stay open', () => {
  const html = renderHtml(classReport());
  // A question where every case passed is one folded line.
  const q11 = html.slice(html.indexOf('<details class="passed-question" id="question-Q1.1">'), html.indexOf('id="question-Q6.1"'));
  expect(q11).toContain('<summary><strong>Q1.1 Discounted return-to-go</strong> (2 / 2 points): 2 passed cases</summary>');
  expect(q11).not.toContain('<div class="case');
  expect(q11).toContain('<li id="case-q1.1-b"><span class="badge passed">passed</span> a timeout: 1 / 1 <span class="vis">(hidden test)</span></li>');
  // Beside a failed case, the passed ones are folded under it.
  const q4 = html.slice(html.indexOf('<section id="question-Q4">'));
  expect(q4.indexOf('<div class="case failed" id="case-q4-clip">')).toBeLessThan(q4.indexOf('<details class="passed-cases">\n<summary>1 passed case</summary>'));
  expect(q4).toContain('<li id="case-q4-shape"><span class="badge passed">passed</span> returns [B]: 0 / 0 The shape is right.</li>');
  // The sample's passed case with a chart is a card, outside any <details>.
  const q31 = html.slice(html.indexOf('<section id="question-Q3.1">'), html.indexOf('<section id="question-Q4">'));
  expect(q31.length).toBeGreaterThan(0);
  expect(q31).toContain('<div class="case passed" id="case-q3.1-values">');
  expect(q31).not.toContain('<details');
  // A report where everything passed says so instead of listing failures.
  const perfect = classReport();
  perfect.questions = perfect.questions.slice(2);
  expect(renderHtml(perfect)).toContain('<p class="all-passed">Every case passed.</p>');
});

test('report.html and report.md name the student from the metadata, and the submission', () => {
  const html = renderHtml(classReport());
  expect(html).toContain('<p class="student">Ada Lovelace, Grace Hopper</p>');
  expect(html).toContain('<title>Ada Lovelace, Grace Hopper: Offline RL: grading report</title>');
  expect(html).toContain('Submission sub-42, graded');
  expect(renderMarkdown(classReport()).markdown).toContain('Ada Lovelace, Grace Hopper, submission sub-42, graded');
  // Without metadata: the submission alone, as before.
  expect(renderHtml(sampleReport())).not.toContain('class="student"');
});

test('a total above the maximum is explained as extra credit', () => {
  const html = renderHtml(classReport());
  expect(html).toContain('<p class="total">Total: 11 / 10</p>');
  expect(html).toContain('The assignment is worth 10 points. Extra-credit questions (marked so below) add up to 1 more, which count on top: 1 of your points are above 10, from extra credit.');
  expect(renderMarkdown(classReport()).markdown).toContain('Extra-credit questions (marked so below) add up to 1 more');
  // No extra credit in the assignment: no sentence about it.
  expect(renderHtml(sampleReport())).not.toContain('Extra-credit');
});

test('report.md is plain text: no HTML entities, student text escaped only where Markdown would read it', () => {
  const r = classReport();
  r.questions[1].cases[0].messages = ['|got - expected| > atol + rtol * |expected| for 3 of 8 values; w_max & A <= 0'];
  r.intakeProblems = ['<script>alert(1)</script> was skipped'];
  const { markdown } = renderMarkdown(r);
  expect(markdown).not.toMatch(/&(gt|lt|amp|quot|#\d+);/);
  expect(markdown).toContain('- \\|got - expected\\| > atol + rtol \\* \\|expected\\| for 3 of 8 values; w_max & A <= 0');
  expect(markdown).toContain('- \\<script>alert(1)\\</script> was skipped');
  expect(markdown).toContain('## Failing cases\n\n- Q3.1 expectileLoss: hidden edge cases (0 / 1). Hint: Check tau = 0.5 HIDDENHINT.\n- Q4 AWR weights: clips at 100 (2 / 4)');
  expect(markdown).toContain('2 passed cases:\n\n- ✔ one episode: 1 / 1\n- ✔ a timeout: 1 / 1 (hidden test)');
});
