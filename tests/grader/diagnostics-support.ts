// Shared by the diagnostics tests: the reference solutions loaded in this process, and each case's
// reference outputs (and, on request, every diagnostic variant's) on the inputs of several course
// secrets, so that what is checked holds for hidden inputs in general and not for one draw.
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { loadPublic, privateModulePath } from '../../grader/assignment/plugin';
import { solutionsDir, studentModules, type CaseSpec } from '../../grader/assignment/types';
import { buildCall } from '../../grader/cases/build';
import { runVariants } from '../../grader/diagnostics/run';
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

export async function loadReference(): Promise<Loaded> {
  await initBackend();
  const a = loadAssignment();
  return loadModules(solutionsDir(a), studentModules(a));
}

/** The assignment's whole runs (the FQE run is compared with the reference). */
const wholeRuns = (): WholeRuns => Object.fromEntries(Object.entries(loadPublic(loadAssignment()).runs).map(([name, spec]) => [name, spec.run]));

/** Whole runs of a training loop are left out; FQE runs (several seconds each) only when asked. */
const wanted = (c: CaseSpec, fqeRuns: boolean) => c.target !== 'iql.training' && (fqeRuns || c.target !== 'fqe.evaluation');

/** Each case once per secret (visible cases once), with the reference's outputs and, if `variants`, every variant's. */
export function runCases(loaded: Loaded, o: { secrets: string[]; variants: boolean; fqeRuns?: boolean; only?: (c: CaseSpec) => boolean }): CaseRun[] {
  const a = loadAssignment();
  const out: CaseRun[] = [];
  for (const spec of a.cases.filter((c) => wanted(c, o.fqeRuns ?? false) && (o.only?.(c) ?? true))) {
    for (const secret of spec.visibility === 'visible' ? [''] : o.secrets) {
      const call = buildCall(a, spec, secret || o.secrets[0]);
      const reference = runCall(loaded, call, wholeRuns());
      if (!reference.ok) throw new Error(`the reference failed on ${spec.id}: ${reference.error?.message}`);
      out.push({ spec, secret, call, reference, variants: o.variants ? runVariants(privateModulePath(a), loaded, call) : [] });
    }
  }
  return out;
}
