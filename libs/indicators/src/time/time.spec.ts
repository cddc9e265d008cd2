import fc from 'fast-check';
import { ageAt, ageAtMonth, birthMonthRange, formatBirthMonth, tryParseBirthMonth } from './age';
import { civilFromDay, dayFromCivil, formatDay, monthIndexOfDay, parseDay, tryParseDay, yearsEarlier } from './day';
import { completedYears, eventWindow, resolvePeriod } from './period';
import { isValidAt } from './spell';

describe('day numbers', () => {
  it('counts days from 1970-01-01', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(parseDay('1970-01-02')).toBe(1);
    expect(parseDay('1969-12-31')).toBe(-1);
    expect(parseDay('2000-03-01') - parseDay('2000-02-28')).toBe(2); // 2000 is a leap year
    expect(parseDay('1900-03-01') - parseDay('1900-02-28')).toBe(1); // 1900 is not
  });

  it('round-trips every date between 1900 and 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: parseDay('1900-01-01'), max: parseDay('2100-12-31') }), (day) => {
        const text = formatDay(day);
        expect(parseDay(text)).toBe(day);
        const { year, month, day: dom } = civilFromDay(day);
        expect(dayFromCivil(year, month, dom)).toBe(day);
        expect(new Date(`${text}T00:00:00Z`).getTime() / 86_400_000).toBe(day);
      }),
    );
  });

  it('rejects what is not a calendar date', () => {
    for (const bad of [
      '2023-02-29',
      '2023-13-01',
      '2023-00-10',
      '2023-04-31',
      '23-01-01',
      '2023-1-1',
      20230101,
      null,
    ]) {
      expect(tryParseDay(bad)).toBeNull();
    }
    expect(tryParseDay('2024-02-29')).not.toBeNull();
    expect(() => parseDay('2023-02-29')).toThrow(RangeError);
  });

  it('goes one year back, 29 February to 28 February', () => {
    expect(formatDay(yearsEarlier(parseDay('2024-02-29')))).toBe('2023-02-28');
    expect(formatDay(yearsEarlier(parseDay('2023-12-31')))).toBe('2022-12-31');
    expect(formatDay(yearsEarlier(parseDay('2024-02-28')))).toBe('2023-02-28');
    expect(formatDay(yearsEarlier(parseDay('2028-02-29'), 4))).toBe('2024-02-29');
  });
});

describe('periods', () => {
  it('year Y: Stichtag Y-12-31, window Y-01-01 … Y-12-31', () => {
    const p = resolvePeriod('2023');
    expect(p).toMatchObject({ period: '2023', kind: 'year', year: 2023, stichtag: parseDay('2023-12-31') });
    expect(formatDay(p.window.from)).toBe('2023-01-01');
    expect(formatDay(p.window.to)).toBe('2023-12-31');
  });

  it('date d: the twelve months ending at d, from the day after d − 1y', () => {
    const w = eventWindow(parseDay('2024-06-15'));
    expect([formatDay(w.from), formatDay(w.to)]).toEqual(['2023-06-16', '2024-06-15']);
    const leap = eventWindow(parseDay('2024-02-29'));
    expect([formatDay(leap.from), formatDay(leap.to)]).toEqual(['2023-03-01', '2024-02-29']);
    const after = eventWindow(parseDay('2025-02-28'));
    expect(formatDay(after.from)).toBe('2024-02-29');
  });

  it('equals the year period for d = Y-12-31', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1901, max: 2100 }), (year) => {
        expect(resolvePeriod(`${year}-12-31`).window).toEqual(resolvePeriod(String(year)).window);
      }),
    );
  });

  it('resolves current with today, and refuses the rest', () => {
    expect(resolvePeriod('current', parseDay('2025-11-25'))).toMatchObject({
      kind: 'current',
      stichtag: parseDay('2025-11-25'),
      year: null,
    });
    expect(() => resolvePeriod('current')).toThrow(RangeError);
    expect(() => resolvePeriod('2023-02-30')).toThrow(RangeError);
    expect(() => resolvePeriod('last-year')).toThrow(RangeError);
  });

  it('lists completed years from the first year', () => {
    expect(completedYears(2015, parseDay('2018-01-01'))).toEqual([2015, 2016, 2017]);
    expect(completedYears(2015, parseDay('2015-12-31'))).toEqual([]);
  });
});

describe('age by birth month', () => {
  it('is d.year − birthYear − (d.month < birthMonth ? 1 : 0)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: parseDay('1900-01-01'), max: parseDay('2100-12-31') }),
        (by, bm, d) => {
          const { year, month } = civilFromDay(d);
          const expected = year - by - (month < bm ? 1 : 0);
          expect(ageAt(by * 12 + bm - 1, d)).toBe(expected);
        },
      ),
    );
  });

  it('counts the birthday from the first day of the birth month', () => {
    const june2000 = tryParseBirthMonth('2000-06')!;
    expect(ageAt(june2000, parseDay('2023-05-31'))).toBe(22);
    expect(ageAt(june2000, parseDay('2023-06-01'))).toBe(23);
    const feb2004 = tryParseBirthMonth('2004-02')!;
    expect(ageAt(feb2004, parseDay('2023-02-28'))).toBe(19);
    expect(ageAt(feb2004, parseDay('2024-02-29'))).toBe(20);
  });

  it('selects exactly the birth months of an age range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1990 * 12, max: 2030 * 12 }),
        fc.integer({ min: 1890 * 12, max: 2030 * 12 }),
        (min, span, stichtagMonth, birth) => {
          const { lo, hi } = birthMonthRange(min, min + span, stichtagMonth);
          const age = ageAtMonth(birth, stichtagMonth);
          expect(birth >= lo && birth <= hi).toBe(age >= min && age <= min + span);
          const open = birthMonthRange(min, null, stichtagMonth);
          expect(birth >= open.lo && birth <= open.hi).toBe(age >= min);
        },
      ),
    );
  });

  it('parses and prints YYYY-MM', () => {
    expect(formatBirthMonth(tryParseBirthMonth('1987-09')!)).toBe('1987-09');
    expect(tryParseBirthMonth('1987-13')).toBeNull();
    expect(tryParseBirthMonth('1987-9')).toBeNull();
    expect(monthIndexOfDay(parseDay('1987-09-30'))).toBe(tryParseBirthMonth('1987-09'));
  });
});

describe('spell validity', () => {
  it('is validFrom <= d < validTo, open when validTo is null', () => {
    const from = parseDay('2023-01-01');
    const to = parseDay('2023-02-01');
    expect(isValidAt(from, to, from)).toBe(true);
    expect(isValidAt(from, to, to - 1)).toBe(true);
    expect(isValidAt(from, to, to)).toBe(false);
    expect(isValidAt(from, to, from - 1)).toBe(false);
    expect(isValidAt(from, null, parseDay('2100-12-31'))).toBe(true);
  });
});
