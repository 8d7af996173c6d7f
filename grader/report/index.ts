/** Grading reports: the data model, results.json, report.md and report.html. */
export type { CaseReport, GradeReport, QuestionReport, Visibility } from './model';
export { toResultsJson } from './results-json';
export type { ResultsJsonOptions } from './results-json';
export { renderHtml, renderMarkdown, writeReport, TEMPLATE_DIR } from './render';
export type { MarkdownReport } from './render';
export type { FigureFile } from './view';
export { sanitizeSvg } from './sanitize-svg';
