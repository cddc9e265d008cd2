/**
 * The cache's entries and the counters that stamp them (see README "Cache design"). An entry is valid
 * only while every counter it was computed under still has the value it had then; a KPI event bumps
 * exactly the counters of the entries it affects, and a bump of the generation retires every entry at
 * once (after Redis was unreachable and invalidations may have been lost).
 */
export const GENERATION = 'gen';

export interface CacheEntryPlan {
  /** The entry's key (relative to the configured prefix). */
  readonly key: string;
  /** Counter keys whose values stamp the entry; the generation comes first. */
  readonly counters: readonly string[];
}

/** All municipal and county values of one indicator for one stored period (`2023`, `current`). */
export function slicePlan(indicatorId: string, period: string): CacheEntryPlan {
  return { key: `slice:${indicatorId}:${period}`, counters: [GENERATION, `v:slice:${indicatorId}:${period}`] };
}

/** Every indicator's value for one region and stored period. */
export function profilePlan(regionCode: string, period: string): CacheEntryPlan {
  return { key: `profile:${regionCode}:${period}`, counters: [GENERATION, `v:profile:${regionCode}:${period}`] };
}

/**
 * An indicator's values for an on-demand Stichtag, from the kpi-calculation service. No event names
 * such a date, so any new value of the indicator retires all its on-demand entries (the lake changed),
 * and a TTL bounds their age otherwise.
 */
export function onDemandPlan(indicatorId: string, date: string): CacheEntryPlan {
  return { key: `stichtag:${indicatorId}:${date}`, counters: [GENERATION, `v:stichtag:${indicatorId}`] };
}

export interface ChangedValueKey {
  readonly indicatorId: string;
  readonly regionCode: string;
  readonly period: string;
}

/** The counters to bump and entries to drop for a set of new values: exactly the affected ones. */
export function invalidationsFor(changes: readonly ChangedValueKey[]): { counters: string[]; entries: string[] } {
  const counters = new Set<string>();
  const entries = new Set<string>();
  for (const c of changes) {
    for (const plan of [
      slicePlan(c.indicatorId, c.period),
      profilePlan(c.regionCode, c.period),
      { key: null, counters: [GENERATION, `v:stichtag:${c.indicatorId}`] },
    ]) {
      counters.add(plan.counters[1]);
      if (plan.key) entries.add(plan.key);
    }
  }
  return { counters: [...counters], entries: [...entries] };
}
