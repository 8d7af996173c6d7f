// A real student handout for the tests of tests/handout/: built with the kit's builder, unpacked
// into a temporary folder, "installed" by linking this repository's node_modules (fast and
// offline); its own Jest and tsx run in child processes with nothing of this Jest run in their
// environment.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';
import { buildHandout, type Handout } from '../../authoring/handout/build';
import { topFolder } from '../../authoring/handout/layout';
import { loadAssignment } from '../../grader/assignment/load';
import { DEV_SECRET } from '../../grader/cases/seed';
import type { PublicData } from '../../handout/public-cases';
import { CACHE_DIR, ROOT } from '../grader/support';

export interface JestTest {
  ancestorTitles: string[];
  title: string;
  status: string;
  failureMessages: string[];
}

export interface JestRun {
  json: { numFailedTests: number; numPassedTests: number; numPendingTests: number; testResults: { assertionResults: JestTest[] }[] };
  stderr: string;
  /** Wall-clock seconds of the whole run. */
  seconds: number;
}

export const testsOf = (run: JestRun): JestTest[] => run.json.testResults.flatMap((f) => f.assertionResults);

/** The child's environment: nothing of this Jest run leaks into the handout's own Jest. */
export function childEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('JEST_') && k !== 'RLHW_BACKEND' && k !== 'NODE_OPTIONS'));
  return { ...env, FORCE_COLOR: '0', npm_lifecycle_event: 'test' };
}

export class UnpackedHandout {
  private constructor(
    /** The temporary folder holding the archive and the unpacked handout. */
    readonly work: string,
    readonly handout: Handout,
    /** The handout's folder. */
    readonly dir: string,
  ) {}

  /** The handout of the default assignment, or of the assignment in `assignmentDir`. */
  static async build(assignmentDir?: string): Promise<UnpackedHandout> {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-handout-test-'));
    const handout = await buildHandout({ outDir: path.join(work, 'dist'), secret: DEV_SECRET, cacheDir: CACHE_DIR, assignmentDir });
    await tar.x({ file: handout.archive, cwd: work });
    const dir = path.join(work, topFolder(loadAssignment(assignmentDir).codeDir));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
    return new UnpackedHandout(work, handout, dir);
  }

  remove(): void {
    fs.rmSync(this.work, { recursive: true, force: true });
  }

  data(): PublicData {
    return JSON.parse(fs.readFileSync(path.join(this.dir, 'tests/public-cases.json'), 'utf8')) as PublicData;
  }

  /** The handout's `npm test` (its Jest, its config, its reporter), with `args`; killed after `timeoutMs`. */
  jest(args: string[] = [], timeoutMs = 180_000): JestRun {
    const out = path.join(this.work, `jest-${Date.now()}.json`);
    const started = performance.now();
    const r = spawnSync(process.execPath, [path.join(this.dir, 'node_modules/jest/bin/jest.js'), '--json', `--outputFile=${out}`, ...args], { cwd: this.dir, env: childEnv(), encoding: 'utf8', timeout: timeoutMs });
    const seconds = (performance.now() - started) / 1000;
    if (!fs.existsSync(out)) throw new Error(`the handout's jest wrote no results in ${seconds.toFixed(0)} s${r.error ? ` (${r.error.message})` : ''}: ${r.stderr.slice(-2000)}`);
    return { json: JSON.parse(fs.readFileSync(out, 'utf8')), stderr: r.stderr, seconds };
  }

  /** `tsx args...` in the handout's folder (such as scripts/submit.ts). */
  tsx(args: string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, [path.join(this.dir, 'node_modules/tsx/dist/cli.mjs'), ...args], { cwd: this.dir, env: childEnv(), encoding: 'utf8', timeout: 180_000 });
  }

  /** Copies `from`'s submission files into the handout's homework/. */
  useSubmission(from: string, assignmentDir?: string): void {
    for (const f of loadAssignment(assignmentDir).files) fs.copyFileSync(path.join(from, f), path.join(this.dir, 'homework', f));
  }

  /** Replaces `find` (which must occur once) in homework/`file`; returns the 1-based line of the change. */
  edit(file: string, find: string, replace: string): number {
    const p = path.join(this.dir, 'homework', file);
    const text = fs.readFileSync(p, 'utf8');
    const at = text.indexOf(find);
    if (at < 0 || text.indexOf(find, at + 1) >= 0) throw new Error(`homework/${file}: '${find}' does not occur exactly once`);
    fs.writeFileSync(p, text.slice(0, at) + replace + text.slice(at + find.length));
    return text.slice(0, at).split('\n').length;
  }
}
