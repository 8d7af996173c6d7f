/**
 * The runner child's loop, shared by the grader's child (main.ts, started by entry.js) and a
 * student's local runs (local-entry.js): reads one RunnerRequest on the sandbox channel, loads the
 * modules of `studentDir`, runs each call and sends back plain results, one message per call, with
 * a 'start' message before each call so that the parent knows which call was running if the
 * process dies; then exits.
 */
import { initBackend } from '../../provided/runtime/backend';
import type { PublicGrading } from '../assignment/public-grading';
import { readInput, send } from './channel';
import { loadModules, runCall, type Loaded, type WholeRuns } from './execute';
import type { ChildMessage, RunnerCall, RunnerRequest, VariantResult } from './protocol';

/** The diagnostic variants of a call (trusted reference runs only: main.ts). */
export type VariantRunner = (loaded: Loaded, call: RunnerCall) => VariantResult[];

/**
 * The assignment's whole runs, from its public module, loaded by the first call that needs them:
 * most children run unit cases only, and loading the runs' code (data, environment, settings) up
 * front was a fifth of a child's start-up (docs/benchmarks.md, runner start-up).
 */
function wholeRuns(publicModule: string | undefined): () => WholeRuns {
  let runs: WholeRuns | undefined;
  return () => {
    if (!publicModule) return {};
    runs ??= Object.fromEntries(Object.entries((require(publicModule) as { grading: PublicGrading }).grading.runs).map(([name, spec]) => [name, spec.run]));
    return runs;
  };
}

const post = (m: ChildMessage): void => send(m);

async function serve(variantsFor: (req: RunnerRequest) => VariantRunner | undefined): Promise<void> {
  const req = (await readInput()) as RunnerRequest;
  await initBackend(req.backend);
  const loaded = loadModules(req.studentDir, req.modules, { skip: req.unloadable, onLoad: (module) => post({ type: 'loading', module }) });
  const runs = wholeRuns(req.publicModule);
  if (process.env.RLHW_CHILD_CACHE === 'write') runs(); // the compile cache's writer loads them too (compile-cache.js)
  const variants = variantsFor(req);
  for (const call of req.calls) {
    post({ type: 'start', id: call.id });
    const result = runCall(loaded, call, call.harness.kind === 'run' ? runs() : {});
    post({ type: 'result', result, variants: variants?.(loaded, call) });
  }
  post({ type: 'done' });
}

/** Serves the request on the channel, then exits (a harness failure is sent as 'fatal'). */
export function serveAndExit(variantsFor: (req: RunnerRequest) => VariantRunner | undefined = () => undefined): void {
  serve(variantsFor).then(
    () => process.exit(0),
    (err: unknown) => {
      try {
        post({ type: 'fatal', message: (err instanceof Error ? err.message : String(err)).split('\n')[0] });
      } finally {
        process.exit(1);
      }
    },
  );
}
