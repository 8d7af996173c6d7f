/**
 * The runner child: reads one RunnerRequest on the sandbox channel, loads the modules of
 * `studentDir`, runs each call and sends back plain results, one message per call, with a
 * 'start' message before each call so that the parent knows which call was running if the
 * process dies. Started through child-entry.js (which registers the TypeScript loader).
 */
import { initBackend } from '../../provided/runtime/backend';
import { readInput, send } from './channel';
import { loadModules, runCall, type WholeRuns } from './execute';
import type { ChildMessage, RunnerRequest } from './protocol';

// The whole-run harnesses (and the data, maze and config code they pull in, YAML among it) are
// loaded by the first call that needs them: most children run unit cases only, and loading them
// up front was a fifth of a child's start-up (docs/benchmarks.md, runner start-up).
const train = (): typeof import('./train') => require('./train') as typeof import('./train');
const WHOLE_RUNS: WholeRuns = {
  train: (impl, args) => train().trainHarness(impl, args),
  evaluate: (impl, args) => train().evaluateHarness(impl, args),
  fqe: (impl, args) => (require('./fqe-run') as typeof import('./fqe-run')).fqeRunHarness(impl, args),
};

const post = (m: ChildMessage): void => send(m);

async function main(): Promise<void> {
  const req = (await readInput()) as RunnerRequest;
  await initBackend(req.backend);
  const loaded = loadModules(req.studentDir, { names: req.modules, skip: req.unloadable, onLoad: (module) => post({ type: 'loading', module }) });
  // Diagnostics are loaded only in the trusted reference process.
  const variants = req.variants ? (require('../diagnostics/run') as typeof import('../diagnostics/run')) : undefined;
  for (const call of req.calls) {
    post({ type: 'start', id: call.id });
    const result = runCall(loaded, call, WHOLE_RUNS);
    post({ type: 'result', result, variants: variants?.runVariants(loaded, call) });
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
