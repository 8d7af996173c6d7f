/**
 * DIR/summary.html for staff: the score histogram, the share of submissions earning full points
 * on each question, the most common mistakes (hints grouped by mistake, mistakes.ts) and the
 * slowest submissions, each as an inline SVG chart (Vega-Lite) with a table beside it. `summarize` and `summarySpecs` are plain functions;
 * only `renderSummaryHtml` needs vega (so not inside Jest; see provided/plots/vega-svg.ts).
 */
import * as fs from 'node:fs';
import Handlebars from 'handlebars';
import * as path from 'node:path';
import { renderVegaLiteSvg, type TopLevelSpec } from '../../provided/plots/vega-svg';
import { sanitizeSvg } from '../report/sanitize-svg';
import type { Mistake } from './mistakes';
import { noStatuses, STATUSES, type GradingRecord, type QuestionInfo, type Status } from './types';

export interface SummaryData {
  title: string;
  maxTotal: number;
  count: number;
  statuses: Record<Status, number>;
  /** Over submissions that were graded: neither an error nor a bad upload (nothing of it could be graded). */
  graded: number;
  mean: number;
  median: number;
  histogram: { from: number; to: number; count: number }[];
  passRates: { question: string; title: string; rate: number; passed: number }[];
  /** Hints grouped by the mistake behind them (mistakes.ts), most submissions first. */
  mistakes: MistakeRow[];
  slowest: { submission: string; seconds: number; status: Status }[];
  /** Submissions whose upload was bad or incomplete, with the students' names and the reason. */
  uploads: { submission: string; status: Status; reason: string }[];
}

export interface MistakeRow {
  /** "<module title>: <mistake id>" */
  name: string;
  /** Every distinct hint given for it, the function's own first. */
  hints: string[];
  /** "Q1.1, Q1.2, Q1.10" */
  questions: string;
  /** Submissions that got one of its hints. */
  count: number;
  /** Those submissions: "submission_1001 (Ada Lovelace)". */
  submissions: string[];
}

const TOP = 10;

const who = (r: GradingRecord): string => {
  const names = r.submitters.map((s) => s.name).filter(Boolean);
  return names.length > 0 ? `${r.submission} (${names.join(', ')})` : r.submission;
};

/** A hint as a mistake of its own (when the assignment's diagnostics cannot be read). */
const byText = (hint: string): Mistake => ({ key: `hint:${hint}`, name: hint, direct: true });

/** Groups every hint of the records by its mistake (`classify`); question ids sort as numbers (Q1.2 before Q1.10). */
export function groupHints(records: GradingRecord[], classify: (hint: string) => Mistake = byText): MistakeRow[] {
  const groups = new Map<string, { name: string; hints: Map<string, boolean>; questions: Set<string>; submissions: Set<string> }>();
  for (const r of records) {
    for (const h of r.hints) {
      const m = classify(h.hint);
      const g = groups.get(m.key) ?? { name: m.name, hints: new Map(), questions: new Set(), submissions: new Set() };
      g.hints.set(h.hint, m.direct);
      g.questions.add(h.question);
      g.submissions.add(who(r));
      groups.set(m.key, g);
    }
  }
  const byNumber = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
  return [...groups.values()]
    .map((g) => ({
      name: g.name,
      hints: [...g.hints.entries()].sort((a, b) => Number(b[1]) - Number(a[1])).map(([hint]) => hint),
      questions: [...g.questions].sort(byNumber).join(', '),
      count: g.submissions.size,
      submissions: [...g.submissions].sort(byNumber),
    }))
    .sort((a, b) => b.count - a.count || byNumber(a.name, b.name));
}
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** A round bin width near a twentieth of the maximum: 1, 2 or 5 times a power of ten. */
export function binWidth(max: number): number {
  const raw = Math.max(max, 1) / 20;
  const p = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * p).find((w) => w >= raw - 1e-12)!;
}

/** Counts of totals per bin [from, to), the last bin closed; bins cover 0 to the maximum. */
export function histogram(totals: number[], maxTotal: number): SummaryData['histogram'] {
  const width = binWidth(maxTotal);
  const top = Math.ceil(Math.max(maxTotal, ...totals, width) / width - 1e-9) * width;
  const bins = Array.from({ length: Math.round(top / width) }, (_, i) => ({ from: round(i * width, 6), to: round((i + 1) * width, 6), count: 0 }));
  for (const t of totals) bins[Math.min(bins.length - 1, Math.max(0, Math.floor(t / width + 1e-9)))].count += 1;
  return bins;
}

