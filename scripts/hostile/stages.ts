// Machine state some cases of the hostile corpus need, set up just before the case is graded and
// removed after it (HostileManifest.stage), and the values put into a case's files
// (HostileManifest.substitute): a policy the reference trained, the work folder of a grading
// killed with SIGKILL, another checkout's solutions and a Gradescope zip left readable by all.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import type { Assignment } from '../../grader/assignment/types';
import { buildCalls, isThresholdCase } from '../../grader/cases/build';
import { publicModulePath } from '../../grader/assignment/plugin';
import { solutionsDir, studentModules } from '../../grader/assignment/types';
import type { CorpusStage, CorpusValue } from '../examples/hostile';
import { plainLauncher } from '../../grader/runner/launch';
import { runCalls } from '../../grader/runner/run-calls';
import { workParent } from '../../grader/runner/workdir';
import { ROOT } from './machine';

/** Another checkout of the kit, readable by everyone, outside the kit (the child must not find it). */
export const OTHER_CHECKOUT = '/srv/rlhw-other-checkout';
/** A Gradescope zip left readable in the kit's dist/ folder. */
const READABLE_ZIP = path.join(ROOT, 'dist', 'rlhw-other-autograder.zip');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The policy the reference's own training case ends with, as the training harness reports it. */
export async function trainedPolicy(a: Assignment, secret: string): Promise<string> {
  const spec = a.cases.find(isThresholdCase);
  if (!spec) throw new Error('the assignment has no training case to train a policy with');
  const call = buildCalls({ ...a, cases: [spec] }, secret)[0];
  const done = await runCalls([call], {
    launcher: plainLauncher,
    backend: a.backend,
    studentDir: solutionsDir(a),
    modules: studentModules(a),
    publicModule: publicModulePath(a),
    cwd: ROOT,
    timeLimits: { [call.id]: 600 },
    startupCpuSeconds: 60,
    wallFactor: 3,
    memoryMiB: 2048,
  });
  const outputs = done.get(call.id)?.result.outputs ?? {};
  const policy = Object.keys(outputs).filter((k) => k.startsWith('policy:')).sort((x, y) => Number(x.slice(7)) - Number(y.slice(7))).map((k) => outputs[k]);
  if (policy.length === 0) throw new Error(`the reference's training run returned no policy: ${done.get(call.id)?.result.error?.message}`);
  return JSON.stringify(policy);
}

export interface Staged {
  /** Values for the case's placeholders. */
  values: Partial<Record<CorpusValue, string>>;
  /** Texts the grading's output must not hold (what the staged state would leak). */
  forbidden: string[];
  /** Undoes the stage. */
  remove(): void;
}

/**
 * A grading of a submission (the reference, with a slow first case and a marker) killed with
 * SIGKILL while its code runs: returns the work folder it leaves behind and the marker.
 */
async function killedGrading(dir: string, o: { isolation: string; user: string; assignmentDir?: string; secret: string }): Promise<{ folder: string; marker: string }> {
  const marker = `RLHW-VICTIM-${randomBytes(6).toString('hex')}`;
  const victim = path.join(dir, 'victim');
  fs.cpSync(path.join(ROOT, 'solutions'), victim, { recursive: true, dereference: true });
  const returns = fs.readFileSync(path.join(victim, 'returns.ts'), 'utf8').replace('export function discountedReturnToGo(', `// ${marker}\nexport function discountedReturnToGo(`);
  fs.writeFileSync(path.join(victim, 'returns.ts'), returns.replace(/(export function discountedReturnToGo\([^)]*\)[^{]*\{)/, '$1\n  for (const end = Date.now() + 60_000; Date.now() < end; );'));
  const args = [path.join(ROOT, 'grader/bin/rlgrade.js'), 'grade', victim, '--out', path.join(dir, 'victim-out'), '--isolation', o.isolation, '--sandbox-user', o.user, ...(o.assignmentDir ? ['--assignment', o.assignmentDir] : [])];
  const grader = spawn(process.execPath, args, { cwd: ROOT, stdio: 'ignore', detached: true, env: { ...process.env, RLHW_COURSE_SECRET: o.secret } });
  const prefix = `run-${grader.pid}.`;
  try {
    let seenAt: number | undefined;
    for (let waited = 0; waited < 180_000; waited += 200) {
      await sleep(200);
      const folder = fs.readdirSync(workParent()).find((n) => n.startsWith(prefix));
      if (folder && seenAt === undefined) seenAt = waited;
      // Killed once the student's code is running (its slow first case has started).
      if (folder && seenAt !== undefined && waited - seenAt > 4_000) return { folder: path.join(workParent(), folder), marker };
    }
    throw new Error('the victim grading never started its code');
  } finally {
    try {
      process.kill(-grader.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Sets up what a case's `stage` names; `dir` is the case's own temporary folder. */
export async function stage(stages: CorpusStage[], dir: string, o: { isolation: string; user: string; assignmentDir?: string; secret: string }): Promise<Staged> {
  const undo: (() => void)[] = [];
  const staged: Staged = { values: { kit: JSON.stringify(ROOT) }, forbidden: [], remove: () => undo.reverse().forEach((f) => f()) };
  try {
    for (const s of stages) {
      if (s === 'other-checkout') {
        const solutions = path.join(OTHER_CHECKOUT, 'solutions');
        fs.mkdirSync(solutions, { recursive: true, mode: 0o755 });
        for (const f of fs.readdirSync(path.join(ROOT, 'solutions'))) fs.copyFileSync(path.join(ROOT, 'solutions', f), path.join(solutions, f));
        for (const p of [OTHER_CHECKOUT, solutions, ...fs.readdirSync(solutions).map((f) => path.join(solutions, f))]) fs.chmodSync(p, fs.statSync(p).isDirectory() ? 0o755 : 0o644);
        undo.push(() => fs.rmSync(OTHER_CHECKOUT, { recursive: true, force: true }));
        staged.forbidden.push('BEGIN SOLUTION', OTHER_CHECKOUT);
      } else if (s === 'readable-autograder-zip') {
        const made = !fs.existsSync(path.dirname(READABLE_ZIP));
        fs.mkdirSync(path.dirname(READABLE_ZIP), { recursive: true, mode: 0o755 });
        fs.writeFileSync(READABLE_ZIP, zipSync({ 'course-secret': strToU8(`${o.secret}\n`), 'solutions/iql.ts': fs.readFileSync(path.join(ROOT, 'solutions', 'iql.ts')) }), { mode: 0o644 });
        fs.chmodSync(READABLE_ZIP, 0o644);
        undo.push(() => (made ? fs.rmSync(path.dirname(READABLE_ZIP), { recursive: true, force: true }) : fs.rmSync(READABLE_ZIP, { force: true })));
        staged.forbidden.push(o.secret);
      } else {
        const { folder, marker } = await killedGrading(dir, o);
        staged.values['victim-work-folder'] = JSON.stringify(folder);
        staged.forbidden.push(marker);
      }
    }
    return staged;
  } catch (err) {
    staged.remove();
    throw err;
  }
}
