import * as fs from 'fs';
import * as path from 'path';
import { crc32, readZip, writeZip, ZipEntry, ZipFormatError } from '../../provided/data/zip';
import { IMPORTS_DIR } from './support';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const entries: ZipEntry[] = [
  { name: 'b.npy', data: text('second entry, written first') },
  { name: 'a.npy', data: text('x'.repeat(300)) },
  { name: 'empty.npy', data: new Uint8Array(0) },
];

function zipError(bytes: Uint8Array): ZipFormatError {
  try {
    readZip(bytes);
  } catch (e) {
    if (e instanceof ZipFormatError) {
      expect(e.message).not.toMatch(/\n/);
      return e;
    }
    throw e;
  }
  throw new Error('readZip accepted corrupt bytes');
}

describe('zip container', () => {
  test('crc32 matches the standard check value', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  test('writeZip output reads back in the same order, and depends only on names, order and data', () => {
    const bytes = writeZip(entries);
    const back = readZip(bytes);
    expect(back.map((e) => e.name)).toEqual(['b.npy', 'a.npy', 'empty.npy']);
    back.forEach((e, i) => expect(Buffer.from(e.data).equals(Buffer.from(entries[i].data))).toBe(true));
    const copies = entries.map((e) => ({ name: e.name, data: Uint8Array.from(e.data) }));
    expect(Buffer.from(writeZip(copies)).equals(Buffer.from(bytes))).toBe(true);
    expect(Buffer.from(writeZip([copies[1], copies[0], copies[2]])).equals(Buffer.from(bytes))).toBe(false);
    // fixed 1980-01-01 00:00 stamp in every local header (time at offset 10, date at 12)
    const v = new DataView(bytes.buffer);
    expect([v.getUint16(10, true), v.getUint16(12, true)]).toEqual([0, 0x21]);
  });

  test('reads numpy archives: stored entries with zip64 extras, and deflated ones', () => {
    const stored = readZip(fs.readFileSync(path.join(IMPORTS_DIR, 'savez_float64.npz')));
    expect(stored.map((e) => e.name)).toEqual([
      'observations.npy', 'actions.npy', 'rewards.npy', 'next_observations.npy', 'terminals.npy', 'timeouts.npy', 'episode_ids.npy',
    ]);
    const deflated = readZip(fs.readFileSync(path.join(IMPORTS_DIR, 'compressed_no_next.npz')));
    expect(deflated.map((e) => [e.name, e.data.length])).toEqual([
      ['observations.npy', 128 + 80], ['actions.npy', 128 + 80], ['rewards.npy', 128 + 80], ['terminals.npy', 128 + 40],
    ]);
  });

  test('a flipped data byte is a CRC error; truncation and garbage are format errors', () => {
    const bytes = writeZip(entries);
    const flipped = Uint8Array.from(bytes);
    flipped[30 + 'b.npy'.length + 3] ^= 0x01;
    expect(zipError(flipped).message).toMatch(/entry 'b.npy': CRC-32 mismatch/);
    expect(zipError(bytes.subarray(0, bytes.length - 1)).message).toMatch(/no zip end-of-central-directory record/);
    expect(zipError(bytes.subarray(0, 10)).message).toMatch(/too short/);
    expect(zipError(text('just some text that is long enough to search')).message).toMatch(/not a zip file/);
    const badSize = Uint8Array.from(bytes);
    new DataView(badSize.buffer).setUint32(bytes.length - 22 + 12, 9999, true); // central directory size
    expect(zipError(badSize).message).toMatch(/central directory/);
  });

  test('refuses unsupported compression and unwritable names', () => {
    const bytes = writeZip([{ name: 'a.npy', data: text('abc') }]);
    const cdStart = new DataView(bytes.buffer).getUint32(bytes.length - 22 + 16, true);
    const m = Uint8Array.from(bytes);
    new DataView(m.buffer).setUint16(8, 12, true); // local method
    new DataView(m.buffer).setUint16(cdStart + 10, 12, true); // central method
    expect(zipError(m).message).toMatch(/unsupported compression method 12/);
    expect(() => writeZip([{ name: 'é.npy', data: new Uint8Array() }])).toThrow(/printable ASCII/);
    expect(() => writeZip([entries[0], entries[0]])).toThrow(/duplicate/);
  });
});