export function summarize(title: string, maxTotal: number, questions: QuestionInfo[], records: GradingRecord[], classify?: (hint: string) => Mistake): SummaryData {
  const statuses = noStatuses();
  for (const r of records) statuses[r.status] += 1;
  const graded = records.filter((r) => r.status !== 'error' && r.status !== 'bad-upload');
  const totals = graded.map((r) => r.total).sort((a, b) => a - b);
  const mid = totals.length >> 1;
  const median = totals.length === 0 ? 0 : totals.length % 2 ? totals[mid] : (totals[mid - 1] + totals[mid]) / 2;
  const passRates = questions.map((q) => {
    const passed = graded.filter((r) => (r.questions[q.id] ?? 0) >= q.points - 1e-9).length;
    return { question: q.id, title: q.title, rate: graded.length ? round(passed / graded.length, 4) : 0, passed };
  });
  const slowest = [...records]
    .sort((a, b) => b.seconds - a.seconds || (a.submission < b.submission ? -1 : 1))
    .slice(0, TOP)
    .map((r) => ({ submission: r.submission, seconds: round(r.seconds, 1), status: r.status }));
  return {
    title,
    maxTotal,
    count: records.length,
    statuses,
    graded: graded.length,
    mean: totals.length ? round(totals.reduce((a, b) => a + b, 0) / totals.length) : 0,
    median: round(median),
    histogram: histogram(totals, maxTotal),
    passRates,
    mistakes: groupHints(records, classify),
    slowest,
    uploads: [...records]
      .filter((r) => r.status === 'bad-upload' || r.status === 'missing-files')
      .sort((a, b) => (a.submission < b.submission ? -1 : 1))
      .map((r) => ({ submission: who(r), status: r.status, reason: r.reason ?? '' })),
  };
}

const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', background: 'white' } as const;

/** A label in lines of at most `width` characters (broken at spaces), joined by newlines: never cut. */
export function wrapLabel(text: string, width = 48): string {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines.join('\n');
}

/** Axis labels drawn whole: no length limit, one text line per newline, rows tall enough for them. */
const wholeLabels = { labelLimit: 0, labelExpr: "split(datum.label, '\\n')" } as const;
const rowStep = (labels: string[]) => ({ step: 8 + 13 * Math.max(1, ...labels.map((l) => l.split('\n').length)) });

/** The four charts' Vega-Lite specs (undefined where there is nothing to draw). */
export function summarySpecs(d: SummaryData): Record<'histogram' | 'passRates' | 'mistakes' | 'slowest', TopLevelSpec | undefined> {
  const mistakeLabels = d.mistakes.slice(0, TOP).map((m, i) => wrapLabel(`${i + 1}. ${m.name}`));
  const slowLabels = d.slowest.map((s) => wrapLabel(s.submission));
  return {
    histogram: d.graded === 0 ? undefined : {
      ...base,
      title: 'Total points',
      width: 560,
      height: 220,
      data: { values: d.histogram },
      mark: { type: 'bar', stroke: 'white' },
      encoding: {
        x: { field: 'from', type: 'quantitative', bin: { binned: true, step: d.histogram[0].to - d.histogram[0].from }, title: `total points (of ${d.maxTotal})` },
        x2: { field: 'to' },
        y: { field: 'count', type: 'quantitative', title: 'submissions', axis: { tickMinStep: 1 } },
      },
    },
    passRates: d.graded === 0 ? undefined : {
      ...base,
      title: 'Submissions with full points, per question',
      width: Math.max(300, 22 * d.passRates.length),
      height: 200,
      data: { values: d.passRates },
      mark: 'bar',
      encoding: {
        x: { field: 'question', type: 'ordinal', sort: null, title: null, axis: { labelAngle: -45 } },
        y: { field: 'rate', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%' }, title: 'full points' },
      },
    },
    mistakes: d.mistakes.length === 0 ? undefined : {
      ...base,
      title: 'Most common mistakes (submissions with one of their hints)',
      width: 300,
      height: rowStep(mistakeLabels),
      data: { values: d.mistakes.slice(0, TOP).map((m, i) => ({ label: mistakeLabels[i], count: m.count })) },
      mark: 'bar',
      encoding: {
        y: { field: 'label', type: 'nominal', sort: null, title: null, axis: wholeLabels },
        x: { field: 'count', type: 'quantitative', title: 'submissions', axis: { tickMinStep: 1 } },
      },
    },
    slowest: d.slowest.length === 0 ? undefined : {
      ...base,
      title: 'Slowest submissions',
      width: 400,
      height: rowStep(slowLabels),
      data: { values: d.slowest.map((s, i) => ({ label: slowLabels[i], seconds: s.seconds })) },
      mark: 'bar',
      encoding: {
        y: { field: 'label', type: 'nominal', sort: null, title: null, axis: wholeLabels },
        x: { field: 'seconds', type: 'quantitative', title: 'seconds' },
      },
    },
  };
}

const hb = Handlebars.create();
let compiled: HandlebarsTemplateDelegate | undefined;
const TEMPLATE = path.join(__dirname, 'templates', 'summary.html.hbs');

/** The self-contained summary page (inline CSS and SVG, no scripts). */
export async function renderSummaryHtml(d: SummaryData): Promise<string> {
  const specs = summarySpecs(d);
  const charts: Record<string, string | undefined> = {};
  for (const [key, spec] of Object.entries(specs)) charts[key] = spec ? sanitizeSvg(await renderVegaLiteSvg(spec), 'inline') : undefined;
  compiled ??= hb.compile(fs.readFileSync(TEMPLATE, 'utf8'), { strict: false, knownHelpersOnly: true });
  const pct = (x: number) => `${round(x * 100, 1)}%`;
  const view = {
    ...d,
    charts,
    statusRows: STATUSES.map((status) => ({ status, count: d.statuses[status] })),
    passRates: d.passRates.map((p) => ({ ...p, percent: pct(p.rate) })),
    mistakes: d.mistakes.map((m, i) => ({ ...m, rank: i + 1, submissionCount: `${m.count} submission${m.count === 1 ? '' : 's'}` })),
  };
  return compiled(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
}
