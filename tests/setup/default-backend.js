// The default project runs on wasm unless the caller forces a backend (RLHW_BACKEND=cpu npm test).
process.env.RLHW_BACKEND = process.env.RLHW_BACKEND || 'wasm';
process.env.RLHW_QUIET = '1';
