// The runner child's compile cache (grader/child/compile-cache.js, made by grader/runner/compile-cache.ts):
// only public files go in, a child with the grading flags compiles TensorFlow.js and the kit from it,
// and an entry is used only for the exact source it was made from.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadAssignment } from '../../grader/assignment/load';
import { childCacheFolder, childCacheMark, ensureChildCompileCache, kitFingerprint, missingChildCaches } from '../../grader/runner/compile-cache';
import { childExecArgv } from '../../grader/runner/plain-launch';

const KIT = path.resolve(__dirname, '../..');
const CACHE = path.resolve(KIT, 'grader/child/compile-cache.js');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const { isPublic } = require(CACHE) as { isPublic(f: string): boolean };

const a = loadAssignment();
let folder: string;

beforeAll(async () => {
  expect(await ensureChildCompileCache(a, a.backend, [a.limits.memoryMiB])).toBe(true);
  folder = childCacheFolder(a.limits.memoryMiB);
}, 120_000);

/** Runs `script` in a node with the runner child's V8 flags (and no others: not -e); returns its last line of output, parsed. */
function inChild(script: string): unknown {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-')), 'child.js');
  fs.writeFileSync(file, script);
  try {
    const out = execFileSync(process.execPath, [...childExecArgv(a.limits.memoryMiB), file], { cwd: KIT, encoding: 'utf8', env: { ...process.env, RLHW_CHILD_CACHE: '' } });
    return JSON.parse(out.trim().split('\n').pop()!);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

test.each([
  ['node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js', true],
  ['provided/nets/mlp.ts', true],
  ['grader/child/serve.ts', true],
  ['assignments/offline-rl/public/index.ts', true],
  ['assignments/offline-rl/solutions/iql.ts', false],
  ['assignments/offline-rl/private/index.ts', false],
  ['assignments/offline-rl/starter/iql.ts', false],
  ['grader/runner/reference.ts', false],
  ['node_modules/.cache/rlhw-child/x.js', false],
  ['../elsewhere/provided/nets/mlp.ts', false],
])('%s is cached: %s', (file, expected) => {
  expect(isPublic(path.join(KIT, file))).toBe(expected);
});

test('the writer keeps the kit stripped, named by its source, and nothing of the solutions', () => {
  const entries = fs.readdirSync(folder);
  expect(entries).toContain(`COMPLETE-${childCacheMark(a, a.backend).replace(/[^A-Za-z0-9._-]/g, '_')}`);
  const mlp = fs.readFileSync(path.join(KIT, 'provided/nets/mlp.ts'), 'utf8');
  const stripped = fs.readFileSync(path.join(folder, `${sha256(mlp)}.js`), 'utf8');
  expect(stripped).toContain('criticValues');
  expect(stripped.split('\n').length).toBe(mlp.split('\n').length); // sucrase keeps the lines
  const secret = ['solutions', 'private'].flatMap((d) => fs.readdirSync(path.join(a.codeDir, d)).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(a.codeDir, d, f), 'utf8')));
  for (const source of secret) expect(entries).not.toContain(`${sha256(source)}.js`);
  for (const e of entries.filter((n) => n.endsWith('.js'))) expect(fs.readFileSync(path.join(folder, e), 'utf8')).not.toContain('BEGIN SOLUTION');
  for (const e of entries) expect(fs.statSync(path.join(folder, e)).mode & 0o022).toBe(0); // no one else may write
});

test("a writer that loaded the solutions keeps nothing of them (only public files go in)", async () => {
  // The homework of this writer is the reference solution, as a mistake could make it.
  const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-writer-'));
  fs.symlinkSync(path.join(a.codeDir, 'solutions'), path.join(codeDir, 'starter'));
  fs.symlinkSync(path.join(a.codeDir, 'public'), path.join(codeDir, 'public'));
  const mib = a.limits.memoryMiB + 1; // a folder of its own
  const own = childCacheFolder(mib);
  try {
    expect(await ensureChildCompileCache({ ...a, codeDir }, a.backend, [mib])).toBe(true);
    const entries = fs.readdirSync(own);
    expect(entries.filter((e) => e.endsWith('.js')).length).toBeGreaterThan(10);
    const solutions = fs.readdirSync(path.join(a.codeDir, 'solutions')).filter((f) => f.endsWith('.ts'));
    for (const f of solutions) expect(entries).not.toContain(`${sha256(fs.readFileSync(path.join(a.codeDir, 'solutions', f), 'utf8'))}.js`);
    for (const e of entries.filter((n) => n.endsWith('.js'))) expect(fs.readFileSync(path.join(own, e), 'utf8')).not.toContain('BEGIN SOLUTION');
  } finally {
    fs.rmSync(own, { recursive: true, force: true });
    fs.rmSync(codeDir, { recursive: true, force: true });
  }
}, 120_000);

