// Start-up of the runner child (part of section 3, and a target of its own): from spawning
// `node grader/runner/child-entry.js` to its exit, for a request with no calls, so the child
// loads its TypeScript loader, TensorFlow.js and the wasm backend, and every student module of
// solutions/. Plain (a child process) and sandboxed (user drop, namespaces, limits, as grading runs it).
import { base, type Context, type StartupSection } from '../context';
import { run, worker } from '../spawn';
import { say, stat } from '../stats';

interface StartupOut {
  seconds: number[];
  mechanisms: string[];
}

export async function startupSection(ctx: Context): Promise<StartupSection> {
  const runs = String(ctx.runs + 2); // the first two warm the disk cache and are left out
  say('startup: plain child');
  const plain = await worker<StartupOut>('bench/workers/startup.ts', ['--runs', runs, '--backend', ctx.backend]);
  say('startup: sandboxed child');
  let sandboxed: StartupOut | undefined;
  let why: string | undefined;
  try {
    sandboxed = await worker<StartupOut>('bench/workers/startup.ts', ['--runs', runs, '--backend', ctx.backend, '--sandbox', '--user', ctx.sandboxUser]);
  } catch (err) {
    why = (err as Error).message;
  }
  const loader = await run(process.execPath, ['-e', "process.stdout.write(require('./grader/runner/ts-loader.js').register())"]);
  return {
    ...base(ctx),
    plain: stat(plain.seconds.slice(2), 's'),
    sandboxed: sandboxed ? stat(sandboxed.seconds.slice(2), 's') : undefined,
    mechanisms: sandboxed?.mechanisms,
    loader: loader.stdout.trim() || 'unknown',
    notes: [
      'Spawn to exit of a runner child given no calls: Node start, the TypeScript loader, TensorFlow.js and the wasm backend ready, the seven modules of solutions/ loaded, exit.',
      ...(why ? [`The sandboxed child could not run: ${why}`] : []),
    ],
  };
}
