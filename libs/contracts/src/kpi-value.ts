import type { RegionLevel } from '@sozialmonitor/regions';

/** `<period>`: a year `YYYY`, `current` for the daily current value, or `YYYY-MM-DD` (API only). */
export type Period = string;

/** A published (disclosure-controlled) indicator value: the payload of `sozialmonitor.kpi.values.v1`. */
export interface KpiValuePayload {
  indicatorId: string;
  indicatorVersion: number;
  region: { code: string; level: RegionLevel; name: string };
  period: Period;
  unit: string;
  /** Rounded half away from zero: counts as integers, everything else to 2 decimals. Null when suppressed or undefined. */
  value: number | null;
  suppressed: boolean;
  /** Why value is null: `primary`/`secondary` suppression, `denominator_zero`, `no_data`. Absent when value is set. */
  reason?: 'primary' | 'secondary' | 'denominator_zero' | 'no_data';
  /** Comparison values (the county value for municipalities; state and Germany for year periods). */
  comparison: { county?: number | null; state: number | null; germany: number | null };
  /** A composite index's class (the id of one of its catalogue entry's `index.classes`); absent otherwise and when value is null. */
  class?: string;
  computedAt: string;
}

/** Message key of a KPI value: `<indicatorId>:<regionCode>:<period>`. */
export const kpiValueKey = (v: Pick<KpiValuePayload, 'indicatorId' | 'period'> & { region: { code: string } }): string =>
  `${v.indicatorId}:${v.region.code}:${v.period}`;
