/**
 * The view model the templates see: everything computed (labels, sums, visibility rules) so the
 * templates stay logic-free. `text` prepares student text for the target: identity for HTML
 * (Handlebars escapes `{{x}}`), `mdText` for Markdown (compiled with noEscape).
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

export interface ReportView {
  assignment: string;
  submission: string;
  gradedAt: string | undefined;
  backend: string;
  total: string;
  maxTotal: string;
  intakeProblems: string[];
  notes: string[];
  leaderboard: Array<{ name: string; value: string; order: string }>;
  questions: Array<{ id: string; title: string; earned: string; points: string; passed: boolean; status: string; cases: CaseView[] }>;
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
  return {
    assignment: text(report.assignment),
    submission: text(report.submission),
    gradedAt: report.gradedAt ? text(report.gradedAt) : undefined,
    backend: text(report.backend),
    total: points(report.total),
    maxTotal: points(report.maxTotal),
    intakeProblems: report.intakeProblems.map(text),
    notes: report.notes.map(text),
    leaderboard: (report.leaderboard ?? []).map((e) => ({
      name: text(e.name),
      value: text(String(e.value)),
      order: e.order === 'asc' ? 'lower is better' : 'higher is better',
    })),
    questions: report.questions.map((q) => {
      const passed = q.cases.every((c) => c.status === 'passed');
      const failed = q.cases.filter((c) => c.status === 'failed').length;
      return {
        id: text(q.id),
        title: text(q.title),
        earned: points(q.earned),
        points: points(q.points),
        passed,
        status: passed ? 'all tests passed' : `${failed} of ${q.cases.length} ${q.cases.length === 1 ? 'test' : 'tests'} failed`,
        cases: q.cases.map(caseView),
      };
    }),
  };
}
