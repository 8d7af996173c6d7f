/**
 * `rlgrade new NAME`: a new assignment folder that works at once with validate, build, handout and
 * grade: one question, one student function with its solution markers, a generator, a visible and
 * a hidden case, one known mistake with its hint, a handout README. Course staff then replace the
 * example with their own homework (docs/staff-guide.md, "Writing a new homework").
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What a new assignment folder holds, file by file (paths relative to the folder). */
function files(name: string, engine: string): Record<string, string> {
  return {
    'README.md': `# ${name}

An assignment of the kit, made by \`rlgrade new ${name}\`. The engine loads it through
\`grader/assignment/plugin.ts\`:

| path | what it holds |
| --- | --- |
| \`assignment.yaml\` | questions, points, cases, limits (schema: \`grader/schema/assignment.schema.json\`) |
| \`solutions/\` | the student files, complete; what students write sits between \`BEGIN SOLUTION\` and \`END SOLUTION\` |
| \`starter/\` | generated from \`solutions/\` by \`npm run build:starter\`; never edited by hand |
| \`public/\` | how each function is called (its harness and argument names), whole runs, output checks: loaded by the runner child and shipped in the handout |
| \`private/\` | case generators, known mistakes with their hints, reports of whole runs: trusted side only |
| \`handout/\` | the handout's README template and each question's formulas |
| \`provided\` | a link to the kit's \`provided/\`, so that student files import \`../provided/...\` here as in the handout |

Try it: \`npx rlgrade validate --assignment assignments/${name}\`, then \`npx rlgrade grade
assignments/${name}/solutions --assignment assignments/${name}\`.
`,
    'assignment.yaml': `# ${name}: questions, points, cases and limits. Schema: grader/schema/assignment.schema.json.
# Case inputs come from the generators of private/index.ts; a hidden case's seed comes from the
# course secret, so students cannot reproduce it.
title: ${name}
total_points: 10
submission:
  files: [hw.ts]
grading:
  backend: wasm
  limits: { memory_mib: 1536, wall_factor: 3, startup_cpu_seconds: 20, total_seconds: 480 }
case_defaults:
  tolerance: { atol: 1.0e-5, rtol: 1.0e-4 }
  time_limit: 10
  partial: all-or-nothing
questions:
  - { id: Q1.1, title: Scaling a vector, points: 10, functions: [scale] }
cases:
  - { id: scale-small, question: Q1.1, target: hw.scale, visibility: visible, inputs: { generator: vector, size: 6, k: 2.5, seed: 1 } }
  - { id: scale-hidden, question: Q1.1, target: hw.scale, visibility: hidden, partial: fraction, inputs: { generator: vector, size: 20, k: -0.75 } }
`,
    'solutions/hw.ts': `// The student file of ${name}: write every function marked YOUR CODE HERE.
import * as tf from '@tensorflow/tfjs';

/** y = k * x, element by element. */
export function scale(x: tf.Tensor1D, k: number): tf.Tensor1D {
  // BEGIN SOLUTION
  return tf.mul(x, k) as tf.Tensor1D;
  // END SOLUTION
}
`,
    'public/index.ts': `/**
 * The public part of ${name}'s grading: how each student function is called. Loaded by the runner
 * child and shipped in the handout: nothing here is secret.
 */
import type { PublicGrading } from '${engine}/assignment/public-grading';

export const grading: PublicGrading = {
  targets: {
    // hw.ts's scale(x, k): returns a tensor, compared with the reference's.
    'hw.scale': { harness: { kind: 'function' }, args: ['x', 'k'] },
  },
  runs: {},
  reads: [],
  outputChecks: [],
};
`,
    'private/index.ts': `/**
 * The private part of ${name}'s grading: the case generators (hidden inputs come from them and the
 * course secret) and the known mistakes, each a changed reference function with the hint a student
 * sees when their outputs match it. Trusted side only.
 */
import type { PrivateGrading } from '${engine}/assignment/plugin';
import type { PlainTensor } from '${engine}/child/protocol';
import { variant } from '${engine}/diagnostics/define';

/** \`size\` values drawn from N(0, 1), as float32. */
const vector = (size: number, normal: () => number): PlainTensor => ({ shape: [size], data: Array.from(Float32Array.from({ length: size }, normal)) });

export const grading: PrivateGrading = {
  generators: {
    // inputs: { generator: vector, size: N, ... }: the argument x; k comes from the case's inputs.
    vector: (p, rng) => ({ x: vector(Number(p.size), () => rng.normal()) }),
  },
  variants: [
    variant('hw.scale', 'forgot-k', 'Multiply every element by k.', () => (x: { clone(): unknown }) => x.clone()),
  ],
  reports: {},
};
`,
    'handout/README.md.hbs': `# {{title}}

Write every function whose body says \`YOUR CODE HERE\` in \`{{homeworkDir}}/\`
({{#each submission}}\`{{this}}\`{{#unless @last}}, {{/unless}}{{/each}}), test with \`npm test\`, and submit
with \`npm run submit\`.

## Questions

{{totalPoints}} autograded points.

{{#each groups}}
### {{title}}

{{#each questions}}
#### {{id}} {{title}} — {{points}} point{{#unless onePoint}}s{{/unless}}

{{#if functions.length}}
Write {{#each functions}}\`{{signature}}\` in \`{{file}}\`{{#unless @last}}; {{/unless}}{{/each}}.
{{/if}}
{{#if assignment}}

    {{assignment}}

{{/if}}
{{#if isCases}}
Test: \`npm test -- -t {{id}}\` — public cases worth {{publicPoints}} of the {{points}} points; the rest are hidden cases.
{{/if}}

{{/each}}
{{/each}}
`,
    'handout/questions.yaml': `# The formulas of each question for the handout's README.md, keyed by question id.
groups:
  Q1: Vectors

questions:
  Q1.1:
    assignment: "y = k * x, element by element"
`,
  };
}

/** Creates assignments/NAME in the kit at `kitRoot`; returns the folder. Refuses a name that exists. */
export function scaffoldAssignment(kitRoot: string, name: string): string {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(name)) throw new Error(`rlgrade new: '${name}' is not a folder name (lower-case letters, digits and dashes, starting with a letter)`);
  const dir = path.join(kitRoot, 'assignments', name);
  if (fs.existsSync(dir)) throw new Error(`rlgrade new: ${dir} already exists`);
  const engine = path.relative(path.join(dir, 'public'), path.join(kitRoot, 'grader')).split(path.sep).join('/');
  for (const [rel, text] of Object.entries(files(name, engine))) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  fs.symlinkSync(path.relative(dir, path.join(kitRoot, 'provided')), path.join(dir, 'provided'));
  return dir;
}
