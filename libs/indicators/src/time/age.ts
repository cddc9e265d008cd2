import { type Day, monthIndexOfDay } from './day';

/**
 * Age by birth month (indicators.md "Age at d"): anonymized records keep only the birth year and
 * month, and the birthday counts as the first day of the birth month:
 * `age = d.year - birthYear - (d.month < birthMonth ? 1 : 0)`.
 * With month indices (`year * 12 + month - 1`) that is `floor((dMonth - birthMonth) / 12)`, which lets
 * an age range select a contiguous range of birth months.
 */
const BIRTH_MONTH = /^(\d{4})-(\d{2})$/;

/** `YYYY-MM` to a month index, or null when malformed. */
export function tryParseBirthMonth(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = BIRTH_MONTH.exec(text);
  if (!m) return null;
  const month = +m[2];
  if (month < 1 || month > 12) return null;
  return +m[1] * 12 + month - 1;
}

export function formatBirthMonth(monthIndex: number): string {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}`;
}

/** Completed years at the Stichtag's month index. */
export function ageAtMonth(birthMonthIndex: number, stichtagMonthIndex: number): number {
  return Math.floor((stichtagMonthIndex - birthMonthIndex) / 12);
}

export function ageAt(birthMonthIndex: number, stichtag: Day): number {
  return ageAtMonth(birthMonthIndex, monthIndexOfDay(stichtag));
}

/**
 * The birth-month indices whose age at the Stichtag lies in `[minAge, maxAge]` (both included; null
 * means unbounded), as an inclusive range `[lo, hi]`.
 */
export function birthMonthRange(
  minAge: number | null,
  maxAge: number | null,
  stichtagMonthIndex: number,
): { lo: number; hi: number } {
  // age >= a  <=>  m - b >= 12a       <=>  b <= m - 12a
  // age <= z  <=>  m - b <= 12z + 11  <=>  b >= m - 12z - 11
  return {
    lo: maxAge === null ? -Infinity : stichtagMonthIndex - 12 * maxAge - 11,
    hi: minAge === null ? Infinity : stichtagMonthIndex - 12 * minAge,
  };
}
