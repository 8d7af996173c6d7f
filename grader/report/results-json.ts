/**
 * From the report model to Gradescope's results.json: one test per case, a short summary table
 * on top, and the leaderboard passed through. Hidden results stay hidden: details and figures are
 * only ever written for visible cases, and the summary counts only visible tests' points.
 */
import type { GradescopeResults, GradescopeTest, ResultsVisibility } from '../results/types';
import { mdCode, mdText, points } from './escape';
import type { CaseReport, GradeReport, QuestionReport } from './model';

/** Options of `toResultsJson`. */
export interface ResultsJsonOptions {
  /** Seconds the grading took. */
  executionTime: number;
  /** Whether students see the autograder's stdout (Gradescope's default: hidden from students). */
  stdoutVisibility?: ResultsVisibility;
}

/** Fail loudly (a grader bug) rather than write NaN, which JSON turns into null. */
function finite(n: number, what: string): number {
  if (!Number.isFinite(n)) throw new Error(`toResultsJson: ${what} is not a finite number (${n})`);
  return Math.round(n * 1e6) / 1e6;
}

/** The Markdown output of one case: messages, hint, and (visible cases only) details. */
export function caseOutput(c: CaseReport): string {
  const parts = c.messages.map(mdText);
  if (c.hint) parts.push(`**Hint:** ${mdText(c.hint)}`);
  if (c.visibility === 'visible' && c.details && c.details.length > 0) parts.push(mdCode(c.details));
  return parts.join('\n\n');
}

/** One Gradescope test for one case. */
function toTest(q: QuestionReport, c: CaseReport): GradescopeTest {
  const test: GradescopeTest = {
    name: `${q.id} ${q.title}: ${c.name}`,
    number: q.id.replace(/^Q/i, ''),
    score: finite(c.score, `score of ${c.id}`),
    max_score: finite(c.maxScore, `max score of ${c.id}`),
    status: c.status,
    visibility: c.visibility,
    output_format: 'md',
    tags: [q.id],
  };
  const output = caseOutput(c);
  if (output) test.output = output;
  return test;
}

/**
 * The top-level summary: a bad or incomplete upload's headline (always the first line), the
 * problems with the submission, a table of questions, then notes.
 */
function summary(report: GradeReport): string {
  const later = (q: QuestionReport) => q.cases.filter((c) => c.visibility !== 'visible');
  const anyLater = report.questions.some((q) => later(q).length > 0);
  const lines = anyLater
    ? ['| Question | Points (visible tests) | Tests shown later |', '| --- | --- | --- |']
    : ['| Question | Points |', '| --- | --- |'];
  for (const q of report.questions) {
    const name = `${mdText(q.id)} ${mdText(q.title)}`;
    if (!anyLater) {
      lines.push(`| ${name} | ${points(q.earned)} / ${points(q.points)} |`);
      continue;
    }
    const shown = q.cases.filter((c) => c.visibility === 'visible');
    const sum = (cs: CaseReport[], f: (c: CaseReport) => number) => cs.reduce((a, c) => a + f(c), 0);
    const hidden = later(q);
    const hiddenText = hidden.length === 0 ? '' : `${hidden.length} (${points(sum(hidden, (c) => c.maxScore))} pts)`;
    lines.push(`| ${name} | ${points(sum(shown, (c) => c.score))} / ${points(sum(shown, (c) => c.maxScore))} | ${hiddenText} |`);
  }
  const out: string[] = [];
  if (report.upload) out.push(`**${mdText(report.upload.headline)}**`);
  if (report.intakeProblems.length > 0) out.push('**Problems with your submission**\n\n' + report.intakeProblems.map((p) => `- ${mdText(p)}`).join('\n'));
  out.push(lines.join('\n'));
  if (report.notes.length > 0) out.push('**Notes**\n\n' + report.notes.map((n) => `- ${mdText(n)}`).join('\n'));
  return out.join('\n\n');
}

/**
 * Gradescope's results.json for a report. The top-level `score` is only set when it is needed:
 * when there are no tests, or when the report's total differs from the sum of the case scores
 * (a question-level adjustment); otherwise Gradescope sums the tests itself.
 */
export function toResultsJson(report: GradeReport, options: ResultsJsonOptions): GradescopeResults {
  const tests = report.questions.flatMap((q) => q.cases.map((c) => toTest(q, c)));
  const results: GradescopeResults = {
    execution_time: Math.max(0, finite(options.executionTime, 'executionTime')),
    output: summary(report),
    output_format: 'md',
    tests,
  };
  const sum = tests.reduce((a, t) => a + (t.score ?? 0), 0);
  const total = finite(report.total, 'total');
  if (tests.length === 0 || Math.abs(sum - total) > 1e-6) results.score = total;
  if (options.stdoutVisibility) results.stdout_visibility = options.stdoutVisibility;
  if (report.leaderboard && report.leaderboard.length > 0) {
    results.leaderboard = report.leaderboard.map((e) => ({ name: e.name, value: finite(e.value, `leaderboard ${e.name}`), order: e.order }));
  }
  return results;
}
