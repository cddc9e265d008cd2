import { type Day, dayFromCivil, formatDay, tryParseDay, yearsEarlier } from './day';

/**
 * Periods (indicators.md "Periods"): a year `YYYY` (Stichtag Y-12-31, event window the calendar year),
 * an on-demand date `YYYY-MM-DD`, or `current` (today). Every period resolves to a Stichtag and the
 * event window of the twelve months ending at it.
 */
export interface EventWindow {
  /** First day of the window (included). */
  from: Day;
  /** Last day of the window (included): the Stichtag. */
  to: Day;
}

export type PeriodKind = 'year' | 'date' | 'current';

export interface ResolvedPeriod {
  /** The period as published: `2023`, `current` or `2024-06-30`. */
  period: string;
  kind: PeriodKind;
  stichtag: Day;
  window: EventWindow;
  /** The year of a year period (comparison values exist only for those). */
  year: number | null;
}

/**
 * The window ending at `stichtag`: from the day after the same date one year earlier (29 February
 * maps to 28 February) through the Stichtag. For Y-12-31 this is Y-01-01 … Y-12-31.
 */
export function eventWindow(stichtag: Day): EventWindow {
  return { from: yearsEarlier(stichtag, 1) + 1, to: stichtag };
}

export function yearStichtag(year: number): Day {
  return dayFromCivil(year, 12, 31);
}

const YEAR = /^\d{4}$/;

/** Resolves `YYYY`, `YYYY-MM-DD` or `current` (with `today`); throws RangeError for anything else. */
export function resolvePeriod(period: string, today?: Day): ResolvedPeriod {
  if (YEAR.test(period)) {
    const year = +period;
    const stichtag = yearStichtag(year);
    return { period, kind: 'year', stichtag, window: eventWindow(stichtag), year };
  }
  if (period === 'current') {
    if (today === undefined) throw new RangeError('period current needs today');
    return { period, kind: 'current', stichtag: today, window: eventWindow(today), year: null };
  }
  const day = tryParseDay(period);
  if (day === null) throw new RangeError('period is neither YYYY, YYYY-MM-DD nor current');
  return { period: formatDay(day), kind: 'date', stichtag: day, window: eventWindow(day), year: null };
}

/** The published year periods: from `firstYear` through the last completed year before `today`. */
export function completedYears(firstYear: number, today: Day): number[] {
  const lastCompleted = Number(formatDay(today).slice(0, 4)) - 1;
  const years: number[] = [];
  for (let y = firstYear; y <= lastCompleted; y++) years.push(y);
  return years;
}
