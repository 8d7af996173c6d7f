// Output comparison (grader/scoring/compare.ts, grader/diagnostics/match.ts): the tolerance rule
// |got - expected| <= atol + rtol |expected| element by element, shapes before values, NaN never
// equal, and messages that count and name but never show an expected value.
import { closeTo } from '../../grader/diagnostics/match';
import { compareChanged, compareOutputs } from '../../grader/scoring/compare';

const t = (data: number[], shape = [data.length]) => ({ shape, data });
const tol = { atol: 1e-5, rtol: 1e-4 };

describe('closeTo', () => {
  test('the bound is atol + rtol * |expected|, inclusive, relative to the expected value only', () => {
    const quarter = { atol: 0.25, rtol: 0.5 }; // exact in binary: the bound at 2 is 1.25
    expect(closeTo(t([3.25]), t([2]), quarter)).toBe(true); // exactly on the bound
    expect(closeTo(t([3.5]), t([2]), quarter)).toBe(false);
    expect(closeTo(t([100.01]), t([100]), tol)).toBe(true);
    expect(closeTo(t([100.011]), t([100]), tol)).toBe(false);
    expect(closeTo(t([1e-5]), t([0]), tol)).toBe(true); // atol alone at 0
    expect(closeTo(t([2e-5]), t([0]), tol)).toBe(false);
    // Not symmetric: the allowance scales with the expected value, not the student's.
    expect(closeTo(t([0]), t([1]), { atol: 0, rtol: 1 })).toBe(true);
    expect(closeTo(t([1]), t([0]), { atol: 0, rtol: 1 })).toBe(false);
  });

  test('shapes must match exactly, NaN and infinities never match, a missing element never matches', () => {
    expect(closeTo(t([1, 2], [2]), t([1, 2], [2, 1]), tol)).toBe(false);
    expect(closeTo(t([1, 2, 3, 4], [2, 2]), t([1, 2, 3, 4], [4]), tol)).toBe(false);
    expect(closeTo(t([NaN]), t([NaN]), tol)).toBe(false);
    expect(closeTo(t([Infinity]), t([Infinity]), tol)).toBe(false);
    expect(closeTo(t([1]), { shape: [2], data: [1] }, tol)).toBe(false);
    expect(closeTo(t([], [0]), t([], [0]), tol)).toBe(true);
  });
});

describe('compareOutputs', () => {
  test('within tolerance everywhere: passed, fraction 1, no messages', () => {
    const c = compareOutputs({ result: t([1, 2.00001]) }, { result: t([1, 2]) }, tol);
    expect(c).toEqual({ fraction: 1, passed: true, messages: [], details: [] });
  });

  test('counts bad elements per output, gives the fraction over all elements, and details the worst first', () => {
    const c = compareOutputs({ a: t([1, 5, 3, 9]), b: t([7]) }, { a: t([1, 2, 3, 4]), b: t([7]) }, tol);
    expect(c.passed).toBe(false);
    expect(c.fraction).toBeCloseTo(3 / 5, 12);
    expect(c.messages).toEqual(["2 of 4 values of 'a' are not within tolerance."]);
    expect(c.details).toEqual(['a[3]: expected 4, got 9', 'a[1]: expected 2, got 5']);
  });

  test('a scalar, a matrix index, NaN counted and named, at most `worst` details', () => {
    const c = compareOutputs({ result: t([1]) }, { result: t([2]) }, tol);
    expect(c.messages).toEqual(['the result is not within tolerance.']);
    const m = compareOutputs({ result: t([0, 0, 0, NaN], [2, 2]) }, { result: t([1, 2, 3, 4], [2, 2]) }, tol, 2);
    expect(m.messages).toEqual(['the result has 1 value(s) that are NaN or infinite.', '4 of 4 values of the result are not within tolerance.']);
    expect(m.details).toEqual(['result[1, 1]: expected 4, got NaN', 'result[1, 0]: expected 3, got 0']);
  });

  test('a wrong shape or a missing output earns nothing for it, and the [B] + [B,1] case is named', () => {
    const c = compareOutputs({ result: t([1, 1, 1, 1], [2, 2]) }, { result: t([1, 1]) }, tol);
    expect(c).toMatchObject({ fraction: 0, passed: false, messages: ['the result has shape [2, 2], expected [2] (a [B] and a [B,1] tensor broadcast to [B,B]?).'] });
    const missing = compareOutputs({}, { valueLoss: t([1], []), q1: t([1, 2]) }, tol);
    expect(missing.fraction).toBe(0);
    expect(missing.messages).toEqual(["'valueLoss' is missing.", "'q1' is missing."]);
  });

  test('messages never hold an expected value; only the details (shown for visible cases) do', () => {
    const c = compareOutputs({ result: t([0.1234567]) }, { result: t([0.7654321]) }, tol);
    expect(c.messages.join(' ')).not.toContain('0.765');
    expect(c.details.join(' ')).toContain('0.7654321');
  });
});

test('compareChanged names networks changed that must not change, and the reverse', () => {
  expect(compareChanged(['value', 'policy'], ['value', 'q1'])).toEqual([
    "Your code changed the parameters of 'policy', which this step must leave unchanged.",
    "Your code did not change the parameters of 'q1', which this step must update.",
  ]);
  expect(compareChanged(undefined, undefined)).toEqual([]);
  expect(compareChanged(['a'], ['a'])).toEqual([]);
});
