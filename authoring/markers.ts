// Finds the solution regions of a source file, line by line, and checks the markers balance.
//
// Two forms:
//   // BEGIN SOLUTION            (alone on its line, indented like the code)
//   ...solution lines...
//   // END SOLUTION
// and a single statement line ending with the comment `// SOLUTION`.
import { StarterBuildError } from './build-error';

export interface SolutionRegion {
  kind: 'block' | 'line';
  /** 0-based index of the BEGIN marker line, or of the marked statement line. */
  firstLine: number;
  /** 0-based index of the END marker line (= firstLine for the single-line form). */
  lastLine: number;
  /** Leading whitespace of the first line: the stub is written at this indentation. */
  indent: string;
}

const BEGIN = /^([ \t]*)\/\/[ \t]*BEGIN SOLUTION[ \t]*$/;
const END = /^([ \t]*)\/\/[ \t]*END SOLUTION[ \t]*$/;
/** Code, then `// SOLUTION` at the end of the line; the code must not itself be a comment. */
const SINGLE = /^([ \t]*)(?!\/\/)(\S.*?)[ \t]*\/\/[ \t]*SOLUTION[ \t]*$/;
/** Anything that looks like a marker; lines matching this but none of the above are errors. */
const MARKER_LIKE = /\b(?:BEGIN|END)[ \t]+SOLUTION\b|\/\/[ \t]*SOLUTION\b/;

/** Splits text into lines that keep their terminators, so that joining them restores the text. */
export function splitLinesKeepEol(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  return lines;
}

/** The line without its terminator (`\n` or `\r\n`). */
export function lineBody(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/**
 * Lists the solution regions of `lines` (as from splitLinesKeepEol), in order.
 *
 * @param file shown in errors, e.g. "solutions/losses.ts"
 * @throws StarterBuildError (file:line) on a BEGIN without END, a nested BEGIN, an END without
 *         BEGIN, a `// SOLUTION` inside a block region, or a malformed marker
 */
export function findRegions(lines: readonly string[], file: string): SolutionRegion[] {
  const regions: SolutionRegion[] = [];
  let open: { line: number; indent: string } | undefined;
  lines.forEach((raw, i) => {
    const text = lineBody(raw);
    const begin = BEGIN.exec(text);
    const end = END.exec(text);
    const single = SINGLE.exec(text);
    if (begin) {
      if (open) throw new StarterBuildError(file, i + 1, `BEGIN SOLUTION inside the region opened at line ${open.line + 1} (regions do not nest)`);
      open = { line: i, indent: begin[1] };
    } else if (end) {
      if (!open) throw new StarterBuildError(file, i + 1, 'END SOLUTION without a BEGIN SOLUTION before it');
      regions.push({ kind: 'block', firstLine: open.line, lastLine: i, indent: open.indent });
      open = undefined;
    } else if (single) {
      if (open) throw new StarterBuildError(file, i + 1, `'// SOLUTION' inside the region opened at line ${open.line + 1}`);
      regions.push({ kind: 'line', firstLine: i, lastLine: i, indent: single[1] });
    } else if (MARKER_LIKE.test(text)) {
      throw new StarterBuildError(
        file,
        i + 1,
        "malformed solution marker: use '// BEGIN SOLUTION' or '// END SOLUTION' alone on a line, or end a statement line with '// SOLUTION'",
      );
    }
  });
  if (open) throw new StarterBuildError(file, open.line + 1, 'BEGIN SOLUTION without a matching END SOLUTION');
  return regions;
}
