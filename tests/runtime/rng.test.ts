import { Rng, hashString } from '../../provided/runtime/rng';

describe('Rng', () => {
  test('the same seed gives the same stream; another seed another stream', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 50 }, () => a.nextUint32());
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.nextUint32())).not.toEqual(xs);
  });

  test('forks are reproducible and independent of draws made on the parent', () => {
    const a = new Rng(3);
    const b = new Rng(3);
    b.uniform();
    b.normal();
    expect(a.fork('x').normals(5)).toEqual(b.fork('x').normals(5));
    expect(a.fork('x').normals(5)).not.toEqual(a.fork('y').normals(5));
  });

  test('uniform lies in [0, 1) with mean 1/2; normal has mean 0 and variance 1', () => {
    const rng = new Rng(11);
    const n = 20000;
    const u = Array.from({ length: n }, () => rng.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((s, x) => s + x, 0) / n - 0.5)).toBeLessThan(0.01);
    const z = rng.normals(n);
    const mean = z.reduce((s, x) => s + x, 0) / n;
    const variance = z.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  test('int(n) covers 0..n-1 and nothing else; a non-integer seed is refused', () => {
    const rng = new Rng(5);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(6)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => new Rng(1.5)).toThrow(/integer/);
    expect(hashString('a')).not.toBe(hashString('b'));
  });
});
