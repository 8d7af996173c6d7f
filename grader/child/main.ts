/**
 * The grader's runner child (started by entry.js): the loop of serve.ts, plus the diagnostic
 * variants of every call when the request names the assignment's private module, which only the
 * trusted reference does (the sandboxed child cannot even read it).
 */
import { serveAndExit } from './serve';

serveAndExit((req) => {
  const privateModule = req.privateModule;
  if (!privateModule) return undefined;
  const diagnostics = require('../diagnostics/run') as typeof import('../diagnostics/run');
  return (loaded, call) => diagnostics.runVariants(privateModule, loaded, call);
});
