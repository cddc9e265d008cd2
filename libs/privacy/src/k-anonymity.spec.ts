import fc from 'fast-check';
import { classKey, classSizes, enforceKAnonymity, generalize, type QuasiIdentifiers, SUPPRESSED } from './k-anonymity';

const q = (birthMonth: string | null, sex: string | null, nationality: string | null, municipality: string | null): QuasiIdentifiers => ({
  birthMonth,
  sex,
  nationality,
  municipality,
});

describe('k-anonymity of exported microdata', () => {
  it('generalizes along the documented hierarchy', () => {
    const r = q('1983-07', 'f', 'foreign', '01056015');
    expect([0, 1, 2, 3, 4, 5].map((l) => generalize(r, l))).toEqual([
      q('1983-07', 'f', 'foreign', '01056015'),
      q('1983', 'f', 'foreign', '01056015'),
      q('1980–1984', 'f', 'foreign', '01056015'),
      q('1980–1984', 'f', 'foreign', '01056'),
      q('1980–1984', SUPPRESSED, 'foreign', '01056'),
      q('1980–1984', SUPPRESSED, SUPPRESSED, '01056'),
    ]);
    expect(generalize(q(null, null, null, null), 5)).toEqual(q(null, null, null, null));
    expect(generalize(q('1985-01', 'm', 'german', '01056001'), 2).birthMonth).toBe('1985–1989');
    expect(() => generalize(q('1985', 'm', 'german', '01056001'), 0)).toThrow(/YYYY-MM/);
  });

  it('leaves classes of k alone, generalizes the small ones just enough, and withholds what stays small', () => {
    const big = Array.from({ length: 5 }, () => q('1990-01', 'm', 'german', '01056015'));
    // five people born in 1990 in Appen, each in another month: one step (birth year) makes a class of 5
    const sameYear = Array.from({ length: 5 }, (_, i) => q(`1990-0${i + 1}`, 'f', 'german', '01056001'));
    // one person nobody resembles even at the last level
    const alone = [q('1931-02', 'x', 'foreign', '01056002')];
    const result = enforceKAnonymity([...big, ...sameYear, ...alone], 5);
    expect(result.levels).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1]);
    expect(result.released.slice(5, 10).every((g) => g!.birthMonth === '1990')).toBe(true);
    expect(result.released[10]).toBeUndefined();
    expect(result).toMatchObject({ records: 11, generalized: 5, withheld: 1, byLevel: [5, 5, 0, 0, 0, 0], smallestClass: 5 });
  });

  it('counts people, not records: five spells of one person are a class of one', () => {
    const spells = Array.from({ length: 5 }, () => ({ ...q('1990-01', 'm', 'german', '01056015'), unit: 'p1' }));
    const others = Array.from({ length: 5 }, (_, i) => ({ ...q('1990-01', 'm', 'german', '01056001'), unit: `p${i + 2}` }));
    const result = enforceKAnonymity([...spells, ...others], 5);
    // five records, one person: withheld even at the last level; the five people of Appen stay as they are
    expect(result.levels).toEqual([-1, -1, -1, -1, -1, 0, 0, 0, 0, 0]);
    expect(result).toMatchObject({ withheld: 5, generalized: 0, smallestClass: 5 });
  });

  it('k = 1 changes nothing', () => {
    const records = [q('1990-01', 'm', 'german', '01056015'), q('1931-02', 'x', 'foreign', '01056002')];
    expect(enforceKAnonymity(records, 1)).toMatchObject({ generalized: 0, withheld: 0, released: records });
  });

  it('refuses a k that is not a positive integer', () => {
    expect(() => enforceKAnonymity([], 0)).toThrow(/positive integer/);
    expect(() => enforceKAnonymity([], 2.5)).toThrow(/positive integer/);
  });

  const record = fc.record({
    birthMonth: fc.option(
      fc.tuple(fc.integer({ min: 1930, max: 2024 }), fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
      { nil: null, freq: 10 },
    ),
    sex: fc.option(fc.constantFrom('m', 'f', 'x'), { nil: null, freq: 10 }),
    nationality: fc.option(fc.constantFrom('german', 'foreign'), { nil: null, freq: 10 }),
    municipality: fc.option(fc.constantFrom('01056001', '01056002', '01056015', '01056025'), { nil: null, freq: 10 }),
    unit: fc.option(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { nil: undefined, freq: 3 }),
  });

  it('property: no released class is smaller than k, and every released record is a generalization of its own', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 300 }), fc.integer({ min: 1, max: 12 }), (records, k) => {
        const result = enforceKAnonymity(records, k);
        // counted independently: distinct units (a record without one is a unit of its own) per class
        const sizes = classSizes(
          result.released.map((g) => (g ? classKey(g) : undefined)),
          (i) => records[i].unit ?? `record-${i}`,
        );
        for (const size of sizes.values()) expect(size).toBeGreaterThanOrEqual(k);
        expect(result.released.filter(Boolean).length + result.withheld).toBe(records.length);
        result.released.forEach((g, i) => {
          if (g) expect(g).toEqual(generalize(records[i], result.levels[i]));
        });
        expect(result.byLevel.reduce((a, b) => a + b, 0)).toBe(records.length - result.withheld);
      }),
      { numRuns: 200 },
    );
  });
});
