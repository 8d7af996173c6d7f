// The handout's README renderer and leak-check rules on question lists and paths other than the kit's:
// written (manual) questions, questions without formula text, a question the text file does not
// know, whole runs; no build needed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FORBIDDEN, isAllowed } from '../../authoring/handout/layout';
import { distinctive } from '../../authoring/handout/leak-check';
import { functionsOf, renderReadme } from '../../authoring/handout/readme';
import type { PublicData, PublicQuestion } from '../../handout/public-cases';

const KIT_ASSIGNMENT = path.resolve(__dirname, '../../assignments/offline-rl');

function question(id: string, over: Partial<PublicQuestion> = {}): PublicQuestion {
  return { id, title: `Title of ${id}`, points: 4, extraCredit: false, functions: [], kind: 'cases', publicPoints: 2, cases: [], ...over };
}

/** An assignment folder with the kit's template and the given questions.yaml text. */
function assignmentDir(questionsYaml: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-readme-'));
  fs.mkdirSync(path.join(dir, 'handout'));
  fs.copyFileSync(path.join(KIT_ASSIGNMENT, 'handout/README.md.hbs'), path.join(dir, 'handout/README.md.hbs'));
  fs.writeFileSync(path.join(dir, 'handout/questions.yaml'), questionsYaml);
  return dir;
}

const data = (questions: PublicQuestion[]): PublicData => ({ title: 'A test homework', backend: 'wasm', submission: ['iql.ts', 'fqe.ts'], limits: { startupSeconds: 20, memoryMiB: 1536 }, stakes: {}, publicModule: 'assignments/hw/public/index.ts', questions });
const functions = functionsOf(new Map([['homework/iql.ts', 'export function expectileLoss(u: tf.Tensor1D, tau: number): tf.Tensor1D {\n  return u;\n}\n']]));

test('any question list renders: written questions in their own section, formulas where given, warnings for the rest', () => {
  const dir = assignmentDir('groups: { Q3: IQL }\nquestions:\n  Q3.1: { lecture: "l_{1-tau}(V - Q)", assignment: "L_tau(u) = |tau - 1(u < 0)| * u^2" }\n  Q9.9: { lecture: x }\n');
  const { text, warnings } = renderReadme({
    assignmentDir: dir,
    totalPoints: 10,
    homeworkDir: 'homework',
    datasets: ['stitch'],
    functions,
    data: data([
      question('Q3.1', { title: 'Expectile loss', functions: ['expectileLoss'] }),
      question('Q8.1', { title: 'A new question', functions: ['notWrittenAnywhere'] }),
      question('Q8.2', { title: 'A whole run', cases: [{ wholeRun: true } as PublicQuestion['cases'][number]] }),
      question('Q8.3', { title: 'Explain it', kind: 'written', points: 5, publicPoints: 0, note: 'Say why the estimate is biased.' }),
    ]),
  });
  expect(text).toContain('#### Q3.1 Expectile loss — 4 points');
  expect(text).toContain('Write `expectileLoss(u: tf.Tensor1D, tau: number): tf.Tensor1D` in `homework/iql.ts`.');
  expect(text).toContain('l_{1-tau}(V - Q)');
  expect(text).toContain('### IQL');
  expect(text).toContain('### Questions Q8');
  expect(text).toContain('`npm run test:runs -- -t Q8.2`');
  expect(text).toMatch(/## Written questions[\s\S]*### Q8\.3 Explain it — 5 points\n\nSay why the estimate is biased\./);
  expect(text).toContain('10 autograded points, plus 5 points of written questions.');
  expect(text).not.toMatch(/\n\n\n/);
  expect(warnings.sort()).toEqual([
    'Q8.1: function notWrittenAnywhere is not exported by any starter file',
    'handout/questions.yaml: no formula text for Q8.1 (A new question)',
    'handout/questions.yaml: no formula text for Q8.2 (A whole run)',
    'handout/questions.yaml: question Q9.9 is not in the assignment',
  ]);
});

test('a malformed questions.yaml is a one-line error naming the file and the field', () => {
  const dir = assignmentDir('questions:\n  Q3.1: { lecture: 3 }\n');
  expect(() => renderReadme({ assignmentDir: dir, totalPoints: 1, homeworkDir: 'homework', datasets: [], functions, data: data([question('Q3.1')]) })).toThrow(
    /questions\.yaml: field 'questions\.Q3\.1\.lecture' must be a string$/,
  );
});

test('the allow-list names files, not questions: any submission list, provided modules, datasets', () => {
  const submission = ['iql.ts', 'newtopic.ts'];
  expect(isAllowed('homework/newtopic.ts', submission)).toBe(true);
  expect(isAllowed('homework/other.ts', submission)).toBe(false);
  expect(isAllowed('provided/maze/env.ts', submission)).toBe(true);
  expect(isAllowed('provided/maze/env.test.ts', submission)).toBe(false);
  expect(isAllowed('fixtures/datasets/stitch.npz', submission)).toBe(true);
  expect(isAllowed('assignments/offline-rl/buggy/x/manifest.json', submission)).toBe(false);
  expect(isAllowed('grader/diagnostics/variants.ts', submission)).toBe(false);
  expect(isAllowed('grader/scoring/compare.ts', submission)).toBe(true);
});

test('only numbers with 7 or more significant digits count as distinctive', () => {
  expect(distinctive(0.5299999713897705)).toBe(true);
  expect(distinctive(-1.234567)).toBe(true);
  expect(distinctive(0.51875)).toBe(false);
  expect(distinctive(3)).toBe(false);
  expect(distinctive(Number.NaN)).toBe(false);
});

test('the deny list covers every variant file and every case generator, whatever its name, and the sandbox and child entry of the grader', () => {
  const denied = (rel: string) => FORBIDDEN.some((f) => f.pattern.test(rel));
  for (const rel of ['grader/diagnostics/variants.ts', 'grader/diagnostics/fqe-variants.ts', 'grader/diagnostics/updates.ts', 'grader/cases/seed.ts', 'grader/cases/generators.ts', 'solutions/iql.ts', 'x/reference-0123abcd.json', 'assignments/offline-rl/assignment.yaml', 'assignments/offline-rl/private/generators.ts', 'assignments/any/private/variants.ts', 'grader/child/main.ts', 'grader/child/entry.js', 'grader/sandbox/run.ts', 'grader/sandbox/confine.c', 'grader/runner/launch.ts', 'grader/runner/reference.ts']) {
    expect({ rel, denied: denied(rel) }).toEqual({ rel, denied: true });
  }
  // The local runs' child and parent ship (local-entry.js, serve.ts, run-calls.ts, plain-launch.ts and the sandbox's types).
  for (const rel of ['grader/diagnostics/match.ts', 'assignments/offline-rl/public/output-checks.ts', 'assignments/offline-rl/public/targets.ts', 'provided/train/fqe.ts', 'grader/child/local-entry.js', 'grader/child/serve.ts', 'grader/runner/run-calls.ts', 'grader/runner/plain-launch.ts', 'grader/sandbox/types.ts', 'grader/sandbox/capture.ts']) {
    expect({ rel, denied: denied(rel) }).toEqual({ rel, denied: false });
  }
});
