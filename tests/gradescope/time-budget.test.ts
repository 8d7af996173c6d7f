// The time budget `rlgrade build` leaves for run_autograder (grader/gradescope/time-budget.ts):
// the file names the TypeScript writes must be the ones the shell script computes.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { budgetKey, writeTimeBudget } from '../../grader/gradescope/time-budget';
import { ROOT } from '../grader/support';

/** The key run_autograder derives from RLHW_ASSIGNMENT: its own sed line, run by bash. */
function shellKey(assignment: string): string {
  const script = fs.readFileSync(path.join(ROOT, 'grader/gradescope/run_autograder'), 'utf8');
  const line = /\$\(printf '%s' "\$RLHW_ASSIGNMENT" \| (sed [^\n]*)\)"/.exec(script);
  expect(line).not.toBeNull();
  return execFileSync('bash', ['-c', `printf '%s' "$RLHW_ASSIGNMENT" | ${line![1]}`], { encoding: 'utf8', env: { ...process.env, RLHW_ASSIGNMENT: assignment } });
}

describe('the time budget file', () => {
  test.each([
    ['assignments/cql', 'assignments_cql'],
    ['./assignments/cql/', 'assignments_cql'],
    ['././assignments//offline-rl//', 'assignments_offline-rl'],
    ['courses/rl 2027 (v2)/hw.3', 'courses_rl_2027_v2_hw.3'],
  ])('RLHW_ASSIGNMENT=%j gives the same key in run_autograder and in TypeScript (%s)', (given, key) => {
    expect(shellKey(given)).toBe(key);
    expect(budgetKey(path.normalize(given))).toBe(key);
  });

  test("build writes the assignment's own file, and the plain one only for the kit's default assignment", () => {
    const kit = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-budget-'));
    try {
      fs.writeFileSync(path.join(kit, 'package.json'), JSON.stringify({ rlgrade: { defaultAssignment: 'assignments/main' } }));
      const cache = path.join(kit, 'cache');
      const main = { dir: path.join(kit, 'assignments/main'), limits: { totalSeconds: 480 } } as Parameters<typeof writeTimeBudget>[1];
      const other = { dir: path.join(kit, 'assignments/other'), limits: { totalSeconds: 300 } } as Parameters<typeof writeTimeBudget>[1];
      expect(writeTimeBudget(cache, main, kit).map((f) => path.basename(f))).toEqual(['time-budget-assignments_main', 'time-budget']);
      expect(writeTimeBudget(cache, other, kit).map((f) => path.basename(f))).toEqual(['time-budget-assignments_other']);
      expect(fs.readFileSync(path.join(cache, 'time-budget'), 'utf8')).toBe('480\n');
      expect(fs.readFileSync(path.join(cache, 'time-budget-assignments_other'), 'utf8')).toBe('300\n');
      expect(fs.statSync(path.join(cache, 'time-budget')).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(kit, { recursive: true, force: true });
    }
  });
});
