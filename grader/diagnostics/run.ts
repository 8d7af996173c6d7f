/** Runs every diagnostic variant of a call's target on the call's inputs (reference process only). */
import { runHarness, type Loaded } from '../child/execute';
import type { RunnerCall, VariantResult } from '../child/protocol';
import { VARIANTS } from './variants';

export function runVariants(reference: Loaded, call: RunnerCall): VariantResult[] {
  const out: VariantResult[] = [];
  for (const variant of VARIANTS.filter((v) => v.target === call.target)) {
    const r = runHarness(call, variant.make(reference.modules), reference.dir);
    if (r.ok) out.push({ variant: variant.id, hint: variant.hint, outputs: r.outputs, changed: r.changed });
  }
  return out;
}
