#!/usr/bin/env node
// The rlgrade command: registers tsx's TypeScript loader, then runs grader/cli/main.ts.
process.env.RLHW_QUIET = process.env.RLHW_QUIET || '1';
require('tsx/cjs');
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code), (err) => {
    process.stderr.write(`rlgrade: ${String((err && err.message) || err).split('\n')[0]}\n`);
    process.exit(2);
  });
