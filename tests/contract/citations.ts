// Reading the math contract (docs/contract.md) and the citations of it: "docs/contract.md §5",
// "docs/contract.md §0, §1", "docs/contract.md §5 step 4". Shared by the repository's citation test
// and the handout test (which checks the shipped copy).

/** A citation found in a file: the sections it names and, for "§5 step 4", the step. */
export interface Citation {
  file: string;
  line: number;
  sections: number[];
  step?: number;
  text: string;
}

/** The contract's sections: number -> its text (the heading "## §5 ..." up to the next "## "). */
export function contractSections(markdown: string): Map<number, string> {
  const sections = new Map<number, string>();
  const parts = markdown.split(/^(?=## )/m);
  for (const part of parts) {
    const m = /^## §(\d+) /.exec(part);
    if (m) sections.set(Number(m[1]), part);
  }
  return sections;
}

const CITATION = /docs\/contract\.md((?:,? (?:and )?§\d+)+)(?: step (\d+))?/g;

/** Every citation of docs/contract.md in `text` (the contract's own "§N" mentions are not citations). */
export function citationsIn(file: string, text: string): Citation[] {
  const out: Citation[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const m of lineText.matchAll(CITATION)) {
      const sections = [...m[1].matchAll(/§(\d+)/g)].map((s) => Number(s[1]));
      out.push({ file, line: i + 1, sections, ...(m[2] ? { step: Number(m[2]) } : {}), text: m[0] });
    }
  });
  return out;
}

/** One line ("file:line: the citation: what is missing") for each citation the contract cannot answer. */
export function brokenCitations(citations: Citation[], sections: Map<number, string>): string[] {
  const problems: string[] = [];
  for (const c of citations) {
    for (const n of c.sections) {
      const body = sections.get(n);
      if (body === undefined) problems.push(`${c.file}:${c.line}: ${c.text}: there is no §${n}`);
      else if (c.step !== undefined && !new RegExp(`^\\s*${c.step}\\. `, 'm').test(body)) problems.push(`${c.file}:${c.line}: ${c.text}: §${n} has no step ${c.step}`);
    }
  }
  return problems;
}
