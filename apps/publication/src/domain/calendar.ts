/**
 * The few calendar facts the API needs: real dates, month ends, today's date in the county's time zone.
 * Dates are `YYYY-MM-DD` strings throughout (they sort and compare as text).
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Year, month and day of a real calendar date `YYYY-MM-DD`, or null. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [+m[1], +m[2], +m[3]];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** The last day of its month (31 January, 28/29 February, …, 31 December). */
export function isMonthEnd(date: string): boolean {
  const d = parseIsoDate(date);
  return d !== null && d.day === daysInMonth(d.year, d.month);
}

/** 31 December: the Stichtag of the year period (indicators.md "Periods"). */
export function isYearEnd(date: string): boolean {
  return date.endsWith('-12-31') && parseIsoDate(date) !== null;
}

/** The county's time zone: "today" and the daily current value follow the local calendar. */
export const COUNTY_TIME_ZONE = 'Europe/Berlin';

const localDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: COUNTY_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Kreis Pinneberg at an instant, `YYYY-MM-DD`. */
export function countyDate(instant: Date): string {
  return localDate.format(instant);
}
