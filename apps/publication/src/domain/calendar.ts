import { type CivilDate, civilFromDay, daysInMonth, tryParseDay } from '@sozialmonitor/indicators';

/**
 * The few calendar facts the API needs, on the calendar of libs/indicators (`time`): real dates, month
 * ends, the county's date of a publication. Dates are `YYYY-MM-DD` strings throughout (they sort and
 * compare as text). "Today" is the shared Clock's (libs/platform, TIME_ZONE and KPI_TODAY).
 */

/** Year, month and day of a real calendar date `YYYY-MM-DD`, or null. */
export function parseIsoDate(text: string): CivilDate | null {
  const day = tryParseDay(text);
  return day === null ? null : civilFromDay(day);
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

/** The calendar date `YYYY-MM-DD` in the county at an instant (RFC 3339): a new local day starts a new `current` value. */
export type CountyDay = (instant: string) => string;

/**
 * The county's calendar in a time zone (the Clock's TIME_ZONE, libs/platform), so that publication and
 * kpi-calculation agree on which day an instant belongs to. An unknown time zone throws here, at start.
 */
export function countyCalendar(timeZone: string): CountyDay {
  const localDate = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (instant) => localDate.format(new Date(instant));
}
