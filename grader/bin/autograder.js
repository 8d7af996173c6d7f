#!/usr/bin/env node
// The entry of run_autograder, setup.sh and the grader image: the `gradescope`, `build` and
// `autograder` commands of rlgrade alone (grader/gradescope/entry.ts), so that grading loads
// only what it needs and runs with the runtime packages (`npm ci --omit=dev`), whatever the
// other rlgrade commands import.
process.env.RLHW_QUIET = process.env.RLHW_QUIET || '1';
require('tsx/cjs');
require('../gradescope/entry.ts')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code), (err) => {
    process.stderr.write(`autograder: ${String((err && err.message) || err).split('\n')[0]}\n`);
    process.exit(2);
  });
