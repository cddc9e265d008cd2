/**
 * Calendar dates as day numbers (days since 1970-01-01), which makes spells plain integer intervals.
 * No Date objects in the hot path: the generator formats millions of dates.
 */
import { civilFromDay, dayFromCivil } from '@sozialmonitor/indicators/time/day';

export type Day = number;

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

/** Day number of a proleptic Gregorian date: the same day numbers as the counting engine's. */
export function dayOf(y: number, m: number, d: number): Day {
  return dayFromCivil(y, m, d);
}

export function ymdOf(day: Day): Ymd {
  const { year, month, day: d } = civilFromDay(day);
  return { y: year, m: month, d };
}

export function yearOf(day: Day): number {
  return ymdOf(day).y;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export function formatDay(day: Day): string {
  const { y, m, d } = ymdOf(day);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Parses a strict `YYYY-MM-DD` calendar date; null when it is not one. */
export function parseDay(text: string): Day | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return dayOf(y, m, d);
}

export const yearStart = (y: number): Day => dayOf(y, 1, 1);
export const yearEnd = (y: number): Day => dayOf(y, 12, 31);

/** Completed years at `day` of a person born on `birth` (exact birthday; 29 February turns a year older on 1 March). */
export function ageAt(birth: Ymd, day: Day): number {
  const { y, m, d } = ymdOf(day);
  return y - birth.y - (m < birth.m || (m === birth.m && d < birth.d) ? 1 : 0);
}

/** The first day on which a person born on `birth` has completed `age` years. */
export function birthdayDay(birth: Ymd, age: number): Day {
  const y = birth.y + age;
  if (birth.m === 2 && birth.d === 29 && !isLeapYear(y)) return dayOf(y, 3, 1);
  return dayOf(y, birth.m, birth.d);
}

/** The same calendar day `years` later (29 February maps to 28 February). */
export function addYears(day: Day, years: number): Day {
  const { y, m, d } = ymdOf(day);
  return dayOf(y + years, m, Math.min(d, daysInMonth(y + years, m)));
}

/** The first day of the month after `day` (or `day` itself when it is a first). */
export function firstOfMonthOnOrAfter(day: Day): Day {
  const { y, m, d } = ymdOf(day);
  if (d === 1) return day;
  return m === 12 ? dayOf(y + 1, 1, 1) : dayOf(y, m + 1, 1);
}

/** Local calendar date of the machine's clock (only used when --today is not given). */
export function todayFromClock(now: Date): Day {
  return dayOf(now.getFullYear(), now.getMonth() + 1, now.getDate());
}
