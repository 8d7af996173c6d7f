// `npm run build:wasm [-- --check]`: assembles each hand-written WebAssembly module of the kit
// (its .wat text) with wabt and writes the bytes, as base64, into the TypeScript file that loads
// them, so that nothing is assembled at run time (wabt is a dev dependency). With --check, writes
// nothing and fails if a committed module differs from its source by a single byte.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command } from 'commander';

const ROOT = path.resolve(__dirname, '..');

/** Each module: its source and the generated file that holds its bytes. */
export const WASM_MODULES = [
  { wat: 'provided/train/adam.wat', out: 'provided/train/adam-wasm-bytes.ts', name: 'ADAM_WASM' },
  { wat: 'provided/nets/matmul.wat', out: 'provided/nets/matmul-wasm-bytes.ts', name: 'MATMUL_WASM' },
];

/** The module's bytes, assembled from its .wat (SIMD on, no debug names: the same text gives the same bytes). */
export async function assemble(watFile: string): Promise<Uint8Array> {
  const wabt = await (require('wabt') as () => Promise<WabtModule>)();
  const parsed = wabt.parseWat(path.basename(watFile), fs.readFileSync(watFile, 'utf8'), { simd: true });
  try {
    parsed.validate();
    return parsed.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    parsed.destroy();
  }
}

/** The generated file's text. */
export function generatedSource(m: (typeof WASM_MODULES)[number], bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString('base64');
  return [
    `// Generated from ${path.basename(m.wat)} by \`npm run build:wasm\`; do not edit.`,
    `export const ${m.name} = '${b64}';`,
    '',
  ].join('\n');
}

interface WabtModule {
  parseWat(name: string, text: string, features: Record<string, boolean>): {
    validate(): void;
    toBinary(o: { log: boolean; write_debug_names: boolean }): { buffer: Uint8Array };
    destroy(): void;
  };
}

async function main(): Promise<void> {
  const { check } = new Command().option('--check', 'fail if a committed module is stale').parse().opts<{ check?: boolean }>();
  let stale = 0;
  for (const m of WASM_MODULES) {
    const text = generatedSource(m, await assemble(path.join(ROOT, m.wat)));
    const file = path.join(ROOT, m.out);
    if (check) {
      const same = fs.existsSync(file) && fs.readFileSync(file, 'utf8') === text;
      if (!same) stale++;
      process.stdout.write(`${m.out}: ${same ? 'up to date' : `stale: run npm run build:wasm`}\n`);
    } else {
      fs.writeFileSync(file, text);
      process.stdout.write(`${m.out}: written\n`);
    }
  }
  if (stale) process.exit(1);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`build-wasm: ${err.message.split('\n')[0]}\n`);
    process.exit(1);
  });
}
