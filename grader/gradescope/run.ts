/**
 * What run_autograder starts (`rlgrade gradescope`): grade <root>/submission with the hidden
 * cases of the course secret and write <root>/results/results.json, always. Anything that goes
 * wrong becomes a zero-score failure result that tells the student staff were told; the details
 * (stack included) go to stdout, which Gradescope shows to instructors only.
 *
 * Environment (set by staff or tests, never by students):
 *   RLHW_AUTOGRADER_ROOT   the root folder (default /autograder)
 *   RLGRADE_CACHE_DIR      reference values (default <root>/source/cache, made by `rlgrade build`)
 *   RLHW_COURSE_SECRET     the course secret when <root>/source/course-secret is absent
 *   RLHW_ISOLATION         auto | full | reduced | plain (default auto)
 *   RLHW_SANDBOX_USER      the sandbox user (default rlhw-student)
 *   RLHW_SKIP_TRAINING=1   leave out the end-to-end training cases (tests only: they score 0)
 *   RLHW_TIME_BUDGET       seconds the grading may take (run_autograder sets it: RLHW_TIME_LIMIT,
 *                          else the assignment's total_seconds); past it no case starts
 */
import * as fs from 'node:fs';
import { courseSecret, DEV_SECRET } from '../cases/seed';
import { gradeSubmission, ISOLATIONS, type Isolation } from '../cli/grade';
import { failureResults, writeResults } from '../results';
import { isRoot } from '../sandbox';
import { guardAutograder } from './guard';
import type { AutograderLayout } from './layout';
import { describeSubmission, readMetadata, studentNames } from './metadata';

export interface AutograderRun {
  /** 0 when results.json holds a grade, 1 when it holds a failure result. */
  code: number;
  lines: string[];
}

/** The course secret: the root-only file in the source folder, else RLHW_COURSE_SECRET, else the development secret. */
export function autograderSecret(layout: AutograderLayout): { secret: string; from: string } {
  if (fs.existsSync(layout.secretFile)) return { secret: courseSecret(layout.secretFile), from: layout.secretFile };
  const secret = courseSecret();
  return { secret, from: secret === DEV_SECRET ? 'the development secret (no course-secret file, no RLHW_COURSE_SECRET): hidden inputs are public' : 'RLHW_COURSE_SECRET' };
}

function isolationFromEnv(): Isolation {
  const value = process.env.RLHW_ISOLATION || 'auto';
  if (!(ISOLATIONS as string[]).includes(value)) throw new Error(`RLHW_ISOLATION: expected one of ${ISOLATIONS.join(', ')}, got '${value}'`);
  return value as Isolation;
}

const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** Grades the submission of `layout`; `log` receives staff-only lines as they happen. */
export async function runAutograder(layout: AutograderLayout, log: (line: string) => void = () => undefined): Promise<AutograderRun> {
  const started = performance.now();
  const lines: string[] = [];
  const say = (line: string): void => {
    lines.push(line);
    log(line);
  };
  try {
    const { metadata, problem } = readMetadata(layout.metadata);
    say(problem ?? describeSubmission(metadata));
    if (!fs.existsSync(layout.submission)) throw new Error(`no submission: ${layout.submission} does not exist`);
    const isolation = isolationFromEnv();
    const { secret, from } = autograderSecret(layout);
    say(`course secret from ${from}`);
    if (isolation !== 'plain' && isRoot()) for (const change of guardAutograder(layout)) say(`made unreadable to students: ${change}`);
    const graded = await gradeSubmission({
      submission: layout.submission,
      outDir: layout.results,
      secret,
      isolation,
      sandboxUser: process.env.RLHW_SANDBOX_USER || undefined,
      cacheDir: layout.cacheDir,
      skipTraining: process.env.RLHW_SKIP_TRAINING === '1',
      student: studentNames(metadata.users),
      ...(Number(process.env.RLHW_TIME_BUDGET) > 0 ? { totalSeconds: Number(process.env.RLHW_TIME_BUDGET) } : {}),
    });
    say(`isolation: ${isolation}${graded.mechanisms.length ? ` (${graded.mechanisms.join(', ')})` : ''}`);
    if (graded.report.upload) say(`upload ${graded.report.upload.status} (the student's first line): ${graded.report.upload.headline}`);
    say(`${graded.report.total} / ${graded.report.maxTotal} points; wrote ${layout.resultsFile}`);
    return { code: 0, lines };
  } catch (err) {
    say(`grading failed: ${firstLine(err)}`);
    if (err instanceof Error && err.stack) say(err.stack);
    writeResults(layout.resultsFile, failureResults(firstLine(err), (performance.now() - started) / 1000));
    return { code: 1, lines };
  }
}
