/**
 * A conservative clean-up of SVG figures before they are inlined in a report. Figures come from
 * the grader's own charts, but a figure could embed student-controlled text, so: only markup that
 * starts with `<svg` is accepted; scripts, event handlers, foreignObject, external links and
 * `javascript:` URLs are removed; anything still suspicious afterwards rejects the whole figure.
 */

/** Patterns removed until nothing changes (so nested tricks like `<scr<script>ipt>` do not survive). */
const REMOVE: RegExp[] = [
  /<script\b[\s\S]*?<\/script\s*>/gi,
  /<script\b[^>]*\/?>/gi,
  /<foreignObject\b[\s\S]*?<\/foreignObject\s*>/gi,
  /<foreignObject\b[^>]*\/?>/gi,
  /<!--[\s\S]*?-->/g,
  /\s+on[a-z0-9_-]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi,
  // href / xlink:href to anything but a fragment in the same document
  /\s+(?:xlink:)?href\s*=\s*(?:"(?!#)[^"]*"|'(?!#)[^']*'|(?!["'#])[^\s>]+)/gi,
  /@import\b[^;]*;?/gi,
  /url\(\s*(?!["']?#)[^)]*\)/gi,
];

/** Leftovers that reject the figure outright. */
const FORBIDDEN = /<script|<foreignObject|<iframe|<object|<embed|javascript:|\son[a-z0-9_-]*\s*=/i;

/**
 * Clean one SVG figure.
 * @param svg the markup; must start with `<svg` (leading white space allowed)
 * @param target 'inline' drops xmlns declarations (not needed inside HTML, and they are the only
 *   URLs a chart carries); 'file' keeps or adds the SVG namespace so the file displays on its own
 * @returns the cleaned markup, or undefined when the figure is refused
 */
export function sanitizeSvg(svg: string, target: 'inline' | 'file'): string | undefined {
  let out = svg.trim();
  if (!/^<svg[\s>/]/i.test(out)) return undefined;
  for (let changed = true; changed; ) {
    const before = out;
    for (const re of REMOVE) out = out.replace(re, '');
    changed = out !== before;
  }
  if (FORBIDDEN.test(out) || !/^<svg[\s>/]/i.test(out)) return undefined;
  out = out.replace(/\s+xmlns(?::[a-z]+)?\s*=\s*(?:"[^"]*"|'[^']*')/gi, '');
  if (target === 'file') out = out.replace(/^<svg/i, '<svg xmlns="http://www.w3.org/2000/svg"');
  return out;
}
