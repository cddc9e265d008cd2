import { addYears, ageAt, birthdayDay, dayOf, firstOfMonthOnOrAfter, formatDay, parseDay, ymdOf } from './dates';

describe('dates', () => {
  it('agrees with Date.UTC for every day from 1900 to 2100', () => {
    for (let day = dayOf(1900, 1, 1); day <= dayOf(2100, 12, 31); day += 1) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (formatDay(day) !== iso) throw new Error(`day ${day}: ${formatDay(day)} != ${iso}`);
    }
    expect(dayOf(1970, 1, 1)).toBe(0);
    expect(ymdOf(dayOf(2024, 2, 29))).toEqual({ y: 2024, m: 2, d: 29 });
  });

  it('parses only real calendar dates', () => {
    expect(parseDay('2024-02-29')).toBe(dayOf(2024, 2, 29));
    expect(parseDay('2023-02-29')).toBeNull();
    expect(parseDay('2023-13-01')).toBeNull();
    expect(parseDay('2023-1-01')).toBeNull();
    expect(parseDay('yesterday')).toBeNull();
  });

  it('counts completed years, with 29 February birthdays turning a year older on 1 March', () => {
    const birth = { y: 2000, m: 2, d: 29 };
    expect(ageAt(birth, dayOf(2023, 2, 28))).toBe(22);
    expect(ageAt(birth, dayOf(2023, 3, 1))).toBe(23);
    expect(birthdayDay(birth, 23)).toBe(dayOf(2023, 3, 1));
    expect(birthdayDay(birth, 24)).toBe(dayOf(2024, 2, 29));
    expect(ageAt({ y: 1980, m: 6, d: 15 }, dayOf(2020, 6, 14))).toBe(39);
    expect(ageAt({ y: 1980, m: 6, d: 15 }, dayOf(2020, 6, 15))).toBe(40);
  });

  it('adds years keeping the calendar day (29 February → 28 February) and finds the next first of a month', () => {
    expect(formatDay(addYears(dayOf(2024, 2, 29), 1))).toBe('2025-02-28');
    expect(formatDay(addYears(dayOf(2015, 1, 1), -3))).toBe('2012-01-01');
    expect(formatDay(firstOfMonthOnOrAfter(dayOf(2023, 12, 2)))).toBe('2024-01-01');
    expect(formatDay(firstOfMonthOnOrAfter(dayOf(2023, 5, 1)))).toBe('2023-05-01');
  });
});
