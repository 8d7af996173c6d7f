// The command-line entry point (npm run build:starter), run as a child process with tsx.
// Only --check and bad usage are exercised here: they never write to the repository.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { StarterBuildError } from '../../authoring/build-error';
import { assignmentLayout, compareStarter, generateStarter } from '../../authoring/starter-tree';

const root = path.resolve(__dirname, '../..');
const cli = (...args: string[]) =>
  spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'authoring/build-starter.ts'), ...args], { cwd: root, encoding: 'utf8' });

/** What --check should report on the repository as it is now: exit code and a line to expect. */
function expectedCheck(): { status: number; line: RegExp } {
  const layout = assignmentLayout(root, { codeDir: path.join(root, 'assignments', 'offline-rl') });
  try {
    const diffs = compareStarter(layout, generateStarter(layout).files);
    if (diffs.length === 0) return { status: 0, line: /starter\/ is up to date/ };
    return { status: 1, line: new RegExp(`${diffs[0].file}: ${diffs[0].problem}`) };
  } catch (err) {
    if (!(err instanceof StarterBuildError)) throw err;
    return { status: 2, line: new RegExp(`^build-starter: ${err.file.replace(/\./g, '\\.')}:${err.line ?? ''}`, 'm') };
  }
}

test('--check exits 0, 1 or 2 exactly as the library reports up to date, out of date or broken', () => {
  const expected = expectedCheck();
  const run = cli('--check', '--assignment', path.join(root, 'assignments', 'offline-rl'));
  expect({ status: run.status, matches: expected.line.test(run.stdout + run.stderr) }).toEqual({ status: expected.status, matches: true });
});

test('an unknown argument exits 2 with a usage line', () => {
  const run = cli('--chekc');
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/unknown argument --chekc \(usage: build-starter \[--assignment DIR\] \[--check\]\)/);
});
