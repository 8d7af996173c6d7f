// The handout's own package.json (scripts test/train/submit, only the packages the handout
// uses, at the kit's versions), its lockfile (the kit's lockfile pruned by npm, offline), its
// tsconfig.json, jest.config.js and .gitignore.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Packages the handout's code uses at run time (vega and vega-lite are loaded with import()).
 * sucrase: the runner child's TypeScript loader falls back to it where swc's native addon cannot load.
 */
export const RUNTIME_PACKAGES = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'cli-progress', 'commander', 'fflate', 'h5wasm', 'sucrase', 'tsx', 'vega', 'vega-lite', 'yaml'];
/** Native TensorFlow where its install can download libtensorflow; npm skips it when it cannot. */
export const OPTIONAL_PACKAGES = ['@tensorflow/tfjs-node'];
/** Tests and type-checks (typescript also type-checks in npm run submit). */
export const DEV_PACKAGES = ['@swc/core', '@swc/jest', '@types/cli-progress', '@types/jest', '@types/node', 'jest', 'typescript'];

interface KitPackage {
  version: string;
  license?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export const readKitPackage = (kitRoot: string): KitPackage => JSON.parse(fs.readFileSync(path.join(kitRoot, 'package.json'), 'utf8')) as KitPackage;

function pick(names: string[], kit: KitPackage): Record<string, string> {
  const all = { ...kit.dependencies, ...kit.optionalDependencies, ...kit.devDependencies };
  return Object.fromEntries(
    names.map((n) => {
      if (!all[n]) throw new Error(`package.json: the handout needs '${n}', which the kit's package.json does not list`);
      return [n, all[n]];
    }),
  );
}

/** The handout's npm scripts: Node programs only (no shell syntax), so they run on Linux, macOS and Windows. */
export function handoutScripts(homeworkDir: string, has: (rel: string) => boolean): Record<string, string> {
  const scripts: Record<string, string> = {
    test: 'jest',
    'test:runs': 'jest',
    train: `tsx provided/train/cli.ts --impl ${homeworkDir}`,
    submit: 'tsx scripts/submit.ts',
    typecheck: 'tsc --noEmit -p .',
  };
  if (has('provided/sweep/cli.ts')) scripts.sweep = `tsx provided/sweep/cli.ts --impl ${homeworkDir}`;
  return scripts;
}

export function handoutPackageJson(kit: KitPackage, name: string, description: string, scripts: Record<string, string>): string {
  const pkg = {
    name,
    version: kit.version,
    private: true,
    description,
    license: kit.license ?? 'UNLICENSED',
    engines: kit.engines ?? { node: '>=20' },
    scripts,
    dependencies: pick(RUNTIME_PACKAGES, kit),
    optionalDependencies: pick(OPTIONAL_PACKAGES, kit),
    devDependencies: pick(DEV_PACKAGES, kit),
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/**
 * The handout's package-lock.json: the kit's lockfile pruned to the handout's packages by
 * `npm install --package-lock-only --offline` (every version stays the kit's; nothing is fetched).
 */
export function handoutLockfile(kitRoot: string, packageJson: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhw-handout-lock-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), packageJson);
    fs.copyFileSync(path.join(kitRoot, 'package-lock.json'), path.join(dir, 'package-lock.json'));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      encoding: 'utf8',
      shell: process.platform === 'win32',
      timeout: 120_000,
    });
    if (r.status !== 0) {
      const why = (r.error?.message ?? r.stderr ?? '').split('\n').find((l) => l.trim() && !/Unknown (user|project) config/.test(l)) ?? `exit ${r.status}`;
      throw new Error(`package-lock.json: npm could not prune the kit's lockfile for the handout: ${why}`);
    }
    return fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const HANDOUT_TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      strict: true,
      noImplicitOverride: true,
      noFallthroughCasesInSwitch: true,
      esModuleInterop: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      types: ['node', 'jest'],
      noEmit: true,
    },
    include: ['homework', 'provided', 'grader', 'tests', 'scripts'],
    exclude: ['node_modules', 'runs'],
  },
  null,
  2,
)}\n`;

export const HANDOUT_JEST_CONFIG = `// Public tests: TypeScript through swc, each failure printed as its message only (noStackTrace),
// passing tests quiet (verbose: false), and a summary of public points per question at the end
// (tests/summary-reporter.js).
const transform = { '^.+\\\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] };
module.exports = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  testTimeout: 60000,
  noStackTrace: true,
  verbose: false,
  reporters: ['default', '<rootDir>/tests/summary-reporter.js'],
};
`;

export const HANDOUT_GITIGNORE = 'node_modules/\nruns/\nsubmission.zip\n';
