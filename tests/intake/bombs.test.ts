// Compression bombs and entry floods: refused early (never expanded much past the caps), with one
// clear sentence, and the work folder left empty.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { prepareSubmission } from '../../grader/intake';
import { Collector } from '../../grader/intake/collector';
import { readTar } from '../../grader/intake/tar-reader';
import { DEFAULT_LIMITS, IntakeRefusal } from '../../grader/intake/types';
import { listTree, makeZip, removeTempDirs, TAR_END, tarEntry, tempDir } from './support';

const EXPECTED = ['iql.ts', 'awr.ts'];
const MiB = 1024 * 1024;
/** 1 MiB of zeros, gzipped once; gzip members concatenate, so N copies stream N MiB of zeros. */
const ZEROS_1M = zlib.gzipSync(Buffer.alloc(MiB), { level: 9 });

afterAll(removeTempDirs);

/** Write `parts` (each already a gzip member) as one .tar.gz-looking file. */
function writeGz(dir: string, name: string, parts: Buffer[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat(parts));
  return file;
}

/** Refused as a whole with a headline matching `pattern`, every expected file missing, the work folder empty. */
async function expectRefused(file: string, pattern: RegExp, limits = {}): Promise<number> {
  const work = path.join(path.dirname(file), 'work');
  const t0 = Date.now();
  const intake = await prepareSubmission(file, EXPECTED, work, limits);
  const ms = Date.now() - t0;
  expect(intake.files).toEqual({});
  expect(intake.missing).toEqual(EXPECTED);
  expect(intake.problems).toEqual([]);
  expect(intake.upload).toMatchObject({ status: 'unreadable', headline: expect.stringMatching(pattern) });
  expect(intake.upload.headline).not.toContain(path.dirname(file));
  expect(fs.readdirSync(work)).toEqual([]);
  expect(listTree(path.dirname(file))).toEqual([path.basename(file), 'work']);
  return ms;
}

/** 50 tar entries of 4 MiB of zeros each (200 MiB in all), each under the per-file cap. */
function tarBombParts(): Buffer[] {
  const parts: Buffer[] = [];
  const four = Buffer.concat([ZEROS_1M, ZEROS_1M, ZEROS_1M, ZEROS_1M]);
  for (let i = 0; i < 50; i++) parts.push(zlib.gzipSync(tarEntry({ path: `runs/zeros-${i}.bin`, size: 4 * MiB }).subarray(0, 512)), four);
  parts.push(zlib.gzipSync(TAR_END));
  return parts;
}

test('a 200 MiB gzip of zeros (no tar inside) is refused at once', async () => {
  const file = writeGz(tempDir(), 'hw.tar.gz', Array(200).fill(ZEROS_1M));
  const ms = await expectRefused(file, /is gzip-compressed but holds no tar archive/);
  expect(ms).toBeLessThan(2000);
});

test('a tar.gz declaring one 200 MiB entry is refused at its header', async () => {
  const dir = tempDir();
  const header = zlib.gzipSync(tarEntry({ path: 'zeros.bin', size: 200 * MiB }).subarray(0, 512));
  const file = writeGz(dir, 'hw.tgz', [header, ...Array(200).fill(ZEROS_1M)]);
  const ms = await expectRefused(file, /^Nothing could be graded: the archive 'hw.tgz' unpacks to more than 50 MiB, so it was not unpacked/);
  expect(ms).toBeLessThan(2000);
});

test('a 200 MiB tar.gz bomb of 4 MiB entries stops by the ratio cap, or by the 50 MiB cap without it', async () => {
  const dir = tempDir();
  const file = writeGz(dir, 'hw.tar.gz', tarBombParts());
  await expectRefused(file, /expands to more than 200 times its compressed size/);
  await expectRefused(file, /unpacks to more than 50 MiB/, { maxRatio: Infinity });
  // Measured at the reader: decompression stopped around the cap, not at 200 MiB.
  for (const maxRatio of [200, Infinity]) {
    const c = new Collector(EXPECTED, { ...DEFAULT_LIMITS, maxRatio }, 'The archive');
    await expect(readTar(file, true, c)).rejects.toBeInstanceOf(IntakeRefusal);
    expect(c.stats.unpackedBytes).toBeLessThanOrEqual(51 * MiB);
    if (maxRatio === 200) expect(c.stats.unpackedBytes).toBeLessThan(3 * MiB);
  }
});

