// The bundled buggy submissions (fixtures/submissions/buggy/<mistake>/manifest.json): each names
// one student file, the edits that put ONE mistake of docs/contract.md §8 into the reference
// version of it, the question that must lose points and words its hint must contain. Storing the
// edits, not a copy of the file, keeps every fixture in step with solutions/.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const BUGGY_DIR = path.join(ROOT, 'fixtures/submissions/buggy');
export const SOLUTIONS_DIR = path.join(ROOT, 'solutions');

export interface BuggyManifest {
  question: string;
  hint_contains: string;
  file: string;
  /** Each `find` must occur exactly once in the reference file. */
  edits: Array<{ find: string; replace: string }>;
}

export const buggyNames = (): string[] => fs.readdirSync(BUGGY_DIR).filter((n) => fs.existsSync(path.join(BUGGY_DIR, n, 'manifest.json'))).sort();
export const buggyManifest = (name: string): BuggyManifest => JSON.parse(fs.readFileSync(path.join(BUGGY_DIR, name, 'manifest.json'), 'utf8')) as BuggyManifest;

/** The reference text of `m.file` with the fixture's edits applied. */
export function buggySource(name: string, m: BuggyManifest = buggyManifest(name)): string {
  let text = fs.readFileSync(path.join(SOLUTIONS_DIR, m.file), 'utf8');
  for (const { find, replace } of m.edits) {
    const count = text.split(find).length - 1;
    if (count !== 1) throw new Error(`${path.join(BUGGY_DIR, name, 'manifest.json')}: edits: '${find.split('\n')[0]}' occurs ${count} times in solutions/${m.file}, expected once`);
    text = text.replace(find, () => replace);
  }
  return `// Buggy fixture "${name}": solutions/${m.file} with ONE mistake (docs/contract.md §8).\n${text}`;
}

/** A new temporary folder with every solution file, the fixture's file replaced by its buggy version. */
export function buggySubmission(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rlgrade-buggy-${name}-`));
  for (const f of fs.readdirSync(SOLUTIONS_DIR)) fs.copyFileSync(path.join(SOLUTIONS_DIR, f), path.join(dir, f));
  const m = buggyManifest(name);
  fs.writeFileSync(path.join(dir, m.file), buggySource(name, m));
  return dir;
}
