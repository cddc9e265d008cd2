/**
 * Calendar days as integers: the number of days since 1970-01-01 in the proleptic Gregorian calendar.
 * Integers compare, sort and index arrays fast and never carry a time zone; the engine stores every
 * date this way. Conversions follow Howard Hinnant's `days_from_civil` / `civil_from_days`.
 */
export type Day = number;

export interface CivilDate {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

/**
 * A day after every real date: the end of an open spell (validTo null). 2^30 − 1 stays a small
 * integer in V8 (no boxed heap number per open spell) and lies millions of years after 2100.
 */
export const OPEN_END: Day = 0x3fffffff;

export function dayFromCivil(year: number, month: number, day: number): Day {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDay(value: Day): CivilDate {
  const z = value + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` to a day number, or null when it is not a real calendar date. */
export function tryParseDay(text: unknown): Day | null {
  if (typeof text !== 'string') return null;
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return dayFromCivil(year, month, day);
}

export function parseDay(text: string): Day {
  const day = tryParseDay(text);
  if (day === null) throw new RangeError('not a calendar date YYYY-MM-DD');
  return day;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatDay(value: Day): string {
  const { year, month, day } = civilFromDay(value);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/**
 * The same date `years` years earlier (indicators.md "d − 1y"); 29 February maps to 28 February
 * when the target year has no 29 February.
 */
export function yearsEarlier(value: Day, years = 1): Day {
  const { year, month, day } = civilFromDay(value);
  const target = year - years;
  return dayFromCivil(target, month, Math.min(day, daysInMonth(target, month)));
}

/** Months since year 0 (`year * 12 + month - 1`): the unit in which birth months and ages are compared. */
export function monthIndexOfDay(value: Day): number {
  const { year, month } = civilFromDay(value);
  return year * 12 + month - 1;
}
