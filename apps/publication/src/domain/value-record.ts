import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { regionByCode, type RegionLevel } from '@sozialmonitor/regions';
import type { ValueState } from './value-history';

/**
 * What the API serves of one published value, and what the cache holds: the disclosure-controlled
 * published form only (a suppressed value is `null` with nothing it could be recomputed from).
 */
export interface ValueRecord {
  readonly indicatorId: string;
  readonly regionCode: string;
  /** The stored period: `2023` or `current` (the answer may label it differently, e.g. today's date). */
  readonly period: string;
  readonly value: number | null;
  readonly suppressed: boolean;
  readonly reason?: string;
  readonly comparison: {
    readonly county?: number | null;
    readonly state: number | null;
    readonly germany: number | null;
  };
  readonly revised: boolean;
  /** The catalogue version of the indicator the value was computed with (absent in entries cached before). */
  readonly indicatorVersion?: number;
  /** A composite index's class. */
  readonly class?: string;
}

export function recordOfState(state: ValueState): ValueRecord {
  return recordOfPayload(state.payload, state.revised);
}

/** On-demand values have no history: they are never `revised`. */
export function recordOfPayload(p: KpiValuePayload, revised = false): ValueRecord {
  return {
    indicatorId: p.indicatorId,
    regionCode: p.region.code,
    period: p.period,
    value: p.suppressed ? null : p.value,
    suppressed: p.suppressed,
    ...(p.value === null || p.suppressed ? { reason: p.reason ?? (p.suppressed ? 'primary' : 'no_data') } : {}),
    comparison: p.comparison as ValueRecord['comparison'],
    revised,
    indicatorVersion: p.indicatorVersion,
    ...(p.class !== undefined && !p.suppressed && p.value !== null ? { class: p.class } : {}),
  };
}

export interface RegionView {
  readonly code: string;
  readonly name: string;
  readonly level: RegionLevel;
}

/** One entry of `values` in the answer of api.md. */
export interface ValueView {
  readonly region: RegionView;
  readonly period: string;
  readonly value: number | null;
  readonly suppressed: boolean;
  readonly reason?: string;
  readonly comparison: ValueRecord['comparison'];
  readonly revised: boolean;
  /** The indicator version the value was computed with. */
  readonly indicatorVersion?: number;
  readonly class?: string;
}

export function regionView(code: string): RegionView {
  const r = regionByCode(code);
  return { code, name: r?.name ?? code, level: r?.level ?? 'municipality' };
}

/**
 * The API form of a record. Region names come from the region registry (the official names), and the
 * comparison carries the county value only for municipalities (indicators.md "Comparison values").
 */
export function valueView(record: ValueRecord, periodLabel: string): ValueView {
  const region = regionView(record.regionCode);
  const c = record.comparison ?? { state: null, germany: null };
  const comparison =
    region.level === 'municipality'
      ? { county: c.county ?? null, state: c.state ?? null, germany: c.germany ?? null }
      : { state: c.state ?? null, germany: c.germany ?? null };
  return {
    region,
    period: periodLabel,
    value: record.suppressed ? null : record.value,
    suppressed: record.suppressed,
    ...(record.suppressed || record.value === null ? { reason: record.reason } : {}),
    comparison,
    revised: record.revised,
    ...(record.indicatorVersion !== undefined ? { indicatorVersion: record.indicatorVersion } : {}),
    ...(record.class !== undefined ? { class: record.class } : {}),
  };
}
