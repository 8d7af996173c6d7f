test('probe', async () => {
  const gb = (process as any).getBuiltinModule;
  console.log('gb', typeof gb);
  const mod = gb('module');
  const req = mod.createRequire(__filename);
  const p = require('path').join(process.cwd(), 'node_modules/h5wasm/dist/node/hdf5_hl.js');
  try { const m = req(p); await m.ready; console.log('req ok', Object.keys(m).length, typeof m.File, typeof m.FS); } catch (e) { console.log('req fail', String(e).slice(0,300)); }
});
