/**
 * The command line of grader/bin/autograder.js: `gradescope [--root DIR]` (grade, as
 * run_autograder does), `build [--cache DIR] [--secret-file F]` (precompute the reference values)
 * and `autograder [--out DIR]` (the zip): the same commands as rlgrade, without loading the
 * others (the handout builder, for one, needs the TypeScript compiler, a development package).
 */
import { Command } from 'commander';
import { registerAutograder } from '../cli/autograder';
import { registerBuild } from '../cli/build';

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('autograder').description("Gradescope runner of the kit's autograder").exitOverride();
  registerAutograder(program, (c) => (code = c));
  registerBuild(program, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const e = err as { exitCode?: number; code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    if (e.exitCode === undefined) process.stderr.write(`autograder: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
    return e.exitCode ?? 2;
  }
  return code;
}
