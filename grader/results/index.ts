/** Gradescope results.json: its schema, validation, atomic writing, and the failure fallback. */
export { RESULTS_SCHEMA_PATH, validateResults, writeResults } from './validate';
export { failureResults, safeReason } from './failure';
export type { FailureResults } from './failure';
export type { GradescopeResults, GradescopeTest, LeaderboardEntry, OutputFormat, ResultsVisibility } from './types';
