import { completedYears, type Day, resolvePeriod, type ResolvedPeriod } from '@sozialmonitor/indicators';

/**
 * The periods the service publishes (indicators.md "Periods"): every year from FIRST_YEAR through the
 * last completed year, and `current` (today).
 */
export function publishedPeriods(firstYear: number, today: Day): ResolvedPeriod[] {
  return [...completedYears(firstYear, today).map((y) => resolvePeriod(String(y))), resolvePeriod('current', today)];
}
