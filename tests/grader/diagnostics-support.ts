// Shared by the diagnostics tests: the reference solutions loaded in this process, and each case's
// reference outputs (and, on request, every diagnostic variant's) on the inputs of several course
// secrets, so that what is checked holds for hidden inputs in general and not for one draw.
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { loadPublic, privateModulePath } from '../../grader/assignment/plugin';
import { solutionsDir, studentModules, type Assignment, type CaseSpec } from '../../grader/assignment/types';
import { buildCall, isThresholdCase, isWholeRun } from '../../grader/cases/build';
import { runVariants } from '../../grader/diagnostics/run';
import type { Variant } from '../../grader/diagnostics/define';
import { matchVariant } from '../../grader/diagnostics/match';
import { compareOutputs } from '../../grader/scoring/compare';
import { loadModules, runCall, type Loaded, type WholeRuns } from '../../grader/child/execute';
import type { CallResult, RunnerCall, VariantResult } from '../../grader/child/protocol';
import { initBackend } from '../../provided/runtime/backend';

export const ROOT = path.resolve(__dirname, '../..');
/** The development secret and two more terms' worth of hidden inputs. */
export const SECRETS = ['dev-secret', 'diagnostics-term-a', 'diagnostics-term-b'];

export interface CaseRun {
  spec: CaseSpec;
  /** The secret the inputs were built with ('' for a visible case: the same for every secret). */
  secret: string;
  call: RunnerCall;
  reference: CallResult;
  variants: VariantResult[];
}

/** The reference solutions of an assignment (the default one without `dir`), loaded in this process. */
export async function loadReference(dir?: string): Promise<Loaded> {
  await initBackend();
  const a = loadAssignment(dir);
  return loadModules(solutionsDir(a), studentModules(a));
}

/** The assignment's whole runs (the FQE run is compared with the reference). */
const wholeRuns = (a: Assignment): WholeRuns => Object.fromEntries(Object.entries(loadPublic(a).runs).map(([name, spec]) => [name, spec.run]));

/** Cases scored by thresholds (training runs) are left out; other whole runs (several seconds each) only when asked. */
const wanted = (a: Assignment, c: CaseSpec, wholeRunsToo: boolean) => !isThresholdCase(c) && (wholeRunsToo || !isWholeRun(a, c));

/** Each case once per secret (visible cases once), with the reference's outputs and, if `variants`, every variant's. */
export function runCases(loaded: Loaded, o: { secrets: string[]; variants: boolean; fqeRuns?: boolean; only?: (c: CaseSpec) => boolean; assignment?: string }): CaseRun[] {
  const a = loadAssignment(o.assignment);
  const out: CaseRun[] = [];
  for (const spec of a.cases.filter((c) => wanted(a, c, o.fqeRuns ?? false) && (o.only?.(c) ?? true))) {
    for (const secret of spec.visibility === 'visible' ? [''] : o.secrets) {
      const call = buildCall(a, spec, secret || o.secrets[0]);
      const reference = runCall(loaded, call, wholeRuns(a));
      if (!reference.ok) throw new Error(`the reference failed on ${spec.id}: ${reference.error?.message}`);
      out.push({ spec, secret, call, reference, variants: o.variants ? runVariants(privateModulePath(a), loaded, call) : [] });
    }
  }
  return out;
}

const core = (hint: string) => hint.replace(/^In \w+(?: or \w+)*: /, '');

/** What the checks found for one variant, in a form whose failure says what is missing. */
export function verdict(v: Variant, cases: CaseRun[], secrets: string[]) {
  const mine = cases.filter((r) => r.spec.target === v.target);
  const result = (r: CaseRun) => r.variants.find((x) => x.variant === v.id);
  const differs = (r: CaseRun) => {
    const x = result(r);
    return !!x && !compareOutputs(x.outputs, r.reference.outputs, r.spec.tolerance).passed;
  };
  const hinted = (r: CaseRun) => {
    const x = result(r);
    const hint = x && matchVariant(v.target, x.outputs, r.variants, r.spec.tolerance);
    return !!hint && core(hint) === core(v.hint);
  };
  return {
    ran: mine.every((r) => result(r) !== undefined),
    differsOnAVisibleCase: mine.some((r) => r.spec.visibility === 'visible' && differs(r)),
    differsOnAHiddenCase: Object.fromEntries(secrets.map((s) => [s, mine.some((r) => r.secret === s && differs(r))])),
    hintGiven: mine.some((r) => differs(r) && hinted(r)),
  };
}

/** The verdict of a variant the cases tell apart everywhere. */
export const allTrue = (secrets: string[]) => ({ ran: true, differsOnAVisibleCase: true, differsOnAHiddenCase: Object.fromEntries(secrets.map((s) => [s, true])), hintGiven: true });
