/**
 * The files a batch (or a merge) ends with, from the manifest and the records of its share:
 * gradebook.csv, timings.csv and summary.html, each written atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from '../runner/workdir';
import { mistakeOf } from './mistakes';
import { gradebookCsv, timingsCsv } from './gradebook';
import { readRecord, writeFileAtomic } from './store';
import { renderSummaryHtml, summarize } from './summary';
import type { BatchManifest, GradingRecord } from './types';

/** The record of every submission of the share, or a one-line error naming the first missing one. */
export function shareRecords(out: string, manifest: BatchManifest): GradingRecord[] {
  return manifest.share.map((name) => {
    const r = readRecord(out, name);
    if (!r) throw new Error(`${out}: no finished result for '${name}'; run the batch again with --resume`);
    return r;
  });
}

/** Writes gradebook.csv, timings.csv and summary.html; returns their paths. */
export async function writeOutputs(out: string, manifest: BatchManifest, records: GradingRecord[]): Promise<string[]> {
  const { questions, title, maxTotal, dir } = manifest.assignment;
  const files = { gradebook: path.join(out, 'gradebook.csv'), timings: path.join(out, 'timings.csv'), summary: path.join(out, 'summary.html') };
  writeFileAtomic(files.gradebook, gradebookCsv(questions, records));
  writeFileAtomic(files.timings, timingsCsv(records));
  // The assignment's diagnostics group hints by mistake; without its folder, by their text.
  const folder = dir === undefined ? undefined : path.resolve(KIT_ROOT, dir);
  const classify = folder && fs.existsSync(folder) ? (hint: string) => mistakeOf({ codeDir: folder }, hint) : undefined;
  writeFileAtomic(files.summary, await renderSummaryHtml(summarize(title, maxTotal, questions, records, classify)));
  return Object.values(files);
}
