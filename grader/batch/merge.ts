/**
 * `rlgrade merge DIR... --out DIR`: shard outputs into one batch output. The shards must come from
 * the same input, share no submission (overlap), together cover every submission of the input
 * (gap), and be graded with the same assignment, grader and settings, each with a finished,
 * up-to-date result; otherwise nothing is written and a one-line error says which and where.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byName } from './input';
import { shareRecords, writeOutputs } from './outputs';
import { lockOut, makeTempDir, place, readManifest, sameHashes, submissionDir, submissionsDir, writeManifest } from './store';
import { MANIFEST_FILE, type BatchManifest, type GradingRecord } from './types';

const HASH_WORDS: Record<keyof BatchManifest['hashes'], string> = {
  assignment: 'assignment files',
  grader: 'grader code',
  settings: 'settings (backend, course secret or --skip-training)',
};

/** Checks that the shards fit together; returns the owner folder of each submission. */
export function checkShards(dirs: string[], manifests: BatchManifest[]): Map<string, string> {
  const [first] = manifests;
  manifests.forEach((m, i) => {
    if (JSON.stringify(m.input) !== JSON.stringify(first.input)) {
      throw new Error(`refusing to merge: ${dirs[i]} and ${dirs[0]} were graded from different inputs (${m.input.length} and ${first.input.length} submissions)`);
    }
    if (JSON.stringify(m.assignment) !== JSON.stringify(first.assignment)) throw new Error(`refusing to merge: ${dirs[i]} and ${dirs[0]} were graded for different assignments`);
  });
  const owner = new Map<string, string>();
  manifests.forEach((m, i) => {
    for (const name of m.share) {
      const other = owner.get(name);
      if (other !== undefined) throw new Error(`refusing to merge: '${name}' is in both ${other} and ${dirs[i]} (the shards overlap)`);
      owner.set(name, dirs[i]);
    }
  });
  const missing = first.input.filter((n) => !owner.has(n));
  if (missing.length > 0) {
    throw new Error(`refusing to merge: ${missing.length} of ${first.input.length} submission(s) are in no shard given (first: '${missing[0]}'); is a shard folder missing?`);
  }
  manifests.forEach((m, i) => {
    for (const key of Object.keys(HASH_WORDS) as (keyof BatchManifest['hashes'])[]) {
      if (m.hashes[key] !== first.hashes[key]) throw new Error(`refusing to merge: ${dirs[i]} and ${dirs[0]} were graded with different ${HASH_WORDS[key]}; run the older with --resume`);
    }
  });
  return owner;
}

export async function mergeOutputs(dirs: string[], outDir: string): Promise<{ count: number; files: string[] }> {
  if (dirs.length === 0) throw new Error('merge: give the --out folders of the shards');
  const out = path.resolve(outDir);
  if (dirs.some((d) => path.resolve(d) === out)) throw new Error(`merge: --out ${outDir} must not be one of the shard folders`);
  const manifests = dirs.map(readManifest);
  checkShards(dirs, manifests);
  const records: { dir: string; record: GradingRecord }[] = [];
  manifests.forEach((m, i) => {
    for (const record of shareRecords(dirs[i], m)) {
      if (!sameHashes(record.hashes, { ...m.hashes, submission: record.hashes.submission })) {
        throw new Error(`refusing to merge: the result for '${record.submission}' in ${dirs[i]} is stale; run that shard again with --resume`);
      }
      records.push({ dir: dirs[i], record });
    }
  });
  records.sort((a, b) => byName(a.record.submission, b.record.submission));

  fs.mkdirSync(submissionsDir(out), { recursive: true, mode: 0o700 });
  const release = await lockOut(out);
  try {
    if (fs.existsSync(path.join(out, MANIFEST_FILE)) && readManifest(out).shard !== null) {
      throw new Error(`merge: ${outDir} holds the output of one shard; merge into another folder`);
    }
    for (const { dir, record } of records) {
      const temp = makeTempDir(out);
      fs.cpSync(submissionDir(dir, record.submission), temp, { recursive: true });
      place(out, temp, record.submission);
    }
    const first = manifests[0];
    const manifest: BatchManifest = { ...first, shard: null, share: [...first.input] };
    writeManifest(out, manifest);
    const files = await writeOutputs(out, manifest, records.map((r) => r.record));
    return { count: records.length, files };
  } finally {
    release();
  }
}
