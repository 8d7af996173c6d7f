/**
 * Render a `GradeReport` as report.md and report.html with the Handlebars templates in
 * `templates/`. The HTML is self-contained (inline CSS, inline sanitized SVG, no scripts, no
 * external references); the Markdown links its figures as `.svg` files written beside it.
 */
import * as fs from 'fs';
import Handlebars from 'handlebars';
import * as path from 'path';
import { mdPlainText } from './escape';
import type { GradeReport } from './model';
import { buildView, FigureFile } from './view';

/** Folder of the report templates. */
export const TEMPLATE_DIR = path.join(__dirname, 'templates');

/** An isolated Handlebars environment, so that no global helper or partial leaks in. */
const hb = Handlebars.create();
const cache = new Map<string, HandlebarsTemplateDelegate>();

function template(name: 'report.md.hbs' | 'report.html.hbs'): HandlebarsTemplateDelegate {
  let t = cache.get(name);
  if (!t) {
    const source = fs.readFileSync(path.join(TEMPLATE_DIR, name), 'utf8');
    // Markdown: every string is escaped by mdPlainText in the view; HTML: Handlebars escapes {{x}}.
    t = hb.compile(source, { noEscape: name.endsWith('.md.hbs'), strict: true, knownHelpersOnly: true });
    cache.set(name, t);
  }
  return t;
}

/** Options shared by both templates' runtime: no prototype access, ever. */
const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false };

/** The Markdown report and the figure files it links to (write them next to it). */
export interface MarkdownReport {
  markdown: string;
  files: FigureFile[];
}

/** Render report.md; figures of visible cases come back as files to write beside it. */
export function renderMarkdown(report: GradeReport): MarkdownReport {
  const files: FigureFile[] = [];
  const view = buildView(report, mdPlainText, 'md', files);
  return { markdown: template('report.md.hbs')(view, RUNTIME), files };
}

/** Render the self-contained report.html. */
export function renderHtml(report: GradeReport): string {
  return template('report.html.hbs')(buildView(report, (s) => s, 'html'), RUNTIME);
}

/**
 * Write report.md, its figure files and report.html into `dir`.
 * @returns the paths written
 */
export async function writeReport(dir: string, report: GradeReport): Promise<string[]> {
  await fs.promises.mkdir(dir, { recursive: true });
  const { markdown, files } = renderMarkdown(report);
  const written: string[] = [];
  const put = async (name: string, content: string) => {
    const file = path.join(dir, name);
    await fs.promises.writeFile(file, content, { mode: 0o644 });
    written.push(file);
  };
  for (const f of files) await put(f.name, f.svg);
  await put('report.md', markdown);
  await put('report.html', renderHtml(report));
  return written;
}
