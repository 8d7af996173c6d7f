// The optional functionName -> question id map of the assignment file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadQuestionMap, parseQuestionMap } from '../../authoring/questions';

const FILE = 'assignments/offline-rl/assignment.yaml';

describe('parseQuestionMap', () => {
  test('maps every listed function to its question, ignoring other keys', () => {
    const yaml = [
      'title: Offline RL',
      'questions:',
      '  - id: Q1.1',
      '    functions: [discountedReturnToGo, undiscountedReturnToGo]',
      '    points: 4',
      "  - id: 'Q4.2'",
      '    functions:',
      '      - IqlAgent.update',
    ].join('\n');
    expect([...parseQuestionMap(yaml, FILE)]).toEqual([
      ['discountedReturnToGo', 'Q1.1'],
      ['undiscountedReturnToGo', 'Q1.1'],
      ['IqlAgent.update', 'Q4.2'],
    ]);
  });

  test.each(['', 'title: x', 'questions:', 'questions: []'])('%j gives an empty map', (yaml) => {
    expect(parseQuestionMap(yaml, FILE).size).toBe(0);
  });

  test.each([
    ['not a mapping', '- a\n- b', /top level must be a mapping/],
    ['questions not a list', 'questions: {a: 1}', /'questions' must be a list/],
    ['a numeric id', 'questions:\n  - id: 3.1\n    functions: [f]', /questions\[0\]\.id must be a non-empty string/],
    ['functions not a list', 'questions:\n  - id: Q1\n    functions: f', /questions\[0\] \(Q1\): 'functions' must be a list/],
    ['a function listed twice', 'questions:\n  - id: Q1\n    functions: [f]\n  - id: Q2\n    functions: [f]', /'f' is listed under both Q1 and Q2/],
    ['invalid YAML', 'questions: [a, b\nx: 1', /invalid YAML/],
  ])('%s is an error naming the file', (_name, yaml, message) => {
    expect(() => parseQuestionMap(yaml, FILE)).toThrow(message);
    expect(() => parseQuestionMap(yaml, FILE)).toThrow(new RegExp(`^${FILE.replace(/\./g, '\\.')}`));
  });
});

describe('loadQuestionMap', () => {
  test('an absent file means no question ids', () => {
    expect(loadQuestionMap(path.join(os.tmpdir(), 'no-such-dir-rlhw', 'assignment.yaml'), FILE).size).toBe(0);
  });

  test('reads a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-questions-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.yaml'), 'questions:\n  - id: Q2\n    functions: [bcLoss]\n');
      expect(loadQuestionMap(path.join(dir, 'a.yaml'), FILE).get('bcLoss')).toBe('Q2');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
