/**
 * Escaping and number formatting shared by the renderers. Handlebars already HTML-escapes `{{x}}`;
 * these helpers cover Markdown, where student text must not become markup (or raw HTML).
 */

/**
 * Markdown text with no markup left: HTML specials as entities, Markdown punctuation backslashed, one
 * line. For results.json, whose Markdown Gradescope renders (entities are safe in any renderer).
 */
export function mdText(s: string): string {
  return s
    .trim()
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^([#+=-])(?=\s|$)/, '\\$1') // would start a heading or a list
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/**
 * Markdown text for report.md, a file people also read as plain text: no entities. What a viewer
 * would turn into markup is backslash-escaped only where it would: '<' before a tag or autolink
 * ('<b', '</', '<!', '<?'), '&' before an entity ('&gt;', '&#60;'), '_' unless between two
 * letters or digits (w_max stays as it is), and always '\\', '`', '*', '[', ']', '|', '~'. One line, as mdText.
 */
export function mdPlainText(s: string): string {
  return s
    .trim()
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/([\\`*[\]|~])/g, '\\$1')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#?\w+;)/g, '\\&')
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/^([#+=>-])(?=\s|$)/, '\\$1') // would start a heading, a list or a quote
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** A fenced code block holding `lines` verbatim (the fence is longer than any backtick run inside). */
export function mdCode(lines: string[]): string {
  const body = lines.join('\n');
  const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${body}\n${fence}`;
}

/** Points for people: at most two decimals, no trailing zeros. */
export function points(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/** A safe file-name stem from an id: letters, digits, dots, dashes. */
export function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'figure';
}
