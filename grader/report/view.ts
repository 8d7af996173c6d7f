/**
 * The view model the templates see: everything computed (labels, sums, visibility rules) so the
 * templates stay logic-free. `text` prepares student text for the target: identity for HTML
 * (Handlebars escapes `{{x}}`), `mdPlainText` for Markdown (compiled with noEscape).
 */
import { mdCode, points, slug } from './escape';
import type { CaseReport, GradeReport, Visibility } from './model';
import { sanitizeSvg } from './sanitize-svg';

/** A figure: inline SVG markup (HTML) or a file written next to report.md (Markdown). */
export interface FigureView {
  title: string;
  svg: string | undefined;
  file: string | undefined;
  omitted: boolean;
}

export interface CaseView {
  /** The HTML id of its card, unique in the report ("case-Q1.1-a-case-id"). */
  anchor: string;
  name: string;
  passed: boolean;
  status: string;
  score: string;
  maxScore: string;
  visibility: string;
  messages: string[];
  hint: string | undefined;
  details: string | undefined;
  figures: FigureView[];
}

/** A failing case as the list at the top of the report shows it. */
export interface FailureView {
  anchor: string;
  question: string;
  title: string;
  name: string;
  score: string;
  maxScore: string;
  hint: string | undefined;
}

export interface QuestionView {
  id: string;
  anchor: string;
  title: string;
  earned: string;
  points: string;
  passed: boolean;
  status: string;
  /** Failed cases first, then passed cases that carry figures (a learning curve is worth seeing). */
  shown: CaseView[];
  /** Passed cases without figures: folded away in report.html, one line each in report.md. */
  folded: CaseView[];
  /** "3 passed cases" */
  foldedLabel: string;
}

export interface ReportView {
  assignment: string;
  submission: string;
  student: string | undefined;
  gradedAt: string | undefined;
  backend: string;
  total: string;
  maxTotal: string;
  /** Set when the questions are worth more than maxTotal: the rest is extra credit. */
  extraCredit: { points: string; earnedAbove: string | undefined } | undefined;
  failures: FailureView[];
  /** The upload's one-sentence headline when it was unreadable or incomplete: shown first. */
  uploadHeadline: string | undefined;
  intakeProblems: string[];
  notes: string[];
  leaderboard: Array<{ name: string; value: string; order: string }>;
  questions: QuestionView[];
}

/** A figure file for the Markdown report: its name (relative to report.md) and content. */
export interface FigureFile {
  name: string;
  svg: string;
}

const VISIBILITY_LABEL: Record<Visibility, string> = {
  visible: '',
  hidden: 'hidden test',
  after_due_date: 'shown to students after the due date',
  after_published: 'shown to students once grades are published',
};

/**
 * Build the view of a report.
 * @param text prepares any report string for the target format
 * @param target 'html' inlines figures; 'md' lists them in `files` and links them by name
 * @param files receives the figure files (Markdown only)
 */
export function buildView(report: GradeReport, text: (s: string) => string, target: 'html' | 'md', files: FigureFile[] = []): ReportView {
  const anchors = new Set<string>();
  const anchorFor = (prefix: string, id: string) => {
    let anchor = `${prefix}-${slug(id)}`;
    for (let k = 2; anchors.has(anchor); k++) anchor = `${prefix}-${slug(id)}-${k}`;
    anchors.add(anchor);
    return anchor;
  };
  const used = new Set<string>();
  const figureName = (c: CaseReport, i: number) => {
    const stem = `${slug(c.id)}-${i + 1}`;
    let name = `${stem}.svg`;
    for (let k = 2; used.has(name); k++) name = `${stem}-${k}.svg`;
    used.add(name);
    return name;
  };
  const caseView = (c: CaseReport): CaseView => {
    const visible = c.visibility === 'visible';
    const figures = (visible ? (c.figures ?? []) : []).map((f, i): FigureView => {
      const svg = sanitizeSvg(f.svg, target === 'html' ? 'inline' : 'file');
      const title = text(f.title);
      if (svg === undefined) return { title, svg: undefined, file: undefined, omitted: true };
      if (target === 'html') return { title, svg, file: undefined, omitted: false };
      const file = figureName(c, i);
      files.push({ name: file, svg });
      return { title, svg: undefined, file, omitted: false };
    });
    const details = visible && c.details && c.details.length > 0 ? (target === 'md' ? mdCode(c.details) : c.details.join('\n')) : undefined;
    return {
      anchor: anchorFor('case', c.id),
      name: text(c.name),
      passed: c.status === 'passed',
      status: c.status === 'passed' ? 'passed' : 'failed',
      score: points(c.score),
      maxScore: points(c.maxScore),
      visibility: VISIBILITY_LABEL[c.visibility] ?? '',
      messages: c.messages.map(text),
      hint: c.hint ? text(c.hint) : undefined,
      details,
      figures,
    };
  };
  const failures: FailureView[] = [];
  const questions = report.questions.map((q): QuestionView => {
    const passed = q.cases.every((c) => c.status === 'passed');
    const failed = q.cases.filter((c) => c.status === 'failed');
    const anchor = anchorFor('question', q.id);
    const failedViews = failed.map(caseView);
    failed.forEach((c, i) => failures.push({ anchor: failedViews[i].anchor, question: text(q.id), title: text(q.title), name: text(c.name), score: points(c.score), maxScore: points(c.maxScore), hint: c.hint ? text(c.hint) : undefined }));
    const passedViews = q.cases.filter((c) => c.status === 'passed').map(caseView);
    const folded = passedViews.filter((c) => c.figures.length === 0);
    return {
      id: text(q.id),
      anchor,
      title: text(q.title),
      earned: points(q.earned),
      points: points(q.points),
      passed,
      status: passed ? 'all tests passed' : `${failed.length} of ${q.cases.length} ${q.cases.length === 1 ? 'test' : 'tests'} failed`,
      shown: [...failedViews, ...passedViews.filter((c) => c.figures.length > 0)],
      folded,
      foldedLabel: `${folded.length} passed ${folded.length === 1 ? 'case' : 'cases'}`,
    };
  });
  const allPoints = report.questions.reduce((sum, q) => sum + q.points, 0);
  const extra = allPoints - report.maxTotal;
  return {
    assignment: text(report.assignment),
    submission: text(report.submission),
    student: report.student ? text(report.student) : undefined,
    gradedAt: report.gradedAt ? text(report.gradedAt) : undefined,
    backend: text(report.backend),
    total: points(report.total),
    maxTotal: points(report.maxTotal),
    extraCredit: extra > 1e-9 ? { points: points(extra), earnedAbove: report.total > report.maxTotal + 1e-9 ? points(report.total - report.maxTotal) : undefined } : undefined,
    failures,
    uploadHeadline: report.upload ? text(report.upload.headline) : undefined,
    intakeProblems: report.intakeProblems.map(text),
    notes: report.notes.map(text),
    leaderboard: (report.leaderboard ?? []).map((e) => ({
      name: text(e.name),
      value: text(String(e.value)),
      order: e.order === 'asc' ? 'lower is better' : 'higher is better',
    })),
    questions,
  };
}
