// The reference cache key (grader/runner/reference.ts, referenceKey): it changes with the calls, the
// backend, the assignment's folder (solutions, grading code), every file its runs read (the bundled
// datasets, by their bytes), the kit's library and the engine code that shapes the numbers, and
// with nothing else, so a cached reference is reused exactly when it is still right.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import type { RunnerCall } from '../../grader/child/protocol';
import { referenceKey } from '../../grader/runner/reference';

const calls: RunnerCall[] = [{ id: 'run-mixed', target: 'fqe.evaluation', harness: { kind: 'run', run: 'fqe' }, args: [{ steps: 1000 }] }];

/** A small kit: one assignment (a solution, its public grading reading the datasets), two datasets, the library, and files that shape no number. */
function kit(): { root: string; a: { codeDir: string } } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-key-'));
  const write = (rel: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('assignments/hw/solutions/fqe.ts', 'export const x = 1;\n');
  write('assignments/hw/private/variants.ts', 'export const VARIANTS = [];\n');
  write('assignments/hw/public/index.ts', "export const grading = { targets: {}, runs: {}, outputChecks: [], reads: ['fixtures/datasets'] };\n");
  write('provided/nets/mlp.ts', 'export const m = 1;\n');
  write('grader/child/harnesses.ts', 'export const h = 1;\n');
  write('fixtures/datasets/mixed.npz', Buffer.from([1, 2, 3, 4]));
  write('fixtures/datasets/manifest.json', '{"datasets": {}}\n');
  write('docs/notes.md', 'prose\n');
  write('grader/report/render.ts', 'export const r = 1;\n');
  return { root, a: { codeDir: path.join(root, 'assignments/hw') } };
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const newKit = () => {
  const k = kit();
  roots.push(k.root);
  return k;
};

test('a changed dataset file gives a new key (the cached reference is not reused), and the old bytes the old key', () => {
  const { root, a } = newKit();
  const before = referenceKey(a, calls, 'wasm', root);
  const file = path.join(root, 'fixtures/datasets/mixed.npz');
  fs.writeFileSync(file, Buffer.from([1, 2, 3, 5])); // one byte, same size, manifest untouched
  expect(referenceKey(a, calls, 'wasm', root)).not.toBe(before);
  fs.writeFileSync(file, Buffer.from([1, 2, 3, 4]));
  expect(referenceKey(a, calls, 'wasm', root)).toBe(before);
});

test('a new dataset file, a changed manifest, solution, private or public grading file, library or engine file each give a new key', () => {
  const { root, a } = newKit();
  const base = referenceKey(a, calls, 'wasm', root);
  const keyAfter = (rel: string, text: string): string => {
    const file = path.join(root, rel);
    const old = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    fs.writeFileSync(file, text);
    const key = referenceKey(a, calls, 'wasm', root);
    if (old) fs.writeFileSync(file, old);
    else fs.rmSync(file);
    return key;
  };
  const keys = [
    keyAfter('fixtures/datasets/stitch.npz', 'new'),
    keyAfter('fixtures/datasets/manifest.json', '{"datasets": {"mixed": {}}}\n'),
    keyAfter('assignments/hw/solutions/fqe.ts', 'export const x = 2;\n'),
    keyAfter('assignments/hw/private/variants.ts', 'export const VARIANTS = [1];\n'),
    keyAfter('assignments/hw/public/extra.ts', 'export const e = 1;\n'),
    keyAfter('provided/nets/mlp.ts', 'export const m = 2;\n'),
    keyAfter('grader/child/harnesses.ts', 'export const h = 2;\n'),
  ];
  expect(new Set([base, ...keys]).size).toBe(keys.length + 1);
  expect(referenceKey(a, calls, 'wasm', root)).toBe(base);
});

test('the calls and the backend are part of the key; files that shape no number are not', () => {
  const { root, a } = newKit();
  const base = referenceKey(a, calls, 'wasm', root);
  expect(referenceKey(a, calls, 'cpu', root)).not.toBe(base);
  expect(referenceKey(a, [{ ...calls[0], args: [{ steps: 2000 }] }], 'wasm', root)).not.toBe(base);
  fs.writeFileSync(path.join(root, 'docs/notes.md'), 'other prose\n');
  fs.writeFileSync(path.join(root, 'grader/report/render.ts'), 'export const r = 2;\n');
  expect(referenceKey(a, calls, 'wasm', root)).toBe(base);
});

test("the kit's own key is the same from one call to the next", () => {
  const a = loadAssignment();
  const key = referenceKey(a, calls, 'wasm');
  expect(key).toMatch(/^[0-9a-f]{32}$/);
  expect(referenceKey(a, calls, 'wasm')).toBe(key);
});
