// The default project runs on wasm unless the caller forces a backend (RLHW_BACKEND=cpu npm test).
process.env.RLHW_BACKEND = process.env.RLHW_BACKEND || 'wasm';
process.env.RLHW_QUIET = '1';
// Jest's workers already fill the cores: each grading in a test runs one runner child at a time
// (grader/runner/lanes.ts), unless the test asks for two (tests/grader/lanes.test.ts).
process.env.RLHW_LANES = process.env.RLHW_LANES || '1';
