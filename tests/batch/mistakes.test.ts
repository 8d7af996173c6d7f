// summary.html groups hints by the mistake behind them, across questions, lists who got each, and
// draws its chart labels whole (never cut with "…").
import { mistakeOf as mistakeIn } from '../../grader/batch/mistakes';
import { loadAssignment } from '../../grader/assignment/load';
import { groupHints, summarize, summarySpecs, wrapLabel } from '../../grader/batch/summary';
import type { GradingRecord } from '../../grader/batch/types';
import { VARIANTS } from '../../assignments/offline-rl/private/variants';

const mistakeOf = (hint: string) => mistakeIn(loadAssignment(), hint);

/** The hint of a variant; `id` may be a RegExp for an update's "<function>:<mistake>" ids. */
const hintOf = (target: string, id: string | RegExp): string => {
  const v = VARIANTS.find((x) => x.target === target && (typeof id === 'string' ? x.id === id : id.test(x.id)));
  if (!v) throw new Error(`no variant ${target} ${id}`);
  return v.hint;
};

function rec(submission: string, hints: GradingRecord['hints'], name = `Student ${submission}`, seconds = 1): GradingRecord {
  return {
    format: 1,
    submission,
    submitters: [{ name, sid: '', email: '' }],
    hashes: { submission: 's', assignment: 'a', grader: 'g', settings: 'x' },
    status: 'ok',
    total: 100,
    maxTotal: 120,
    questions: {},
    hints,
    timedOut: [],
    seconds,
    gradedAt: '2025-01-01T00:00:00.000Z',
  };
}

const SWAPPED = {
  expectile: hintOf('iql.expectileLoss', 'swapped-tau'),
  valueLoss: hintOf('iql.iqlValueLoss', 'swapped-tau'),
  update: hintOf('iql.iqlUpdate', /^\w+:swapped-tau$/),
};

test('one swapped tau, three hints on three questions: one row, with every question and submission', () => {
  const rows = groupHints([
    rec('submission_2', [{ question: 'Q3.1', hint: SWAPPED.expectile }]),
    rec('submission_1', [
      { question: 'Q3.1', hint: SWAPPED.expectile },
      { question: 'Q3.2', hint: SWAPPED.valueLoss },
      { question: 'Q3.9', hint: SWAPPED.update },
    ]),
  ], mistakeOf);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ name: 'IQL: swapped tau', questions: 'Q3.1, Q3.2, Q3.9', count: 2, submissions: ['submission_1 (Student submission_1)', 'submission_2 (Student submission_2)'] });
  // The functions' own hints first, the update's "In iqlValueLoss: ..." last.
  expect(rows[0].hints).toEqual([...new Set([SWAPPED.expectile, SWAPPED.valueLoss, SWAPPED.update])]); // each text once
});

test('different mistakes stay apart, even with the same variant id; an unknown hint is a mistake of its own', () => {
  const logStd = hintOf('policy.gaussianLogProb', 'unclipped');
  const weights = hintOf('iql.iqlAdvantageWeights', 'unclipped');
  expect(mistakeOf(logStd).key).not.toBe(mistakeOf(weights).key);
  // The same weight clip in AWR and IQL is one mistake (one hint text).
  expect(mistakeOf(hintOf('awr.advantageWeights', 'unclipped')).key).toBe(mistakeOf(weights).key);
  // Seen through an update, a mistake stays the mistake of the function it is in.
  const throughUpdate = VARIANTS.find((v) => v.target === 'iql.iqlUpdate' && v.id === 'gaussianLogProb:unclipped');
  if (throughUpdate) expect(mistakeOf(throughUpdate.hint).key).toBe(mistakeOf(logStd).key);
  expect(mistakeOf(hintOf('iql.iqlUpdate', /^iqlAdvantageWeights:unclipped$/)).key).toBe(mistakeOf(weights).key);
  const rows = groupHints([rec('a', [{ question: 'Q2.1', hint: logStd }, { question: 'Q3.6', hint: weights }, { question: 'Q9', hint: 'A hint of an older grader.' }])], mistakeOf);
  expect(rows.map((r) => r.name).sort()).toEqual(['A hint of an older grader.', 'IQL, AWR: unclipped', 'Policy: unclipped']);
});

test('chart labels are whole: short mistake names, long text wrapped into lines, never cut', () => {
  const long = 'A very long hint that an older grader gave, which would not fit on one line of a chart label at all';
  const records = [rec('a-submission-with-a-rather-long-folder-name-from-an-export', [{ question: 'Q3.1', hint: SWAPPED.expectile }, { question: 'Q9', hint: long }], 'Ada', 30)];
  const specs = summarySpecs(summarize('T', 120, [], records, mistakeOf)) as unknown as Record<string, { data: { values: { label: string }[] }; encoding: { y: { axis: { labelLimit: number } } } }>;
  const labels = specs.mistakes.data.values.map((v) => v.label);
  expect(labels).toContain('2. IQL: swapped tau'); // one submission each: by name
  const wrapped = labels.find((l) => l.includes('older grader'))!;
  expect(wrapped.replace(/\n/g, ' ')).toBe(`1. ${long}`);
  expect(wrapped.split('\n').every((line) => line.length <= 48)).toBe(true);
  expect(specs.mistakes.encoding.y.axis.labelLimit).toBe(0);
  expect(specs.slowest.data.values[0].label.replace(/\n/g, ' ')).toBe('a-submission-with-a-rather-long-folder-name-from-an-export');
  expect(labels.concat(specs.slowest.data.values.map((v) => v.label)).join('')).not.toContain('…');
  expect(wrapLabel('one two three', 7)).toBe('one two\nthree');
});
