#!/usr/bin/env node
// The entry of run_autograder, setup.sh and the grader image: the `gradescope`, `build` and
// `autograder` commands of rlgrade alone (grader/gradescope/entry.ts), so that grading loads
// only what it needs and runs with the runtime packages (`npm ci --omit=dev`), whatever the
// other rlgrade commands import.
process.env.RLHW_QUIET = process.env.RLHW_QUIET || '1';
require('tsx/cjs');
const argv = process.argv.slice(2);
require('../gradescope/entry.ts')
  .main(argv)
  .then((code) => {
    if (argv[0] !== 'build') process.exit(code);
    // build: let the writes still pending finish before exiting (tsx writes its cache of the
    // grader's modules asynchronously, and the grader image keeps that cache), at most 10 s more.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 10_000).unref();
  }, (err) => {
    process.stderr.write(`autograder: ${String((err && err.message) || err).split('\n')[0]}\n`);
    process.exit(2);
  });
