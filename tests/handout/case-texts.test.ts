// What a failing public case says, without a handout: its inputs (values of small tensors, shapes
// of large ones, where all of them are), a load failure once per file with what it costs, a case
// that ran out of time with the time it took; and the question spans of the file stakes.
import { questionSpan } from '../../authoring/handout/public-data';
import { describeInputs, errorText, inputLines, loadFailureText, type PublicCase, type PublicData } from '../../handout/public-cases';

const tensor = (shape: number[], data: number[]) => ({ shape, data });

const CASE: PublicCase = {
  id: 'expectile-check',
  name: 'expectile-check',
  call: { id: 'expectile-check', target: 'iql.expectileLoss', harness: { kind: 'function' as const }, args: [tensor([4], [1, -2, 0.123456789, 0]), 0.7] },
  argNames: ['u', 'tau'],
  tolerance: { atol: 1e-5, rtol: 1e-4 },
  partial: 'all-or-nothing',
  maxScore: 2,
  timeLimit: 10,
  reference: { result: { id: 'expectile-check', ok: true, outputs: {}, leaked: 0 } },
};

const DATA = { stakes: { 'iql.ts': { questions: ['Q3.1', 'Q3.2', 'Q3.3'], points: 10, summary: 'Q3.1–Q3.3 (10 points)' } } } as unknown as PublicData;

test('inputs: small tensors with their values (6 digits), large ones by shape, and where all of them are', () => {
  expect(describeInputs(CASE)).toBe('u [4] = [1, -2, 0.123457, 0], tau = 0.7');
  const matrix = { ...CASE, call: { ...CASE.call, args: [tensor([2, 2], [1, 2, 3, 4]), tensor([40], new Array(40).fill(0.5))] }, argNames: ['m', 'big'] };
  expect(describeInputs(matrix)).toBe('m [2, 2] = [[1, 2], [3, 4]], big [40]');
  // A call whose values would make a very long line shows shapes only.
  const many = { ...CASE, call: { ...CASE.call, args: Array.from({ length: 12 }, () => tensor([16], new Array(16).fill(0.123456))) }, argNames: [] };
  expect(describeInputs(many)).toBe(Array.from({ length: 12 }, (_, i) => `arg${i} [16]`).join(', '));
  expect(inputLines(CASE)[1]).toBe('All inputs: tests/public-cases.json, the case with "id": "expectile-check" (its call.args, in the order u, tau).');
});

test('a load failure: the first case of the file says why, where and what it costs; the others refer to it', () => {
  const e = { kind: 'load' as const, message: "iql.ts could not be loaded: SyntaxError: iql.ts:25: Expected ',', got ';'" };
  expect(loadFailureText(CASE, e, DATA, true)).toBe(
    "homework/iql.ts does not load: SyntaxError: iql.ts:25: Expected ',', got ';'\nUntil it loads, Q3.1–Q3.3 (10 points) score 0: every case that calls iql.ts fails (this is said once; its other cases only refer to it).",
  );
  expect(loadFailureText(CASE, e, DATA, false)).toBe('iql.ts does not load (the first failing case of iql.ts above says why).');
  // A run-time error while loading: its place in the file is added.
  expect(loadFailureText(CASE, { kind: 'load', message: 'iql.ts could not be loaded: Error: boom', where: 'iql.ts:7' }, DATA, true).split('\n')[0]).toBe('homework/iql.ts does not load: Error: boom (at iql.ts:7)');
});

test('a case out of time says after how long and shows its inputs; a skipped case says why only', () => {
  const text = errorText(CASE, { kind: 'timeout', message: 'the time limit was exceeded (an infinite loop or a very slow implementation?)' }, 15.04);
  expect(text.split('\n')).toEqual([
    'This case did not finish: the time limit was exceeded (an infinite loop or a very slow implementation?).',
    'It was stopped after 15.0 s; its time limit is 10 s (the grader counts CPU seconds). The other cases go on in a fresh process.',
    'Called with: u [4] = [1, -2, 0.123457, 0], tau = 0.7',
    'All inputs: tests/public-cases.json, the case with "id": "expectile-check" (its call.args, in the order u, tau).',
  ]);
  expect(errorText(CASE, { kind: 'timeout', message: 'skipped: expectileLoss already ran out of time on case x' }, undefined)).toBe('This case was not run: expectileLoss already ran out of time on case x.');
  expect(errorText(CASE, { kind: 'not-implemented', message: 'not implemented yet: expectileLoss (Q3.1)' }, 0.1)).toBe('not implemented yet: expectileLoss (Q3.1)');
});

test('question spans: a run of three or more consecutive questions is "first–last"', () => {
  const order = ['Q3.1', 'Q3.2', 'Q3.3', 'Q3.10', 'Q4.1', 'Q5.1', 'Q6.1', 'Q6.2'];
  expect(questionSpan(['Q3.10', 'Q3.1', 'Q3.3', 'Q3.2'], order)).toBe('Q3.1–Q3.10');
  expect(questionSpan(['Q6.1', 'Q6.2'], order)).toBe('Q6.1, Q6.2');
  expect(questionSpan(['Q3.1', 'Q4.1', 'Q6.1', 'Q6.2'], order)).toBe('Q3.1, Q4.1, Q6.1, Q6.2');
});
