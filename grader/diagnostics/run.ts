/** Runs every diagnostic variant of a call's target on the call's inputs (reference process only). */
import type { PrivateGrading } from '../assignment/plugin';
import { runHarness, type Loaded } from '../child/execute';
import type { RunnerCall, VariantResult } from '../child/protocol';

/** `privateModule`: the assignment's private grading module, whose `variants` are run. */
export function runVariants(privateModule: string, reference: Loaded, call: RunnerCall): VariantResult[] {
  const { variants } = (require(privateModule) as { grading: PrivateGrading }).grading;
  const out: VariantResult[] = [];
  for (const variant of variants.filter((v) => v.target === call.target)) {
    const r = runHarness(call, variant.make(reference.modules), reference.dir);
    if (r.ok) out.push({ variant: variant.id, hint: variant.hint, outputs: r.outputs, changed: r.changed });
  }
  return out;
}
