/**
 * The runner child: reads one RunnerRequest on the sandbox channel, loads the modules of
 * `studentDir`, runs each call and sends back plain results, one message per call, with a
 * 'start' message before each call so that the parent knows which call was running if the
 * process dies. Started through entry.js (which registers the TypeScript loader).
 */
import { initBackend } from '../../provided/runtime/backend';
import { readInput, send } from './channel';
import type { PublicGrading } from '../assignment/plugin';
import { loadModules, runCall, type WholeRuns } from './execute';
import type { ChildMessage, RunnerRequest } from './protocol';

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

async function main(): Promise<void> {
  const req = (await readInput()) as RunnerRequest;
  await initBackend(req.backend);
  const loaded = loadModules(req.studentDir, req.modules, { skip: req.unloadable, onLoad: (module) => post({ type: 'loading', module }) });
  const runs = wholeRuns(req.publicModule);
  // Diagnostics are loaded only in the trusted reference process (the private module is not readable elsewhere).
  const diagnostics = req.privateModule ? (require('../diagnostics/run') as typeof import('../diagnostics/run')) : undefined;
  for (const call of req.calls) {
    post({ type: 'start', id: call.id });
    const result = runCall(loaded, call, call.harness.kind === 'run' ? runs() : {});
    post({ type: 'result', result, variants: diagnostics?.runVariants(req.privateModule!, loaded, call) });
  }
  post({ type: 'done' });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    try {
      post({ type: 'fatal', message: (err instanceof Error ? err.message : String(err)).split('\n')[0] });
    } finally {
      process.exit(1);
    }
  },
);
