/**
 * `rlgrade new NAME`: scaffolds assignments/NAME (grader/assignment/scaffold.ts) and builds its
 * starter, so that `rlgrade validate --assignment assignments/NAME` passes at once.
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import { KIT_ROOT } from '../runner/workdir';

// Loaded when the command runs (`rlgrade grade` should not compile what other commands use).
const starterTree = () => require('../../authoring/starter-tree') as typeof import('../../authoring/starter-tree');
const scaffold = () => require('../assignment/scaffold') as typeof import('../assignment/scaffold');

export function registerNew(program: Command, setCode: (code: number) => void): void {
  program
    .command('new')
    .description('scaffold a new assignment folder (one question, one function, a visible and a hidden case, a known mistake, a handout README)')
    .argument('<name>', 'the folder name under assignments/ (lower-case letters, digits and dashes)')
    .action((name: string) => {
      const { assignmentLayout, generateStarter, writeStarter } = starterTree();
      const dir = scaffold().scaffoldAssignment(KIT_ROOT, name);
      const layout = assignmentLayout(KIT_ROOT, { codeDir: dir });
      writeStarter(layout, generateStarter(layout).files);
      const rel = path.relative(process.cwd(), dir) || dir;
      process.stdout.write(`rlgrade new: wrote ${rel} (see its README.md); try: npx rlgrade validate --assignment ${rel}\n`);
      setCode(0);
    });
}
