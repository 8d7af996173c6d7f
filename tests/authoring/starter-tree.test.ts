// Generating, comparing (--check) and writing a whole starter/ directory, in a temporary repository.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareStarter, generateStarter, writeStarter, type StarterLayout } from '../../authoring/starter-tree';
import { STARTER_HEADER } from '../../authoring/starter';

const SOLUTION_A = ['export function a(x: number): number {', '  return x + 1; // SOLUTION', '}', ''].join('\n');
const SOLUTION_B = ['export function b(): string {', '  // BEGIN SOLUTION', "  return 'b';", '  // END SOLUTION', '}', ''].join('\n');

let layout: StarterLayout;
const write = (rel: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(layout.root, rel)), { recursive: true });
  fs.writeFileSync(path.join(layout.root, rel), text);
};
const read = (rel: string): string => fs.readFileSync(path.join(layout.root, rel), 'utf8');
const exists = (rel: string): boolean => fs.existsSync(path.join(layout.root, rel));

beforeEach(() => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-starter-'));
  layout = { root, solutionsDir: 'solutions', starterDir: 'starter', assignmentFile: 'assignments/offline-rl/assignment.yaml' };
  write('solutions/a.ts', SOLUTION_A);
  write('solutions/b.ts', SOLUTION_B);
  write('solutions/types.d.ts', 'declare const ignored: number;\n');
});
afterEach(() => fs.rmSync(layout.root, { recursive: true, force: true }));

test('generates one starter file per solution .ts file, sorted', () => {
  const { files } = generateStarter(layout);
  expect(files.map((f) => [f.source, f.target])).toEqual([
    ['solutions/a.ts', 'starter/a.ts'],
    ['solutions/b.ts', 'starter/b.ts'],
  ]);
  expect(files[1].text).toContain("throw new NotImplementedError('b');");
});

test('question ids come from the assignment file; unknown names are reported', () => {
  write(layout.assignmentFile, 'questions:\n  - id: Q1\n    functions: [a, typo]\n');
  const { files, unmatchedQuestionFunctions } = generateStarter(layout);
  expect(files[0].text).toContain("throw new NotImplementedError('a', 'Q1');");
  expect(unmatchedQuestionFunctions).toEqual(['typo']);
});

test('marker errors name the solution file', () => {
  write('solutions/c.ts', 'export function c(): void {\n  // BEGIN SOLUTION\n}\n');
  expect(() => generateStarter(layout)).toThrow(/^solutions\/c\.ts:2: BEGIN SOLUTION without a matching END SOLUTION$/);
});

test('check lists missing, out-of-date and orphan files; write fixes them', () => {
  const { files } = generateStarter(layout);
  expect(compareStarter(layout, files)).toEqual([
    { file: 'starter/a.ts', problem: 'missing' },
    { file: 'starter/b.ts', problem: 'missing' },
  ]);

  expect(writeStarter(layout, files)).toEqual({ written: ['starter/a.ts', 'starter/b.ts'], unchanged: [], removed: [], foreign: [] });
  expect(compareStarter(layout, files)).toEqual([]);
  expect(read('starter/a.ts')).toBe(files[0].text);

  write('starter/a.ts', `${files[0].text}// edited by hand\n`);
  write('starter/old.ts', `${STARTER_HEADER}\nexport const old = 1;\n`);
  write('starter/notes.md', 'not TypeScript: ignored\n');
  expect(compareStarter(layout, files)).toEqual([
    { file: 'starter/a.ts', problem: 'out of date' },
    { file: 'starter/old.ts', problem: 'no solution source' },
  ]);

  expect(writeStarter(layout, files)).toEqual({ written: ['starter/a.ts'], unchanged: ['starter/b.ts'], removed: ['starter/old.ts'], foreign: [] });
  expect(compareStarter(layout, files)).toEqual([]);
  expect(exists('starter/notes.md')).toBe(true);
});

test('write leaves a hand-written starter file alone and reports it', () => {
  write('starter/helper.ts', 'export const helper = 1;\n');
  const { files } = generateStarter(layout);
  expect(writeStarter(layout, files).foreign).toEqual(['starter/helper.ts']);
  expect(exists('starter/helper.ts')).toBe(true);
  expect(compareStarter(layout, files)).toEqual([{ file: 'starter/helper.ts', problem: 'no solution source' }]);
});

test('an empty or absent solutions/ gives an empty starter', () => {
  fs.rmSync(path.join(layout.root, 'solutions'), { recursive: true });
  expect(generateStarter(layout).files).toEqual([]);
});
