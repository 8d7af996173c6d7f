/**
 * Trusted measurement of whole runs. The student's process runs a training and reports its final
 * policy's parameters; but it could report any success rate (forged channel messages, a patched
 * environment), so the outputs that earn points are measured again, by a run of the kit's own code
 * in a trusted plain child (as the reference runs), from what the run reported. Which run, from
 * which outputs, and which outputs it replaces are the assignment's (RunSpec.verify); the rest of
 * the run's outputs (a learning curve) stay as the student's run reported them: they are only shown.
 */
import type { PublicGrading } from '../assignment/plugin';
import type { PlainTensor, RunnerCall, RunnerRequest } from '../child/protocol';
import { plainLauncher, warmPlainLauncher, type Launcher } from './launch';

/** The memory cap of a trusted verification child, MiB. */
export const VERIFY_MIB = 2048;

/** Whether `verifyRuns` will run anything for `calls` (if they succeed): then a child can be warmed for it. */
export const needsVerification = (calls: RunnerCall[], grading: PublicGrading): boolean =>
  calls.some((c) => c.harness.kind === 'run' && grading.runs[c.harness.run]?.verify !== undefined);

/** A trusted child started ahead for `verifyRuns` (see warmPlainLauncher). */
export const warmVerifier = (cwd: string): { launcher: Launcher; dispose(): void } => warmPlainLauncher(VERIFY_MIB, cwd);
import { runCalls, type CallOutcome } from './run-calls';

/** The reported outputs named `prefix`0, `prefix`1, ..., in order. */
function numbered(outputs: Record<string, PlainTensor>, prefix: string): PlainTensor[] {
  const out: PlainTensor[] = [];
  for (let i = 0; outputs[`${prefix}${i}`]; i++) out.push(outputs[`${prefix}${i}`]);
  return out;
}

/**
 * Replaces the verified outputs of every successful run in `student` that has a `verify` with the
 * trusted run's; a result that cannot be verified fails with the reason.
 */
export async function verifyRuns(
  student: Map<string, CallOutcome>,
  calls: RunnerCall[],
  grading: PublicGrading,
  o: { backend: RunnerRequest['backend']; referenceDir: string; modules: string[]; publicModule: string; cwd: string; launcher?: Launcher },
): Promise<void> {
  const verified = calls.filter((c) => c.harness.kind === 'run' && grading.runs[c.harness.run]?.verify && student.get(c.id)?.result.ok);
  if (verified.length === 0) return;
  const specOf = (c: RunnerCall) => grading.runs[(c.harness as { run: string }).run].verify!;
  const checks: RunnerCall[] = verified.map((c) => ({ ...c, harness: { kind: 'run', run: specOf(c).run }, args: [...c.args, ...numbered(student.get(c.id)!.result.outputs, specOf(c).from)] }));
  const trusted = await runCalls(checks, {
    launcher: o.launcher ?? plainLauncher,
    backend: o.backend,
    studentDir: o.referenceDir,
    modules: o.modules,
    publicModule: o.publicModule,
    cwd: o.cwd,
    timeLimits: {},
    startupCpuSeconds: 60,
    wallFactor: 3,
    memoryMiB: VERIFY_MIB,
  });
  for (const c of verified) {
    const outcome = student.get(c.id)!;
    const check = trusted.get(c.id)?.result;
    if (!check?.ok) {
      const reason = (check?.error?.message ?? 'it was not verified').replace(/^Error: /, '');
      outcome.result = { ...outcome.result, ok: false, outputs: {}, error: { kind: 'bad-return', message: `what the run reported could not be verified: ${reason}` } };
      continue;
    }
    const { from, replaces } = specOf(c);
    const kept = Object.entries(outcome.result.outputs).filter(([name]) => !replaces(name) && !name.startsWith(from));
    outcome.result = { ...outcome.result, outputs: { ...Object.fromEntries(kept), ...check.outputs } };
  }
}
