import { Random, weighted } from './random';

describe('Random', () => {
  it('repeats the same sequence for the same seed and label', () => {
    const a = Random.stream(42, 'x');
    const b = Random.stream(42, 'x');
    const seqA = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(seqA);
  });

  it('gives different sequences for another seed, another label, or a large seed differing above 32 bits', () => {
    const first = (r: Random): number[] => Array.from({ length: 5 }, () => r.nextUint32());
    const base = first(Random.stream(42, 'x'));
    expect(first(Random.stream(43, 'x'))).not.toEqual(base);
    expect(first(Random.stream(42, 'y'))).not.toEqual(base);
    expect(first(Random.stream(2 ** 40 + 42, 'x'))).not.toEqual(base);
  });

  it('rejects seeds that are not non-negative safe integers', () => {
    expect(() => Random.stream(-1, 'x')).toThrow(RangeError);
    expect(() => Random.stream(1.5, 'x')).toThrow(RangeError);
  });

  it('draws uniform values in [0, 1) with the right mean, and integers within bounds', () => {
    const r = Random.stream(1, 'u');
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = r.next();
      if (x < 0 || x >= 1) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(r.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('draws exponential waiting times with mean 1/rate, and Infinity for rate 0', () => {
    const r = Random.stream(2, 'e');
    let sum = 0;
    for (let i = 0; i < 50_000; i++) sum += r.exponential(4);
    expect(sum / 50_000).toBeCloseTo(0.25, 2);
    expect(r.exponential(0)).toBe(Infinity);
  });

  it('draws from a weighted table in proportion to the weights, never a zero weight', () => {
    const r = Random.stream(3, 'w');
    const table = weighted([
      ['a', 1],
      ['b', 3],
      ['z', 0],
    ] as const);
    const counts = { a: 0, b: 0, z: 0 };
    for (let i = 0; i < 40_000; i++) counts[table.draw(r)]++;
    expect(counts.z).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.8);
    expect(counts.b / counts.a).toBeLessThan(3.2);
    expect(() => weighted([['a', 0]])).toThrow(RangeError);
  });
});
