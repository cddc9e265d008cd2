import { completedYears, type Day, parseDay, resolvePeriod, type ResolvedPeriod } from '@sozialmonitor/indicators';

/**
 * The periods the service publishes (indicators.md "Periods"): every year from FIRST_YEAR through the
 * last completed year, and `current` (today).
 */
export function publishedPeriods(firstYear: number, today: Day): ResolvedPeriod[] {
  return [...completedYears(firstYear, today).map((y) => resolvePeriod(String(y))), resolvePeriod('current', today)];
}

/** The calendar date of `now` in a time zone, as a day number. */
export function calendarDay(now: Date, timeZone: string): Day {
  // en-CA formats as YYYY-MM-DD.
  const text = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    now,
  );
  return parseDay(text);
}
