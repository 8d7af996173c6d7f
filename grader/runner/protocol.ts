// Moved to grader/child/protocol.ts (the untrusted runner's side); this re-export keeps older imports working
// until every importer names the new place.
export * from '../child/protocol';
