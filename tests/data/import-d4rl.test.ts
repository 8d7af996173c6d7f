// The import rule of docs/contract.md §0 against D4RL itself: a D4RL-layout HDF5 file written by h5py
// with terminals and timeouts in known places (fixtures/imports/make_imports.py, d4rl_terminals),
// compared row by row with what D4RL's qlearning_dataset returns for it (the .expected.json the
// same script wrote). Terminal rows are kept, timeout rows and the file's last row dropped, and an
// episode whose end flag was dropped ends at a timeout on its new last row.
import * as fs from 'fs';
import * as path from 'path';
import { episodeRanges } from '../../provided/data/dataset';
import { importDataset } from '../../provided/data/import';
import { IMPORTS_DIR } from './support';

const file = path.join(IMPORTS_DIR, 'd4rl_terminals.hdf5');
const d4rl = JSON.parse(fs.readFileSync(path.join(IMPORTS_DIR, 'd4rl_terminals.expected.json'), 'utf8')) as {
  observations: number[][];
  actions: number[][];
  next_observations: number[][];
  rewards: number[];
  terminals: boolean[];
};

test("every row, value and terminal flag is what D4RL's qlearning_dataset gives", async () => {
  const { dataset: ds } = await importDataset(file);
  expect(ds.rewards.length).toBe(d4rl.rewards.length);
  expect(Array.from(ds.observations.data)).toEqual(d4rl.observations.flat());
  expect(Array.from(ds.next_observations.data)).toEqual(d4rl.next_observations.flat());
  expect(Array.from(ds.actions.data)).toEqual(d4rl.actions.flat());
  expect(Array.from(ds.rewards)).toEqual(d4rl.rewards);
  expect(Array.from(ds.terminals)).toEqual(d4rl.terminals.map(Number));
});

test('terminal rows are kept with their rewards; timeout rows and the last row are dropped', async () => {
  const { dataset: ds } = await importDataset(file);
  // File rows kept: 0-4, 6, 8, 9, 12-14 (rewards[i] = i + 100 * terminal[i]).
  expect(Array.from(ds.rewards)).toEqual([0, 1, 2, 103, 4, 6, 8, 9, 12, 113, 14]);
  expect(Array.from(ds.terminals)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
  // The sparse reward of each kept terminal survives into the episode returns.
  expect(ds.rewards.filter((r) => r >= 100).length).toBe(2);
});

test('an episode whose end flag was dropped ends at a timeout on its new last row; none run together', async () => {
  const { dataset: ds, notes } = await importDataset(file);
  // Episodes [4,6) [6,8) [8,11) lose their flagged row (5, 7 with both flags, 10); [11,12) is dropped
  // whole; [14,16) loses the file's last row (a terminal). Their new last rows are file rows 4, 6, 9, 14.
  expect(Array.from(ds.timeouts)).toEqual([0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1]);
  const starts = episodeRanges(ds.terminals, ds.timeouts).map(([s]) => ds.observations.data[2 * s] / 10);
  expect(starts).toEqual([0, 4, 6, 8, 12, 14]); // the file row each imported episode starts at
  expect(notes).toEqual([
    'cast to float32: observations (<f8), actions (<f8), rewards (<f8)',
    "next_observations missing: derived from the following row (D4RL's qlearning_dataset); dropped 5 rows (4 rows with a timeout, and the file's last row): 16 -> 11 transitions",
    'marked the new last row of 4 episodes as a timeout, so episode boundaries survive',
    'terminal flags lost: 2 of the dropped rows were terminal transitions',
  ]);
});
