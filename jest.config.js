// Two projects: everything on the default backend (wasm unless RLHW_BACKEND says otherwise),
// and the unit-level numeric tests again on the pure-JS cpu backend.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] };
const common = { testEnvironment: 'node', transform, moduleFileExtensions: ['ts', 'js', 'json'] };
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'default', testMatch: ['<rootDir>/tests/**/*.test.ts'], setupFiles: ['<rootDir>/tests/setup/default-backend.js'] },
    { ...common, displayName: 'cpu', testMatch: ['<rootDir>/tests/numeric/**/*.test.ts'], setupFiles: ['<rootDir>/tests/setup/cpu-backend.js'] },
  ],
};
