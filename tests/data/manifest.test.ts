import * as fs from 'fs';
import * as path from 'path';
import { datasetsBitEqual, saveDataset, sha256File } from '../../provided/data/files';
import {
  datasetPath,
  DEFAULT_DATASET_DIR,
  loadNamedDataset,
  Manifest,
  manifestEntry,
  readManifest,
  writeManifest,
} from '../../provided/data/manifest';
import { catchDatasetError, expectOneLine, removeTempDirs, sampleDataset, tempDir } from './support';

afterAll(removeTempDirs);

/** A folder with two saved datasets and their manifest. */
function folder(): { dir: string; manifest: Manifest } {
  const dir = tempDir();
  const datasets: Manifest['datasets'] = {};
  for (const [name, seed] of [['zeta', 1], ['alpha', 2]] as const) {
    const file = path.join(dir, `${name}.npz`);
    const ds = sampleDataset(seed);
    saveDataset(file, ds);
    datasets[name] = manifestEntry(name, file, 'test-layout', `sample ${seed}`, ds);
  }
  const manifest = { datasets };
  writeManifest(dir, manifest);
  return { dir, manifest };
}

describe('dataset manifest', () => {
  test('manifestEntry describes the file; writeManifest sorts by name; readManifest reads it back', () => {
    const { dir, manifest } = folder();
    expect(manifest.datasets.zeta).toEqual({
      file: 'zeta.npz',
      sha256: sha256File(path.join(dir, 'zeta.npz')),
      layout: 'test-layout',
      transitions: 12,
      episodes: 3,
      description: 'sample 1',
    });
    const text = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    expect(text.indexOf('"alpha"')).toBeLessThan(text.indexOf('"zeta"'));
    expect(text.endsWith('}\n')).toBe(true);
    expect(readManifest(dir)).toEqual(manifest);
    expect(datasetPath('alpha', dir)).toBe(path.join(dir, 'alpha.npz'));
  });

  test('loadNamedDataset loads by name, bit-identical to what was saved', () => {
    const { dir } = folder();
    expect(datasetsBitEqual(loadNamedDataset('alpha', dir), sampleDataset(2))).toBe(true);
    expect(datasetsBitEqual(loadNamedDataset('zeta', dir), sampleDataset(1))).toBe(true);
  });

  test('an unknown name is a one-line error listing the known names', () => {
    const { dir } = folder();
    const err = catchDatasetError(() => loadNamedDataset('beta', dir));
    expectOneLine(err, path.join(dir, 'manifest.json'), undefined, /unknown dataset 'beta' \(known: alpha, zeta\)$/);
    expect(() => datasetPath('beta', dir)).toThrow(/known: alpha, zeta/);
  });

  test('a file replaced after the manifest was written fails the checksum', () => {
    const { dir } = folder();
    const file = path.join(dir, 'alpha.npz');
    saveDataset(file, sampleDataset(3));
    expectOneLine(catchDatasetError(() => loadNamedDataset('alpha', dir)), file, undefined, /SHA-256 is [0-9a-f]{64}, expected [0-9a-f]{64}/);
  });

  test('counts that disagree with the file are refused', () => {
    const { dir, manifest } = folder();
    manifest.datasets.alpha.episodes = 4;
    writeManifest(dir, manifest);
    expectOneLine(catchDatasetError(() => loadNamedDataset('alpha', dir)), path.join(dir, 'alpha.npz'), undefined, /holds 12 transitions in 3 episodes, the manifest says 12 in 4/);
  });

  test('malformed manifests are one-line errors naming the field', () => {
    const { dir, manifest } = folder();
    const file = path.join(dir, 'manifest.json');
    const write = (m: unknown): void => fs.writeFileSync(file, typeof m === 'string' ? m : JSON.stringify(m));
    const entry = manifest.datasets.alpha;
    write('{"datasets": ');
    expectOneLine(catchDatasetError(() => readManifest(dir)), file, undefined, /not valid JSON/);
    write({ sets: {} });
    expectOneLine(catchDatasetError(() => readManifest(dir)), file, 'datasets', /missing or not an object/);
    write({ datasets: { alpha: { ...entry, sha256: 'ABC' } } });
    expectOneLine(catchDatasetError(() => readManifest(dir)), file, 'datasets.alpha.sha256', /not 64 lowercase hex digits/);
    write({ datasets: { alpha: { ...entry, file: '../elsewhere.npz' } } });
    expectOneLine(catchDatasetError(() => readManifest(dir)), file, 'datasets.alpha.file', /expected 'alpha.npz'/);
    write({ datasets: { alpha: { ...entry, transitions: 0 } } });
    expectOneLine(catchDatasetError(() => readManifest(dir)), file, 'datasets.alpha.transitions', /not a positive integer/);
    write({ datasets: { alpha: { ...entry, layout: undefined } } });
    expectOneLine(catchDatasetError(() => readManifest(dir)), file, 'datasets.alpha.layout', /missing or not a string/);
    const empty = tempDir();
    expectOneLine(catchDatasetError(() => readManifest(empty)), path.join(empty, 'manifest.json'), undefined, /cannot read the manifest \(ENOENT\)/);
  });

  test('manifestEntry refuses a file name other than <name>.npz and a file that holds other data', () => {
    const dir = tempDir();
    const file = path.join(dir, 'alpha.npz');
    saveDataset(file, sampleDataset(1));
    expect(() => manifestEntry('beta', file, 'l', 'd', sampleDataset(1))).toThrow(/must be stored as beta.npz/);
    expectOneLine(catchDatasetError(() => manifestEntry('alpha', file, 'l', 'd', sampleDataset(2))), file, undefined, /does not hold the dataset described as 'alpha'/);
  });

  test('the default folder is <repo>/fixtures/datasets', () => {
    expect(DEFAULT_DATASET_DIR).toBe(path.resolve(__dirname, '..', '..', 'fixtures', 'datasets'));
  });
});
