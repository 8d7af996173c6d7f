// The bundled buggy submissions (fixtures/submissions/buggy/<mistake>/): each holds the one
// student file with the mistake and a manifest naming the question that must lose points and
// words its hint must contain. A full submission is the reference files with that file over them.
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
}

export const buggyNames = (): string[] => fs.readdirSync(BUGGY_DIR).filter((n) => fs.existsSync(path.join(BUGGY_DIR, n, 'manifest.json'))).sort();
export const buggyManifest = (name: string): BuggyManifest => JSON.parse(fs.readFileSync(path.join(BUGGY_DIR, name, 'manifest.json'), 'utf8')) as BuggyManifest;

/** A new temporary folder with every solution file, then the fixture's own files over them. */
export function buggySubmission(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rlgrade-buggy-${name}-`));
  for (const f of fs.readdirSync(SOLUTIONS_DIR)) fs.copyFileSync(path.join(SOLUTIONS_DIR, f), path.join(dir, f));
  for (const f of fs.readdirSync(path.join(BUGGY_DIR, name)).filter((n) => n.endsWith('.ts'))) fs.copyFileSync(path.join(BUGGY_DIR, name, f), path.join(dir, f));
  return dir;
}
