// Archives made by GNU tar and Info-ZIP (fixtures/archives): long names, zip64 records, stored links.
import * as fs from 'fs';
import * as path from 'path';
import { prepareSubmission } from '../../grader/intake';
import { expectOnly, removeTempDirs, tempDir } from './support';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'archives');

afterAll(removeTempDirs);

test.each(['gnu-longname-symlink.tar.gz', 'infozip-zip64-symlink.zip'])('%s: files found, the link to /etc/passwd not used', async (name) => {
  const work = tempDir();
  const intake = await prepareSubmission(path.join(FIXTURES, name), ['iql.ts', 'awr.ts', 'bc.ts'], work);
  expect(fs.readFileSync(intake.files['iql.ts'], 'utf8')).toBe('export const iql = 1;\n');
  expect(fs.readFileSync(intake.files['awr.ts'], 'utf8')).toBe('export const awr = 2;\n');
  expect(intake.missing).toEqual(['bc.ts']);
  expect(intake.problems).toEqual([{ file: 'bc.ts', message: "'hw/bc.ts' is a symbolic link, so it was not used; submit the file itself." }]);
  expectOnly(work, ['iql.ts', 'awr.ts']);
});
