// Small command-line promises: `rlgrade grade --skip-training` and `--student` reach the grading,
// `rlgrade batch --help` states each default once, and a batch says where its files went.
import * as path from 'node:path';
import { wroteWhat } from '../../grader/cli/batch';
import { main } from '../../grader/cli/main';
import { gradeSubmission } from '../../grader/cli/grade';

jest.mock('../../grader/cli/grade', () => ({
  ISOLATIONS: ['auto', 'full', 'reduced', 'plain'],
  gradeSubmission: jest.fn(async () => ({ report: { total: 3, maxTotal: 120 }, mechanisms: [], protected: [] })),
}));

/** Runs `rlgrade ARGS` in this process; returns its exit code and what it printed. */
async function rlgrade(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

test('rlgrade grade --skip-training and --student reach the grading', async () => {
  const r = await rlgrade('grade', 'some-submission', '--out', path.join('/tmp', 'rlgrade-cli-options'), '--isolation', 'plain', '--skip-training', '--student', 'Ada Lovelace');
  expect(r.stderr).not.toMatch(/unknown option/);
  expect(r.code).toBe(0);
  expect(gradeSubmission).toHaveBeenCalledWith(expect.objectContaining({ submission: 'some-submission', skipTraining: true, student: 'Ada Lovelace' }));
  const help = await rlgrade('grade', '--help');
  expect(help.stdout).toContain('--skip-training');
});

test('rlgrade batch --help states each default once', async () => {
  const help = (await rlgrade('batch', '--help')).stdout;
  // One entry per option: its first line starts with "  -", wrapped lines are indented further.
  const entries = help.split('\n').reduce<string[]>((acc, line) => (/^ {2}-/.test(line) ? [...acc, line] : acc.length && /^ {3,}\S/.test(line) ? [...acc.slice(0, -1), `${acc[acc.length - 1]} ${line.trim()}`] : acc), []);
  expect(entries.find((e) => e.startsWith('  --workers'))).toMatch(/\(default: the number of cores, \d+ here\)$/);
  const twice = entries.filter((e) => (e.match(/default/g) ?? []).length > 1);
  expect(twice).toEqual([]);
});

test('a batch names the folder it wrote summary.html to, and says when it is the default one', () => {
  const files = ['rlgrade-batch/gradebook.csv', 'rlgrade-batch/timings.csv', 'rlgrade-batch/summary.html'];
  expect(wroteWhat(files, true)).toBe(`wrote gradebook.csv, timings.csv and summary.html in ${path.resolve('rlgrade-batch')} (no --out given: the default folder)`);
  expect(wroteWhat(['/g/gradebook.csv', '/g/summary.html'], false)).toBe('wrote gradebook.csv and summary.html in /g');
});
