// Pictures: the ASCII map and the self-contained SVG.
import { Rng } from '../../provided/runtime/rng';
import { rollout, BatchPolicy } from '../../provided/maze/rollout';
import { waypointPolicy } from '../../provided/maze/controllers';
import { getLayout, LAYOUTS } from '../../provided/maze/layouts';
import { renderText, textGridSize } from '../../provided/maze/render-text';
import { renderSvg } from '../../provided/maze/render-svg';

const umaze = getLayout('umaze');
const standStill: BatchPolicy = (_o, n) => new Float32Array(2 * n);
const good = rollout(umaze, waypointPolicy(umaze.route, umaze.stepSize, new Rng(1), { noise: 0.3 }), 4, new Rng(2));
const bad = rollout(umaze, standStill, 2, new Rng(3));
const trajectories = [...good.trajectories, ...bad.trajectories];

/**
 * A small XML well-formedness check: one root <svg>, every tag closed in order, quoted
 * attributes, nothing but whitespace outside the root. Returns the element names in order.
 */
function checkXml(text: string): string[] {
  const body = text.trim();
  expect(body.startsWith('<svg')).toBe(true);
  expect(body.endsWith('</svg>')).toBe(true);
  const stack: string[] = [];
  const names: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(body)) !== null) {
    const between = body.slice(last, m.index);
    expect(between).not.toMatch(/[<>]/); // no stray or malformed tags
    if (stack.length === 0) expect(between.trim()).toBe(''); // nothing outside the root
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      expect(stack.pop()).toBe(name);
    } else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  expect(body.slice(last)).toBe('');
  expect(stack).toEqual([]);
  return names;
}

describe('renderSvg', () => {
  const svg = renderSvg(umaze, trajectories);

  test('is well-formed XML with one polyline per trajectory', () => {
    const names = checkXml(svg);
    expect(names[0]).toBe('svg');
    expect(names.filter((n) => n === 'svg')).toHaveLength(1);
    expect(names.filter((n) => n === 'polyline')).toHaveLength(trajectories.length);
    expect(names).toContain('title');
  });

  test('is self-contained and colours success and failure differently', () => {
    expect(svg).not.toMatch(/href|<image|<script|url\(/);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    const strokes = [...svg.matchAll(/<polyline [^>]*stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1]);
    expect(new Set(strokes).size).toBe(2);
    expect(svg).toContain(`${good.trajectories.length}/${trajectories.length} reached the goal`);
    // walls + arena + start + goal + background
    expect((svg.match(/<rect /g) ?? []).length).toBe(umaze.walls.length + 4);
  });

  test('escapes a custom title and draws a maze without trajectories', () => {
    const plain = renderSvg('corridor', [], { title: 'a <b> & "c"', width: 200 });
    const names = checkXml(plain);
    expect(names).not.toContain('polyline');
    expect(plain).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(plain).toMatch(/^<svg [^>]*width="200"/);
  });
});

describe('renderText', () => {
  test.each(Object.keys(LAYOUTS))('%s has a frame of the right size with S and G', (name) => {
    const text = renderText(name);
    const [rows, cols] = textGridSize(name);
    const lines = text.split('\n');
    expect(lines).toHaveLength(rows + 2);
    lines.forEach((l) => expect(l).toHaveLength(cols + 2));
    expect(lines[0]).toBe('#'.repeat(cols + 2));
    expect(text).toContain('S');
    expect(text).toContain('G');
    expect(text).not.toContain('.');
  });

  test('umaze at 40 columns is 20 rows and shows the wall and the paths', () => {
    const text = renderText(umaze, trajectories, { cols: 40 });
    const lines = text.split('\n');
    expect(lines).toHaveLength(22);
    expect(lines.every((l) => l.length === 42)).toBe(true);
    expect(text).toContain('.');
    // the central wall x in [0.4, 0.6] is columns 16..23 inside the frame, from y = 0.7 down
    expect(lines[lines.length - 2].slice(1 + 16, 1 + 24)).toBe('########');
    expect(lines[1].slice(1 + 16, 1 + 24)).not.toContain('#');
  });

  test('custom grid sizes are honoured', () => {
    const lines = renderText('corridor', [], { cols: 30, rows: 7 }).split('\n');
    expect(lines).toHaveLength(9);
    expect(lines.every((l) => l.length === 32)).toBe(true);
  });
});
