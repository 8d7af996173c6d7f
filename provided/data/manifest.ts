// The dataset manifest: fixtures/datasets/manifest.json lists every dataset file with its SHA-256,
//   { "datasets": { "<name>": { "file": "<name>.npz", "sha256": "...", "layout": "...",
//                                "transitions": N, "episodes": M, "description": "..." } } }
// and loadNamedDataset loads a dataset by name, refusing a file whose checksum or size differs.
import * as fs from 'fs';
import * as path from 'path';
import { DatasetError } from '../runtime/errors';
import { Dataset, datasetSize, episodeRanges } from './dataset';
import { datasetsBitEqual, loadDataset, sha256File } from './files';

/** One dataset file of the manifest. */
export interface ManifestEntry {
  file: string; // '<name>.npz', in the manifest's folder
  sha256: string; // lowercase hex
  layout: string; // which environment layout generated it
  transitions: number;
  episodes: number;
  description: string;
}

export interface Manifest {
  datasets: Record<string, ManifestEntry>;
}

/** The folder of the committed datasets: <repo>/fixtures/datasets. */
export const DEFAULT_DATASET_DIR = path.resolve(__dirname, '..', '..', 'fixtures', 'datasets');
export const MANIFEST_FILE = 'manifest.json';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkEntry(file: string, name: string, e: unknown): ManifestEntry {
  const field = (key: string): string => `datasets.${name}.${key}`;
  if (!NAME.test(name)) throw new DatasetError(file, `datasets.${name}`, 'invalid dataset name (letters, digits, . _ -)');
  if (typeof e !== 'object' || e === null) throw new DatasetError(file, `datasets.${name}`, 'not an object');
  const o = e as Record<string, unknown>;
  for (const key of ['file', 'sha256', 'layout', 'description']) {
    if (typeof o[key] !== 'string') throw new DatasetError(file, field(key), 'missing or not a string');
  }
  for (const key of ['transitions', 'episodes']) {
    if (!Number.isInteger(o[key]) || (o[key] as number) < 1) throw new DatasetError(file, field(key), 'missing or not a positive integer');
  }
  if (o.file !== `${name}.npz`) throw new DatasetError(file, field('file'), `is '${String(o.file)}', expected '${name}.npz'`);
  if (!/^[0-9a-f]{64}$/.test(o.sha256 as string)) throw new DatasetError(file, field('sha256'), 'not 64 lowercase hex digits');
  const { file: f, sha256, layout, transitions, episodes, description } = o as unknown as ManifestEntry;
  return { file: f, sha256, layout, transitions, episodes, description };
}

/** Reads and checks `<dir>/manifest.json`; a malformed manifest is a one-line DatasetError. */
export function readManifest(dir: string = DEFAULT_DATASET_DIR): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DatasetError(file, undefined, `cannot read the manifest (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DatasetError(file, undefined, `not valid JSON (${(e as Error).message.replace(/\s+/g, ' ')})`);
  }
  const datasets = (json as { datasets?: unknown } | null)?.datasets;
  if (typeof datasets !== 'object' || datasets === null || Array.isArray(datasets)) throw new DatasetError(file, 'datasets', 'missing or not an object');
  const out: Record<string, ManifestEntry> = {};
  for (const [name, entry] of Object.entries(datasets)) out[name] = checkEntry(file, name, entry);
  return { datasets: out };
}

/** The manifest entry of `name`; an unknown name is a one-line error listing the known ones. */
function entryOf(name: string, dir: string): ManifestEntry {
  const manifest = readManifest(dir);
  if (!Object.prototype.hasOwnProperty.call(manifest.datasets, name)) {
    const known = Object.keys(manifest.datasets).sort();
    throw new DatasetError(path.join(dir, MANIFEST_FILE), undefined, `unknown dataset '${name}' (known: ${known.length > 0 ? known.join(', ') : 'none'})`);
  }
  return manifest.datasets[name];
}

/** Path of the file of the named dataset (the name must be in the manifest). */
export function datasetPath(name: string, dir: string = DEFAULT_DATASET_DIR): string {
  return path.join(dir, entryOf(name, dir).file);
}

/** Loads the named dataset strictly (loadDataset), checking the manifest's SHA-256, and the
 * transition and episode counts it lists. */
export function loadNamedDataset(name: string, dir: string = DEFAULT_DATASET_DIR): Dataset {
  const entry = entryOf(name, dir);
  const file = path.join(dir, entry.file);
  const ds = loadDataset(file, { sha256: entry.sha256 });
  const episodes = episodeRanges(ds.terminals, ds.timeouts).length;
  if (datasetSize(ds) !== entry.transitions || episodes !== entry.episodes) {
    throw new DatasetError(file, undefined, `holds ${datasetSize(ds)} transitions in ${episodes} episodes, the manifest says ${entry.transitions} in ${entry.episodes}`);
  }
  return ds;
}

/** The manifest entry of a dataset file already written with saveDataset. `file` is its path and
 * must be named '<name>.npz'; the file is loaded and must hold exactly `ds`. */
export function manifestEntry(name: string, file: string, layout: string, description: string, ds: Dataset): ManifestEntry {
  if (!NAME.test(name)) throw new RangeError(`invalid dataset name '${name}' (letters, digits, . _ -)`);
  if (path.basename(file) !== `${name}.npz`) throw new RangeError(`dataset '${name}' must be stored as ${name}.npz, got ${path.basename(file)}`);
  const sha256 = sha256File(file);
  if (!datasetsBitEqual(loadDataset(file, { sha256 }), ds)) throw new DatasetError(file, undefined, `does not hold the dataset described as '${name}'`);
  return {
    file: path.basename(file),
    sha256,
    layout,
    transitions: datasetSize(ds),
    episodes: episodeRanges(ds.terminals, ds.timeouts).length,
    description,
  };
}

/** Writes `<dir>/manifest.json` with the datasets sorted by name (stable diffs). */
export function writeManifest(dir: string, manifest: Manifest): void {
  const sorted: Record<string, ManifestEntry> = {};
  for (const name of Object.keys(manifest.datasets).sort()) {
    const e = manifest.datasets[name];
    sorted[name] = { file: e.file, sha256: e.sha256, layout: e.layout, transitions: e.transitions, episodes: e.episodes, description: e.description };
  }
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), `${JSON.stringify({ datasets: sorted }, null, 2)}\n`);
}
