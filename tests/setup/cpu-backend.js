// Unit-level numerics run a second time on the pure-JS cpu backend.
process.env.RLHW_BACKEND = 'cpu';
process.env.RLHW_QUIET = '1';
