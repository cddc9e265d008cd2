import fc from 'fast-check';
import { type Interval, OPEN, intersect, normalize, subtract } from './intervals';

const arbIntervals = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 20 })), { maxLength: 6 })
  .map((xs) => xs.map(([from, len]) => ({ from, to: from + len })));
const covers = (list: readonly Interval[], d: number): boolean => list.some((i) => i.from <= d && d < i.to);

describe('intervals', () => {
  it('normalize, intersect and subtract agree with day-by-day set logic', () => {
    fc.assert(
      fc.property(arbIntervals, arbIntervals, (a, b) => {
        const [na, nb] = [normalize(a), normalize(b)];
        const inter = intersect(na, nb);
        const diff = subtract(na, nb);
        for (let d = -1; d < 90; d++) {
          expect(covers(na, d)).toBe(covers(a, d));
          expect(covers(inter, d)).toBe(covers(a, d) && covers(b, d));
          expect(covers(diff, d)).toBe(covers(a, d) && !covers(b, d));
        }
        for (const list of [na, inter, diff])
          for (let i = 1; i < list.length; i++) expect(list[i].from).toBeGreaterThan(list[i - 1].to - 1);
      }),
    );
  });

  it('keeps open ends open', () => {
    expect(intersect([{ from: 5, to: OPEN }], [{ from: 0, to: OPEN }])).toEqual([{ from: 5, to: OPEN }]);
    expect(subtract([{ from: 0, to: OPEN }], [{ from: 3, to: 4 }])).toEqual([
      { from: 0, to: 3 },
      { from: 4, to: OPEN },
    ]);
  });
});
