/**
 * The hashes a grading depends on (SHA-256, hex). A tree hash covers every entry's relative path,
 * kind and bytes in sorted order; links are hashed by their target and never followed, and
 * special files (fifos, devices) by their kind only, so hashing a hostile submission neither
 * blocks nor leaves the folder.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from '../runner/workdir';
import { byName } from './input';
import type { Hashes } from './types';

async function addFile(hash: Hash, file: string): Promise<void> {
  const stream = fs.createReadStream(file);
  for await (const chunk of stream) hash.update(chunk as Buffer);
}

async function addEntry(hash: Hash, file: string, rel: string, keep: (rel: string) => boolean, follow: boolean): Promise<void> {
  const st = follow ? await fs.promises.stat(file) : await fs.promises.lstat(file);
  if (st.isDirectory()) {
    hash.update(`d\0${rel}\0`);
    for (const name of (await fs.promises.readdir(file)).sort(byName)) {
      const child = rel === '' ? name : `${rel}/${name}`;
      if (keep(child)) await addEntry(hash, path.join(file, name), child, keep, false);
    }
  } else if (st.isFile()) {
    hash.update(`f\0${rel}\0${st.size}\0`);
    await addFile(hash, file);
  } else if (st.isSymbolicLink()) {
    hash.update(`l\0${rel}\0${await fs.promises.readlink(file)}\0`);
  } else {
    hash.update(`o\0${rel}\0`);
  }
}

/** Hash of a file or a folder tree (`keep` filters relative paths); a missing path has its own hash. */
export async function hashTree(target: string, keep: (rel: string) => boolean = () => true): Promise<string> {
  const hash = createHash('sha256');
  if (!fs.existsSync(target)) hash.update('missing\0');
  else await addEntry(hash, target, '', keep, true);
  return hash.digest('hex');
}

/**
 * Parts of the kit that shape a grade besides the assignment (hashed on its own, with its
 * solutions, starter and grading code): the grader (not the batch machinery, the command line
 * other than `grade`, or the examples), the provided modules, the bundled datasets and the locked
 * dependencies.
 */
const GRADER_PARTS = ['grader', 'provided', 'fixtures/datasets', 'package-lock.json'];
const NOT_GRADING = [/^grader\/batch\//, /^grader\/cli\/(?!grade\.ts$)/, /\.md$/];

/** Hash of the grading code of the kit at `kitRoot`. */
export async function hashGrader(kitRoot = KIT_ROOT): Promise<string> {
  const hash = createHash('sha256');
  for (const part of GRADER_PARTS) {
    hash.update(`${part}\0`).update(await hashTree(path.join(kitRoot, part), (rel) => !NOT_GRADING.some((re) => re.test(`${part}/${rel}`))));
  }
  return hash.digest('hex');
}

/** Hash of the settings that change grades. The secret enters only through its own hash. */
export function hashSettings(s: { backend: string; skipTraining: boolean; secret: string }): string {
  const secret = createHash('sha256').update(`rlgrade course secret\0${s.secret}`).digest('hex');
  return createHash('sha256').update(JSON.stringify({ backend: s.backend, skipTraining: s.skipTraining, secret })).digest('hex');
}

/** The hashes shared by every submission of a batch (`assignment`: its file's folder and its code's). */
export async function batchHashes(assignment: { dir: string; codeDir: string }, settings: { backend: string; skipTraining: boolean; secret: string }): Promise<Omit<Hashes, 'submission'>> {
  const parts = [...new Set([assignment.dir, assignment.codeDir])];
  const assignmentHash = createHash('sha256');
  for (const dir of parts) assignmentHash.update(await hashTree(dir));
  return { assignment: assignmentHash.digest('hex'), grader: await hashGrader(), settings: hashSettings(settings) };
}