test('a kit whose node_modules links to another copy\'s counts that copy\'s packages as public, not its dot-folders', () => {
  // The Gradescope test (and any install that links node_modules in) shares the cache folder:
  // a writer there that left TensorFlow.js out would mark the shared folder complete without it.
  const kit = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-linked-'));
  try {
    fs.mkdirSync(path.join(kit, 'grader/child'), { recursive: true });
    fs.copyFileSync(CACHE, path.join(kit, 'grader/child/compile-cache.js'));
    fs.symlinkSync(path.join(KIT, 'node_modules'), path.join(kit, 'node_modules'));
    const real = fs.realpathSync(path.join(KIT, 'node_modules'));
    const files = [path.join(real, '@tensorflow/tfjs-core/dist/tf-core.node.js'), path.join(real, '.cache/rlhw-child/x.js'), path.join(KIT, 'provided/nets/mlp.ts')];
    const script = `const c = require(${JSON.stringify(path.join(kit, 'grader/child/compile-cache.js'))}); console.log(JSON.stringify(${JSON.stringify(files)}.map(c.isPublic)));`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim())).toEqual([true, false, false]);
  } finally {
    fs.rmSync(kit, { recursive: true, force: true });
  }
});

test('a new version of the public sources gets its own mark, which the next grading writes', async () => {
  // An assignment whose public/ holds links to the real files and one file of its own, to change.
  const codeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-cache-version-'));
  fs.mkdirSync(path.join(codeDir, 'public'));
  for (const f of fs.readdirSync(path.join(a.codeDir, 'public'))) fs.symlinkSync(path.join(a.codeDir, 'public', f), path.join(codeDir, 'public', f));
  fs.symlinkSync(path.join(a.codeDir, 'starter'), path.join(codeDir, 'starter'));
  const probe = path.join(codeDir, 'public', 'probe.txt');
  fs.writeFileSync(probe, 'one');
  const b = { ...a, codeDir };
  const mib = a.limits.memoryMiB + 2; // a folder of its own
  try {
    expect(await ensureChildCompileCache(b, a.backend, [mib])).toBe(true);
    expect(missingChildCaches(b, a.backend, [mib])).toEqual([]);
    const first = kitFingerprint(b);
    fs.writeFileSync(probe, 'two, longer'); // as a git pull would change a file
    expect(kitFingerprint(b)).not.toBe(first);
    expect(missingChildCaches(b, a.backend, [mib])).toEqual([childCacheFolder(mib)]);
    expect(await ensureChildCompileCache(b, a.backend, [mib])).toBe(true);
    expect(missingChildCaches(b, a.backend, [mib])).toEqual([]);
    expect(fs.readdirSync(childCacheFolder(mib)).filter((n) => n.startsWith('COMPLETE-'))).toHaveLength(2);
  } finally {
    fs.rmSync(childCacheFolder(mib), { recursive: true, force: true });
    fs.rmSync(codeDir, { recursive: true, force: true });
  }
}, 120_000);

test('a child with the grading flags compiles TensorFlow.js from the cache, which V8 accepts', () => {
  const counts = inChild(`
    const vm = require('node:vm');
    const counts = { accepted: 0, rejected: 0 };
    const Script = vm.Script;
    vm.Script = class extends Script {
      constructor(source, o) { super(source, o); if (o && o.cachedData) counts[this.cachedDataRejected ? 'rejected' : 'accepted']++; }
    };
    require(${JSON.stringify(CACHE)}).install();
    require(${JSON.stringify(require.resolve('@tensorflow/tfjs-core'))});
    console.log(JSON.stringify(counts));`) as { accepted: number; rejected: number };
  expect(counts).toEqual({ accepted: expect.any(Number), rejected: 0 });
  expect(counts.accepted).toBeGreaterThanOrEqual(1);
});

test('an entry is used only for the source it was made from', () => {
  const file = path.join(KIT, 'provided/nets/mlp.ts');
  const r = inChild(`
    const c = require(${JSON.stringify(CACHE)});
    c.install();
    const source = require('node:fs').readFileSync(${JSON.stringify(file)}, 'utf8');
    const fresh = () => 'made now';
    console.log(JSON.stringify([c.strippedTypeScript(source, ${JSON.stringify(file)}, fresh) === 'made now', c.strippedTypeScript(source + ' ', ${JSON.stringify(file)}, fresh)]));`);
  expect(r).toEqual([false, 'made now']);
});

test("a file with a dynamic import() never goes through V8's cache (vm.Script has no loader for it in Node 20)", () => {
  const { cacheable } = require(CACHE) as { cacheable(f: string, content: string): boolean };
  const file = path.join(KIT, 'provided/data/x.js');
  expect(cacheable(file, 'module.exports = 1;')).toBe(true);
  expect(cacheable(file, "const m = () => import('h5wasm');")).toBe(false);
  expect(cacheable(file, "new Function('s', 'return import (s)');")).toBe(false);
  // What the rule is for: such a script fails at the import, even inside new Function.
  const script = `const vm = require('node:vm');
    new vm.Script("new Function('s', 'return import(s)')('node:path')", { filename: ${JSON.stringify(file)} }).runInThisContext()
      .then(() => console.log('"loaded"'), (e) => console.log(JSON.stringify(e.code)));`;
  expect(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()).toBe('"ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING"');
});
