/**
 * The grader's runner child (started by entry.js): the loop of serve.ts, plus the diagnostic
 * variants of every call when the request asks for them, which only the trusted reference does.
 */
import { serveAndExit } from './serve';

// Diagnostics are loaded only in the trusted reference process (the sandboxed child cannot even
// see grader/diagnostics/).
serveAndExit((req) => (req.variants ? (require('../diagnostics/run') as typeof import('../diagnostics/run')).runVariants : undefined));
