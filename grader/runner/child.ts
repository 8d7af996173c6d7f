/**
 * The runner child: reads one RunnerRequest on the sandbox channel, loads the modules of
 * `studentDir`, runs each call and sends back plain results, one message per call, with a
 * 'start' message before each call so that the parent knows which call was running if the
 * process dies. Started through child-entry.js (which registers the TypeScript loader).
 */
import { initBackend } from '../../provided/runtime/backend';
import { readInput, send } from '../sandbox/channel';
import { loadModules, runCall } from './execute';
import type { ChildMessage, RunnerRequest } from './protocol';
import { evaluateHarness, trainHarness } from './train';
import { fqeRunHarness } from './fqe-run';

const post = (m: ChildMessage): void => send(m);

async function main(): Promise<void> {
  const req = (await readInput()) as RunnerRequest;
  await initBackend(req.backend);
  const loaded = loadModules(req.studentDir, { skip: req.unloadable, onLoad: (module) => post({ type: 'loading', module }) });
  // Diagnostics are loaded only in the trusted reference process.
  const variants = req.variants ? (require('../diagnostics/run') as typeof import('../diagnostics/run')) : undefined;
  for (const call of req.calls) {
    post({ type: 'start', id: call.id });
    const result = runCall(loaded, call, { train: trainHarness, fqe: fqeRunHarness, evaluate: evaluateHarness });
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