test('bytes after the end-of-archive marker are never read', async () => {
  const dir = tempDir();
  const tarPart = zlib.gzipSync(Buffer.concat([tarEntry({ path: 'iql.ts' }, 'export {};\n'), tarEntry({ path: 'awr.ts' }, 'export {};\n'), TAR_END]));
  const file = writeGz(dir, 'hw.tar.gz', [tarPart, ...Array(200).fill(ZEROS_1M)]);
  const t0 = Date.now();
  const intake = await prepareSubmission(file, EXPECTED, path.join(dir, 'work'));
  expect(Date.now() - t0).toBeLessThan(2000);
  expect(intake.problems).toEqual([]);
  expect(Object.keys(intake.files).sort()).toEqual(['awr.ts', 'iql.ts']);
});

test('a tar.gz of 100 000 entries is refused quickly', async () => {
  const dir = tempDir();
  const block = tarEntry({ path: 'f.txt', size: 0 });
  const body = Buffer.alloc(100_000 * 512 + 1024);
  for (let i = 0; i < 100_000; i++) block.copy(body, i * 512);
  const file = writeGz(dir, 'many.tar.gz', [zlib.gzipSync(body, { level: 1 })]);
  const ms = await expectRefused(file, /^Nothing could be graded: the archive 'many.tar.gz' holds more than 10000 entries, so it was not unpacked/);
  expect(ms).toBeLessThan(3000);
});

test('a zip of 100 000 entries is refused from its end record, before the directory is read', async () => {
  const dir = tempDir();
  const specs = Array.from({ length: 100_000 }, (_, i) => ({ name: `f${i}`, method: 0 }));
  const file = path.join(dir, 'many.zip');
  fs.writeFileSync(file, makeZip(specs, { zip64: true }));
  const ms = await expectRefused(file, /^Nothing could be graded: the archive 'many.zip' holds more than 10000 entries/);
  expect(ms).toBeLessThan(500);
});

test('zip bombs: huge declared sizes, a high ratio, overlapping entries', async () => {
  const declared = tempDir();
  fs.writeFileSync(path.join(declared, 'a.zip'), makeZip([{ name: 'iql.ts', data: 'x' }, { name: 'big.bin', data: 'x', declaredSize: 0xfffffff0 }]));
  await expectRefused(path.join(declared, 'a.zip'), /unpacks to more than 50 MiB/);

  const ratio = tempDir();
  fs.writeFileSync(path.join(ratio, 'b.zip'), makeZip([{ name: 'zeros.bin', data: Buffer.alloc(2 * MiB) }]));
  await expectRefused(path.join(ratio, 'b.zip'), /has an entry \('zeros.bin'\) that expands to more than 200 times/);

  const overlap = tempDir();
  const specs = [{ name: 'd0.bin', data: Buffer.alloc(4 * MiB, 7) }, ...Array.from({ length: 20 }, (_, i) => ({ name: `d${i + 1}.bin`, sameDataAs: 0, declaredSize: 4 * MiB }))];
  fs.writeFileSync(path.join(overlap, 'c.zip'), makeZip(specs));
  await expectRefused(path.join(overlap, 'c.zip'), /unpacks to more than 50 MiB/, { maxRatio: Infinity });
});

test('an archive file larger than the upload cap is refused without reading it', async () => {
  const dir = tempDir();
  const file = writeGz(dir, 'hw.tar.gz', [tarEntry({ path: 'iql.ts' }, 'x')]);
  await expectRefused(file, /^Nothing could be graded: the uploaded file 'hw.tar.gz' is larger than 512 bytes/, { maxArchiveBytes: 512 });
});
