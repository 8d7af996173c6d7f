// Opens the dataset a training run asks for: a bundled one by name (checked against the
// manifest) or a file made elsewhere (.npz from NumPy, D4RL-style .hdf5), imported leniently.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dataset } from '../data/dataset';
import { importDataset } from '../data/import';
import { DEFAULT_DATASET_DIR, loadNamedDataset, readManifest } from '../data/manifest';
import { getLayout, MazeLayout } from '../maze/layouts';

export interface OpenedDataset {
  dataset: Dataset;
  layout: MazeLayout;
  /** The manifest name, or the file's base name. */
  name: string;
}

/**
 * `nameOrFile` is a manifest name (`stitch`) or a path to a data file. A file's layout comes from
 * `layoutName` (default `umaze`); the importer's notes (casts, derived fields) go to stderr.
 */
export async function openDataset(nameOrFile: string, layoutName?: string, dir = DEFAULT_DATASET_DIR): Promise<OpenedDataset> {
  const manifest = readManifest(dir);
  const entry = Object.prototype.hasOwnProperty.call(manifest.datasets, nameOrFile) ? manifest.datasets[nameOrFile] : undefined;
  if (entry) {
    return { dataset: loadNamedDataset(nameOrFile, dir), layout: getLayout(layoutName ?? entry.layout), name: nameOrFile };
  }
  if (fs.existsSync(nameOrFile) && fs.statSync(nameOrFile).isFile()) {
    const { dataset, notes } = await importDataset(nameOrFile);
    for (const note of notes) process.stderr.write(`[rlhw] ${nameOrFile}: ${note}\n`);
    return { dataset, layout: getLayout(layoutName ?? 'umaze'), name: path.basename(nameOrFile).replace(/\.[^.]+$/, '') };
  }
  const known = Object.keys(manifest.datasets).join(', ');
  throw new Error(`unknown dataset '${nameOrFile}': not a bundled dataset (${known}) and not a file`);
}
