// Rewrites the hidden cases cannot tell apart from the reference (the assignment's private/neutral.ts):
// unusual but correct code, and slips that change nothing. Each must keep full marks on every case
// of its target, visible and hidden, for several course secrets.
import { NEUTRAL } from '../../assignments/offline-rl/private/neutral';
import { runHarness, type Loaded } from '../../grader/child/execute';
import { compareOutputs } from '../../grader/scoring/compare';
import { loadReference, runCases, SECRETS, type CaseRun } from './diagnostics-support';

let loaded: Loaded;
let runs: CaseRun[];
const targets = new Set(NEUTRAL.map((v) => v.target));

beforeAll(async () => {
  loaded = await loadReference();
  runs = runCases(loaded, { secrets: SECRETS, variants: false, only: (c) => targets.has(c.target) });
}, 600_000);

test.each(NEUTRAL.map((v) => [`${v.target} ${v.id}`, v] as const))('%s keeps full marks on every case', (_name, v) => {
  const mine = runs.filter((r) => r.spec.target === v.target);
  expect(mine.length).toBeGreaterThanOrEqual(2);
  const failed = mine.flatMap((r) => {
    const out = runHarness(r.call, v.make(loaded.modules), loaded.dir);
    const cmp = out.ok ? compareOutputs(out.outputs, r.reference.outputs, r.spec.tolerance) : undefined;
    const changedAsReference = JSON.stringify(out.changed ?? []) === JSON.stringify(r.reference.changed ?? []);
    return cmp?.passed && changedAsReference ? [] : [`${r.spec.id} (${r.secret || 'visible'}): ${out.error?.message ?? cmp?.messages.join(' ') ?? ''}`];
  });
  expect(failed).toEqual([]);
});
