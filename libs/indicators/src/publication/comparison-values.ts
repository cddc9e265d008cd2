import type { KpiValuePayload } from '@sozialmonitor/contracts';
import type { PublishedForm } from '@sozialmonitor/privacy/suppression';
import { COUNTRY_CODE, COUNTY_CODE, regionByCode, STATE_CODE } from '@sozialmonitor/regions';
import { roundHalfAwayFromZero } from '../values/rounding';

export interface ComparisonContext {
  readonly period: string;
  /** The year of a year period; null for `current` and on-demand dates (no state/Germany values then). */
  readonly year: number | null;
  readonly computedAt: string;
  /** A delivered reference value (source reference_values), or null. */
  readonly reference: (indicatorId: string, regionCode: string, year: number) => number | null;
}

export interface PublishedIndicator {
  readonly id: string;
  readonly version: number;
  readonly unit: string;
  readonly decimals: number;
}

/**
 * Builds the KPI payloads of one indicator and period from the published forms of its values
 * (indicators.md "Comparison values"): every municipal value carries the county's published value;
 * municipal and county values carry the state (`01`) and Germany (`DG`) values of year periods,
 * rounded like the indicator, null where none was delivered.
 */
export function withComparisons(
  indicator: PublishedIndicator,
  forms: readonly PublishedForm[],
  ctx: ComparisonContext,
): KpiValuePayload[] {
  const county = forms.find((f) => f.regionCode === COUNTY_CODE);
  const reference = (code: string): number | null => {
    if (ctx.year === null) return null;
    const v = ctx.reference(indicator.id, code, ctx.year);
    return v === null ? null : roundHalfAwayFromZero(v, indicator.decimals);
  };
  const state = reference(STATE_CODE);
  const germany = reference(COUNTRY_CODE);
  return forms.map((f) => {
    const region = regionByCode(f.regionCode);
    if (!region) throw new RangeError(`unknown region code in value of ${indicator.id}`);
    const comparison: KpiValuePayload['comparison'] =
      region.level === 'municipality' ? { county: county ? county.value : null, state, germany } : { state, germany };
    return {
      indicatorId: indicator.id,
      indicatorVersion: indicator.version,
      region: { code: region.code, level: region.level, name: region.name },
      period: ctx.period,
      unit: indicator.unit,
      value: f.value,
      suppressed: f.suppressed,
      ...(f.value === null && f.reason ? { reason: f.reason } : {}),
      comparison,
      computedAt: ctx.computedAt,
    };
  });
}
