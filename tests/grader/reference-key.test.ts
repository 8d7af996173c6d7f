// The reference cache key (grader/runner/reference.ts, referenceKey): it changes with the calls, the
// backend, the files that shape the reference numbers and every bundled dataset the cases read, and
// with nothing else, so a cached reference is reused exactly when it is still right.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { referenceKey } from '../../grader/runner/reference';

const calls: Parameters<typeof referenceKey>[0] = [{ id: 'fqe-run-mixed', target: 'fqe.evaluation', harness: 'fqe', args: [{ steps: 1000 }] }];

/** A small kit: one solution file, one grader file, two datasets and a file that shapes no number. */
function kit(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rlgrade-key-'));
  const write = (rel: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('solutions/fqe.ts', 'export const x = 1;\n');
  write('grader/diagnostics/variants.ts', 'export const VARIANTS = [];\n');
  write('fixtures/datasets/mixed.npz', Buffer.from([1, 2, 3, 4]));
  write('fixtures/datasets/manifest.json', '{"datasets": {}}\n');
  write('docs/notes.md', 'prose\n');
  return root;
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
const newKit = () => {
  const r = kit();
  roots.push(r);
  return r;
};

test('a changed dataset file gives a new key (the cached reference is not reused), and the old bytes the old key', () => {
  const root = newKit();
  const before = referenceKey(calls, 'wasm', root);
  const file = path.join(root, 'fixtures/datasets/mixed.npz');
  fs.writeFileSync(file, Buffer.from([1, 2, 3, 5])); // one byte, same size, manifest untouched
  const changed = referenceKey(calls, 'wasm', root);
  expect(changed).not.toBe(before);
  fs.writeFileSync(file, Buffer.from([1, 2, 3, 4]));
  expect(referenceKey(calls, 'wasm', root)).toBe(before);
});

test('a new dataset file, a changed manifest, solution or grader file each give a new key', () => {
  const root = newKit();
  const base = referenceKey(calls, 'wasm', root);
  const keyAfter = (rel: string, text: string): string => {
    const file = path.join(root, rel);
    const old = fs.existsSync(file) ? fs.readFileSync(file) : undefined;
    fs.writeFileSync(file, text);
    const key = referenceKey(calls, 'wasm', root);
    if (old) fs.writeFileSync(file, old);
    else fs.rmSync(file);
    return key;
  };
  const keys = [
    keyAfter('fixtures/datasets/stitch.npz', 'new'),
    keyAfter('fixtures/datasets/manifest.json', '{"datasets": {"mixed": {}}}\n'),
    keyAfter('solutions/fqe.ts', 'export const x = 2;\n'),
    keyAfter('grader/diagnostics/variants.ts', 'export const VARIANTS = [1];\n'),
  ];
  expect(new Set([base, ...keys]).size).toBe(5);
  expect(referenceKey(calls, 'wasm', root)).toBe(base);
});

test('the calls and the backend are part of the key; files that shape no number are not', () => {
  const root = newKit();
  const base = referenceKey(calls, 'wasm', root);
  expect(referenceKey(calls, 'cpu', root)).not.toBe(base);
  expect(referenceKey([{ ...calls[0], args: [{ steps: 2000 }] }], 'wasm', root)).not.toBe(base);
  fs.writeFileSync(path.join(root, 'docs/notes.md'), 'other prose\n');
  expect(referenceKey(calls, 'wasm', root)).toBe(base);
});

test("the kit's own key is the same from one call to the next", () => {
  const key = referenceKey(calls, 'wasm');
  expect(key).toMatch(/^[0-9a-f]{32}$/);
  expect(referenceKey(calls, 'wasm')).toBe(key);
});
