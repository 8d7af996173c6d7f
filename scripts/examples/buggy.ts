// The bundled buggy submissions of an assignment (assignments/<name>/buggy/<mistake>/manifest.json):
// each names one student file, the edits that put ONE known mistake of the contract
// (docs/contract.md §8, §9) into the reference version of it, the question that must lose points
// and words its hint must contain. Storing the edits, not a copy of the file, keeps every fixture
// in step with the assignment's solutions/. Without `assignment`, the default assignment's.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultAssignmentDir } from '../../grader/assignment/load';

export interface BuggyManifest {
  question: string;
  hint_contains: string;
  file: string;
  /** Each `find` must occur exactly once in the reference file. */
  edits: Array<{ find: string; replace: string }>;
}

/** The folder of an assignment's buggy submissions. */
export const buggyDir = (assignment = defaultAssignmentDir()): string => path.join(assignment, 'buggy');
/** The folder of an assignment's reference solutions. */
export const solutionsDir = (assignment = defaultAssignmentDir()): string => path.join(assignment, 'solutions');

export const buggyNames = (assignment?: string): string[] => {
  const dir = buggyDir(assignment);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'manifest.json'))).sort() : [];
};
export const buggyManifest = (name: string, assignment?: string): BuggyManifest => JSON.parse(fs.readFileSync(path.join(buggyDir(assignment), name, 'manifest.json'), 'utf8')) as BuggyManifest;

/** The reference text of `m.file` with the fixture's edits applied. */
export function buggySource(name: string, m: BuggyManifest = buggyManifest(name), assignment?: string): string {
  let text = fs.readFileSync(path.join(solutionsDir(assignment), m.file), 'utf8');
  for (const { find, replace } of m.edits) {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`${path.join(buggyDir(assignment), name, 'manifest.json')}: edits: '${find.split('\n')[0]}' occurs ${count} times in solutions/${m.file}, expected once`);
    text = text.replace(find, () => replace);
  }
  return `// Buggy fixture "${name}": solutions/${m.file} with ONE known mistake (docs/contract.md).\n${text}`;
}

/** A new temporary folder with every solution file, the fixture's file replaced by its buggy version. */
export function buggySubmission(name: string, assignment?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rlgrade-buggy-${name}-`));
  const solutions = solutionsDir(assignment);
  for (const f of fs.readdirSync(solutions)) fs.copyFileSync(path.join(solutions, f), path.join(dir, f));
  const m = buggyManifest(name, assignment);
  fs.writeFileSync(path.join(dir, m.file), buggySource(name, m, assignment));
  return dir;
}
