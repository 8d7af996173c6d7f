/**
 * `prepareSubmission`: turn what a student uploaded (a folder, a .tar / .tar.gz / .zip file, or a
 * folder holding exactly one such archive, as Gradescope leaves an upload) into a clean folder
 * holding only the expected files, as fresh regular files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Collector } from './collector';
import { hasArchiveExtension, sniffFile } from './detect';
import { classifyPath, displayPath } from './entry-path';
import { readFolder } from './folder-reader';
import { readTar } from './tar-reader';
import { DEFAULT_LIMITS, formatBytes, Intake, IntakeLimits, IntakeRefusal } from './types';
import { refusedUpload } from './upload-check';
import { readZip } from './zip-reader';

/**
 * Find each expected file by name anywhere in `input` and copy it into `workDir`.
 *
 * Never throws for anything the student did: a refused upload (bomb, too many entries, unknown
 * format, damaged archive) gives no files, every expected file missing, and `upload.headline`
 * saying why (`upload-check.ts`). Throws for grader errors only: bad `expectedFiles`, an `input`
 * that does not exist, I/O failures of the machine. Which near names are used, and which only
 * pointed out, is in `near-names.ts`.
 *
 * @param input folder or archive file as uploaded
 * @param expectedFiles base names (such as `file.ts`) to look for
 * @param workDir folder to copy them into (created if needed; only expected files are written)
 * @param limits overrides of `DEFAULT_LIMITS`
 */
export async function prepareSubmission(
  input: string,
  expectedFiles: string[],
  workDir: string,
  limits: Partial<IntakeLimits> = {},
): Promise<Intake> {
  checkExpected(expectedFiles);
  const caps: IntakeLimits = { ...DEFAULT_LIMITS, ...limits };
  const outDir = path.resolve(workDir);
  await fs.promises.mkdir(outDir, { recursive: true });
  const archive = await findArchive(input, expectedFiles);
  const collector = new Collector(expectedFiles, caps, archive ? `The archive '${archive.name}'` : 'Your submission');
  try {
    if (archive) await readArchive(archive.file, archive.name, collector);
    else await readFolder(input, collector);
    return await collector.finish(outDir);
  } catch (err) {
    if (!(err instanceof IntakeRefusal)) throw err;
    return { files: {}, missing: [...expectedFiles], problems: [], upload: refusedUpload(err.message, expectedFiles) };
  }
}

/** Expected names must be plain, visible base names, each once. */
function checkExpected(expected: string[]): void {
  const seen = new Set<string>();
  for (const name of expected) {
    const where = classifyPath(name);
    if (where.kind !== 'normal' || where.name !== name || seen.has(name)) {
      throw new TypeError(`prepareSubmission: expected file names must be distinct plain base names, got ${JSON.stringify(name)}`);
    }
    seen.add(name);
  }
}

/**
 * The archive to read, if the upload is one: `input` itself when it is a file, or the only
 * visible entry of the folder `input` when that is a regular file that looks like an archive
 * (by its first bytes or its extension) and is not itself an expected file.
 */
async function findArchive(input: string, expected: string[]): Promise<{ file: string; name: string } | undefined> {
  const st = await fs.promises.stat(input); // the caller's own path: following it is fine
  if (!st.isDirectory()) return { file: await fs.promises.realpath(input), name: displayPath(path.basename(input)) };
  const visible = (await fs.promises.readdir(input, { withFileTypes: true })).filter(
    (d) => !d.name.startsWith('.') && d.name !== '__MACOSX',
  );
  if (visible.length !== 1 || !visible[0].isFile() || expected.includes(visible[0].name)) return undefined;
  const file = path.join(input, visible[0].name);
  const sniffed = await sniffFile(file);
  if (sniffed.format === 'unknown' && !hasArchiveExtension(visible[0].name)) return undefined;
  return { file, name: displayPath(visible[0].name) };
}

/** Read an archive file by what its bytes say it is. */
async function readArchive(file: string, name: string, c: Collector): Promise<void> {
  const st = await fs.promises.lstat(file);
  if (!st.isFile()) throw new IntakeRefusal(`The uploaded file '${name}' is not a regular file, so it could not be read.`);
  if (st.size > c.limits.maxArchiveBytes) {
    throw new IntakeRefusal(`The uploaded file '${name}' is larger than ${formatBytes(c.limits.maxArchiveBytes)}; submit only the files the assignment asks for.`);
  }
  const sniffed = await sniffFile(file);
  switch (sniffed.format) {
    case 'gzip':
      return readTar(file, true, c);
    case 'tar':
      return readTar(file, false, c);
    case 'zip':
      return readZip(file, c);
    case 'unsupported':
      throw new IntakeRefusal(`The uploaded file '${name}' is ${sniffed.name}, which is not supported; upload a .zip, .tar or .tar.gz file instead.`);
    default:
      throw new IntakeRefusal(`The uploaded file '${name}' is not a .zip, .tar or .tar.gz archive, so it could not be unpacked.`);
  }
}
