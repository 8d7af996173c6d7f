// A grading worker of `rlgrade batch` (forked with an IPC channel): registers tsx's TypeScript
// loader, then serves grading tasks until the parent goes away.
process.env.RLHW_QUIET = process.env.RLHW_QUIET || '1';
require('tsx/cjs');
require('./worker.ts').serve();
