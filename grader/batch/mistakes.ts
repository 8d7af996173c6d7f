/**
 * Hints grouped by the mistake behind them, for the batch summary. One mistake shows up as several
 * hints: a mistake in one function gives its own hint on that function's question, and "In f: ..."
 * on an update that calls it. The assignment's diagnostics name each known mistake by a variant id
 * on a function ("swapped-sign" on m.f, or "f:swapped-sign" on an update, which is the mistake of
 * f), so hints are grouped like this: two hints are one mistake when variants with the same
 * mistake id on functions of the same module give them, or when they are the same text (a generic
 * hint of several modules is one mistake). A hint that no variant gives (a result graded by an
 * older grader) is a mistake of its own.
 */
import { loadPrivate, loadPublic } from '../assignment/plugin';
import type { Assignment } from '../assignment/types';

export interface Mistake {
  /** The same for every hint of one mistake. */
  key: string;
  /** Short and whole, for chart labels: "<module title>: <mistake id>" (an unknown hint: the hint itself). */
  name: string;
  /** The hint is a function's own, not "In f: ..." on an update composed with it. */
  direct: boolean;
}

/** Hint text -> its mistake, for every hint the assignment's diagnostics can give. */
function knownMistakes(a: Pick<Assignment, 'codeDir'>): Map<string, Mistake> {
  const all = [...loadPrivate(a).variants, ...loadPublic(a).outputChecks];
  const titles = loadPublic(a).moduleTitles ?? {};
  // "f:mistake" on an update is the mistake of f, in the module that holds f.
  const moduleOf = new Map(all.filter((v) => !v.id.includes(':')).map((v) => [v.target.split('.')[1], v.target.split('.')[0]]));
  const variants = all.map((v) => {
    const [fn, id] = v.id.includes(':') ? v.id.split(':') : [undefined, v.id];
    return { hint: v.hint, module: (fn && moduleOf.get(fn)) || v.target.split('.')[0], id, direct: fn === undefined };
  });
  // Union-find over "module/id" keys: a hint given by several keys joins them.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    while (parent.get(k) !== k) k = parent.get(k)!;
    return k;
  };
  const keysOfHint = new Map<string, string[]>();
  for (const v of variants) {
    const key = `${v.module}/${v.id}`;
    if (!parent.has(key)) parent.set(key, key);
    keysOfHint.set(v.hint, [...(keysOfHint.get(v.hint) ?? []), key]);
  }
  for (const keys of keysOfHint.values()) for (const k of keys.slice(1)) parent.set(find(k), find(keys[0]));
  // A group's name: its modules (in the order of the variant list) and its mistake ids.
  const members = new Map<string, { modules: string[]; ids: string[] }>();
  for (const v of variants) {
    const m = members.get(find(`${v.module}/${v.id}`)) ?? { modules: [], ids: [] };
    if (!m.modules.includes(v.module)) m.modules.push(v.module);
    if (!m.ids.includes(v.id)) m.ids.push(v.id);
    members.set(find(`${v.module}/${v.id}`), m);
  }
  const out = new Map<string, Mistake>();
  for (const v of variants) {
    if (out.has(v.hint)) continue;
    const key = find(`${v.module}/${v.id}`);
    const m = members.get(key)!;
    out.set(v.hint, { key, name: `${m.modules.map((x) => titles[x] ?? x).join(', ')}: ${m.ids.map((id) => id.replace(/-/g, ' ')).join(' / ')}`, direct: v.direct });
  }
  return out;
}

const known = new Map<string, Map<string, Mistake>>();

/** The mistake behind a hint given by assignment `a`'s grader. */
export function mistakeOf(a: Pick<Assignment, 'codeDir'>, hint: string): Mistake {
  if (!known.has(a.codeDir)) known.set(a.codeDir, knownMistakes(a));
  return known.get(a.codeDir)!.get(hint) ?? { key: `hint:${hint}`, name: hint, direct: true };
}
