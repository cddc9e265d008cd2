import type { ChangeSet, IndicatorDefinition, ResolvedPeriod } from '@sozialmonitor/indicators';

/** One indicator at one period: the unit of recomputation (all regions at once, for secondary suppression). */
export interface ValueTask {
  readonly indicator: IndicatorDefinition;
  readonly period: ResolvedPeriod;
}

export interface PendingChanges {
  readonly counts: ChangeSet;
  /** (indicator, year) whose comparison values may have changed. */
  readonly references: ReadonlyArray<{ indicatorId: string; year: number }>;
  /** Indicators to recompute everywhere (catalogue changes). */
  readonly indicators: ReadonlySet<string>;
  /** Sources that got their first record or lost their last: their indicators change everywhere (`no_data`). */
  readonly sources: ReadonlySet<string>;
  /** Recompute everything (start, leadership, new day). */
  readonly everything: boolean;
}

const familiesOf = (def: IndicatorDefinition): Set<string> => new Set(def.compiled.calls.map((c) => c.family.name));
const maxYearsBack = (def: IndicatorDefinition): number => Math.max(0, ...def.compiled.calls.map((c) => c.yearsBack));

/**
 * Which (indicator, period) pairs may have a different value after `changes`: an indicator whose
 * families changed in a period whose Stichtag (or its window, or d − 1y) the changed days reach;
 * an indicator and year whose comparison value changed; every period of an indicator whose source got
 * its first record or lost its last; and whole indicators or everything on demand.
 */
export function recomputePlan(
  active: readonly IndicatorDefinition[],
  periods: readonly ResolvedPeriod[],
  changes: PendingChanges,
): ValueTask[] {
  const tasks: ValueTask[] = [];
  const referenceKeys = new Set(changes.references.map((r) => `${r.indicatorId}|${r.year}`));
  // An index follows its inputs: a changed input definition recomputes it too.
  const dependsOnChanged = (def: IndicatorDefinition): boolean =>
    def.inputs.some((i) => changes.indicators.has(i.id) || dependsOnChanged(i));
  for (const indicator of active) {
    const families = familiesOf(indicator);
    const touched = [...changes.counts.families].some((f) => families.has(f));
    const availability = indicator.sources.some((s) => changes.sources.has(s));
    const back = maxYearsBack(indicator);
    for (const period of periods) {
      const due =
        changes.everything ||
        changes.indicators.has(indicator.id) ||
        dependsOnChanged(indicator) ||
        availability ||
        (period.year !== null && referenceKeys.has(`${indicator.id}|${period.year}`)) ||
        (touched && changes.counts.affectsAnyRegion(period.stichtag, back));
      if (due) tasks.push({ indicator, period });
    }
  }
  return tasks;
}
