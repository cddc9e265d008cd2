import fc from 'fast-check';
import { RegionSeries } from './region-series';

describe('RegionSeries', () => {
  it('answers prefix sums per cell at any day, before and after compaction', () => {
    const s = new RegionSeries();
    s.add(7, 10, 1);
    s.add(7, 20, -1);
    s.add(3, 5, 1);
    s.add(7, 20, 1); // cancels the −1 on day 20
    const before = s.counts(15);
    expect([...before.cells].sort()).toEqual([3, 7]);
    s.compact();
    expect(s.pairs(7)).toEqual([[10, 1]]);
    expect(s.pairs(3)).toEqual([[5, 1]]);
    expect(s.entryCount).toBe(2);
    const at = (d: number) => {
      const c = s.counts(d);
      return Object.fromEntries([...c.cells].map((cell, i) => [cell, c.counts[i]]));
    };
    expect(at(4)).toEqual({});
    expect(at(5)).toEqual({ 3: 1 });
    expect(at(10)).toEqual({ 3: 1, 7: 1 });
    expect(at(1000)).toEqual({ 3: 1, 7: 1 });
  });

  it('counts the events of a window as a difference of prefix sums', () => {
    const s = new RegionSeries();
    for (const day of [1, 5, 5, 9]) s.add(0, day, 1);
    expect(s.counts(9, 5).counts[0]).toBe(3);
    expect(s.counts(8, 2).counts[0]).toBe(2);
    expect(s.counts(4, 2).cells.length).toBe(0);
  });

  it('forgets a retracted contribution entirely', () => {
    const s = new RegionSeries();
    s.add(1, 100, 1);
    s.add(1, 200, -1);
    s.compact();
    s.add(1, 100, -1);
    s.add(1, 200, 1);
    expect(s.entryCount).toBe(0);
    expect(s.counts(150).cells.length).toBe(0);
  });

  it('agrees with a naive sum for any sequence of deltas, logged or compacted, large deltas included', () => {
    const op = fc.record({
      cell: fc.integer({ min: 0, max: 5 }),
      day: fc.integer({ min: -25000, max: 47000 }),
      delta: fc.integer({ min: -20, max: 20 }),
      compact: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 60 }),
        fc.array(fc.integer({ min: -25000, max: 47000 }), { minLength: 1, maxLength: 5 }),
        (ops, queries) => {
          const s = new RegionSeries();
          for (const o of ops) {
            s.add(o.cell, o.day, o.delta);
            if (o.compact) s.compact();
          }
          for (const d of queries) {
            const expected = new Map<number, number>();
            for (const o of ops) if (o.day <= d) expected.set(o.cell, (expected.get(o.cell) ?? 0) + o.delta);
            const got = s.counts(d);
            const actual = new Map([...got.cells].map((c, i) => [c, got.counts[i]]));
            for (const [c, v] of expected) expect(actual.get(c) ?? 0).toBe(v);
            for (const v of actual.values()) expect(v).not.toBe(0);
          }
        },
      ),
    );
  });
});
