// Marker scanning: the two region forms and every way markers can be unbalanced or malformed.
import { StarterBuildError } from '../../authoring/build-error';
import { findRegions, splitLinesKeepEol } from '../../authoring/markers';

const regionsOf = (src: string) => findRegions(splitLinesKeepEol(src), 'solutions/x.ts');

/** The StarterBuildError thrown by `fn` (fails the test if there is none). */
function buildError(fn: () => unknown): StarterBuildError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StarterBuildError) return err;
    throw err;
  }
  throw new Error('expected a StarterBuildError');
}

describe('splitLinesKeepEol', () => {
  test.each(['', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', '\n\n'])('joining the lines restores %j', (text) => {
    expect(splitLinesKeepEol(text).join('')).toBe(text);
  });
});

describe('findRegions', () => {
  test('finds block and single-line regions with their indentation', () => {
    const src = [
      'function f() {', // 0
      '  // BEGIN SOLUTION', // 1
      '  return 1;', // 2
      '  // END SOLUTION', // 3
      '}', // 4
      'function g() {', // 5
      '\treturn 2; // SOLUTION', // 6
      '}', // 7
    ].join('\n');
    expect(regionsOf(src)).toEqual([
      { kind: 'block', firstLine: 1, lastLine: 3, indent: '  ' },
      { kind: 'line', firstLine: 6, lastLine: 6, indent: '\t' },
    ]);
  });

  test('accepts CRLF line ends and trailing blanks after a marker', () => {
    expect(regionsOf('{\r\n  // BEGIN SOLUTION  \r\n  x();\r\n  // END SOLUTION\r\n}\r\n')).toEqual([{ kind: 'block', firstLine: 1, lastLine: 3, indent: '  ' }]);
  });

  test('ignores ordinary comments and code', () => {
    expect(regionsOf('// solution notes\nconst s = "SOLUTIONS";\n')).toEqual([]);
  });

  test.each([
    ['BEGIN without END', 'a\n// BEGIN SOLUTION\nb\n', 2, /without a matching END/],
    ['END without BEGIN', 'a\nb\n  // END SOLUTION\n', 3, /END SOLUTION without a BEGIN/],
    ['nested BEGIN', '// BEGIN SOLUTION\nx\n  // BEGIN SOLUTION\n// END SOLUTION\n', 3, /opened at line 1 \(regions do not nest\)/],
    ['single-line marker inside a block', '// BEGIN SOLUTION\nx(); // SOLUTION\n// END SOLUTION\n', 2, /inside the region opened at line 1/],
    ['comment-only single-line marker', 'a\n  // SOLUTION\n', 2, /malformed solution marker/],
    ['END marker after code', 'x(); // END SOLUTION\n', 1, /malformed/],
    ['marker with extra words', '// BEGIN SOLUTION here\n// END SOLUTION\n', 1, /malformed/],
    ['single-line marker followed by text', 'x(); // SOLUTION: keep\n', 1, /malformed/],
  ])('%s is an error naming the line', (_name, src, line, message) => {
    const err = buildError(() => regionsOf(src));
    expect(err.line).toBe(line);
    expect(err.message).toMatch(new RegExp(`^solutions/x\\.ts:${line}: `));
    expect(err.message).toMatch(message);
  });
});
