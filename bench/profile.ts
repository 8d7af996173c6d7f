// Summary of a V8 CPU profile (`node --cpu-prof`): self time by function and by where the code lives.
//
//   tsx bench/profile.ts FILE.cpuprofile [--top 25]
//
// Used to find what a benchmark spends its time on (docs/benchmarks.md quotes these summaries).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export type { CpuProfile };

export interface ProfileSummary {
  totalMs: number;
  /** Self time per place: wasm kernels, tfjs-core, the wasm backend's JS, tsx, our code, GC, ... */
  byPlace: Array<{ place: string; ms: number; share: number }>;
  byFunction: Array<{ name: string; place: string; ms: number; share: number }>;
  /** Time inside wasm, by the tfjs-backend-wasm function that called into it (the kernel). */
  wasmByKernel: Array<{ kernel: string; ms: number; share: number }>;
}

/** Where a frame's code lives, in a few words. */
export function placeOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'garbage collector';
  if (name === '(idle)' || name === '(program)' || name === '(root)') return name.slice(1, -1);
  if (url.startsWith('wasm://') || /^\$?wasm-function/.test(name)) return 'wasm kernels';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:') || url === '') return 'node internals';
  // The kit's own folders, by the path under the kit (a kit checked out under /tmp/bench/ is not all "bench").
  const file = url.replace(/^file:\/\//, '');
  const inKit = file.startsWith(KIT_ROOT + path.sep) ? file.slice(KIT_ROOT.length + 1) : file;
  const own = /^(?:assignments\/[^/]+\/)?(provided|solutions|starter|grader|bench|scripts)\//.exec(inKit);
  return own ? own[1] : url;
}

/** The in-process inspector's own frames (a profile taken with node:inspector ends inside them). */
const isInspector = (name: string, url: string) => name === 'dispatch' && url === '';

/** Files whose functions call wasm: tfjs-backend-wasm's kernels, the kit's lean wrappers of them, the kit's Adam and matMul. */
const WASM_CALLERS = /tfjs-backend-wasm\/dist\/tf-backend-wasm|provided\/runtime\/wasm-kernels\.ts|provided\/train\/adam-wasm\.ts|provided\/nets\/matmul-wasm\.ts/;

export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** The nearest caller of a wasm frame that is the wasm backend's JavaScript (or the kit's lean wrappers, Adam): the kernel's name. */
  const kernelOf = (id: number): string => {
    for (let cur = parent.get(id); cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      const wrapper = /^(ccall|cwrap|Module\.|_|$)/.test(cf.functionName) || cf.functionName === '(anonymous)';
      if (WASM_CALLERS.test(cf.url) && !wrapper) return cf.functionName;
    }
    return '(unknown)';
  };
  const kernels = new Map<string, number>();
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const [id, us] of selfUs) if (!isInspector(byId.get(id)!.callFrame.functionName, byId.get(id)!.callFrame.url)) total += us;
  const places = new Map<string, number>();
  const functions = new Map<string, { place: string; us: number }>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (isInspector(functionName, url)) continue;
    const place = placeOf(url, functionName);
    places.set(place, (places.get(place) ?? 0) + us);
    if (place === 'wasm kernels') kernels.set(kernelOf(id), (kernels.get(kernelOf(id)) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    const f = functions.get(key) ?? { place, us: 0 };
    f.us += us;
    functions.set(key, f);
  }
  const share = (us: number) => us / Math.max(1, total);
  return {
    totalMs: total / 1000,
    byPlace: [...places].sort((a, b) => b[1] - a[1]).map(([place, us]) => ({ place, ms: us / 1000, share: share(us) })),
    byFunction: [...functions]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([name, f]) => ({ name, place: f.place, ms: f.us / 1000, share: share(f.us) })),
    wasmByKernel: [...kernels].sort((a, b) => b[1] - a[1]).map(([kernel, us]) => ({ kernel, ms: us / 1000, share: share(us) })),
  };
}

export function formatSummary(s: ProfileSummary): string {
  const pct = (x: number) => `${(100 * x).toFixed(1).padStart(5)}%`;
  return [
    `total ${s.totalMs.toFixed(0)} ms of samples`,
    '-- self time by place',
    ...s.byPlace.map((p) => `${pct(p.share)}  ${p.place}`),
    '-- self time by function',
    ...s.byFunction.map((f) => `${pct(f.share)}  ${f.name}  [${f.place}]`),
    '-- time in wasm by the kernel that called it',
    ...s.wasmByKernel.map((k) => `${pct(k.share)}  ${k.kernel}`),
  ].join('\n');
}

if (require.main === module) {
  const [file, flag, n] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx bench/profile.ts FILE.cpuprofile [--top N]\n');
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(formatSummary(summariseProfile(profile, flag === '--top' ? Number(n) : 25)) + '\n');
}
