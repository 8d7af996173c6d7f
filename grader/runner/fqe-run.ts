// Moved to grader/child/fqe-run.ts (the untrusted runner's side); this re-export keeps older imports working
// until every importer names the new place.
export * from '../child/fqe-run';
