import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { computedRegions } from '@sozialmonitor/regions';

/** A KPI message that cannot be a published value; names the field and the rule, never a value. */
export class InvalidKpiValueError extends Error {
  override readonly name = 'InvalidKpiValueError';
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`kpi value: ${field} ${rule}`);
  }
}

export const REGION_LEVEL = new Map(computedRegions().map((r) => [r.code, r.level]));
export const TOPIC_PERIOD = /^(\d{4}|current)$/;
export const INDICATOR_ID = /^[a-z][a-z0-9_]{0,63}$/;
const CLASS_ID = INDICATOR_ID;
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;
export const REASONS = new Set(['primary', 'secondary', 'denominator_zero', 'no_data']);

export const isNumberOrNull = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

/**
 * Reads a message of `sozialmonitor.kpi.values.v1` into its published form: only the fields of the
 * contract are kept (an allow-list, so that a numerator or any other extra a producer might add never
 * reaches the read model), and a suppressed value is forced to `value: null` (privacy.md §3) even if
 * a faulty producer sent a number. Topic messages carry `YYYY` or `current`; an on-demand answer of the
 * kpi-calculation service carries the requested date (`expectedPeriod`).
 */
export function toPublishedForm(data: unknown, expectedPeriod?: string): KpiValuePayload {
  if (!data || typeof data !== 'object' || Array.isArray(data))
    throw new InvalidKpiValueError('payload', 'must be an object');
  const d = data as Record<string, unknown>;
  if (typeof d.indicatorId !== 'string' || !INDICATOR_ID.test(d.indicatorId))
    throw new InvalidKpiValueError('indicatorId', 'must be an indicator id');
  if (!Number.isInteger(d.indicatorVersion) || (d.indicatorVersion as number) < 1)
    throw new InvalidKpiValueError('indicatorVersion', 'must be a positive integer');
  const region = d.region as Record<string, unknown> | undefined;
  if (!region || typeof region !== 'object' || typeof region.code !== 'string' || !REGION_LEVEL.has(region.code)) {
    throw new InvalidKpiValueError('region.code', 'must be a municipality of the county or the county');
  }
  if (expectedPeriod !== undefined) {
    if (d.period !== expectedPeriod) throw new InvalidKpiValueError('period', 'must be the requested Stichtag');
  } else if (typeof d.period !== 'string' || !TOPIC_PERIOD.test(d.period)) {
    throw new InvalidKpiValueError('period', 'must be YYYY or current');
  }
  if (typeof d.unit !== 'string') throw new InvalidKpiValueError('unit', 'must be a text');
  if (typeof d.suppressed !== 'boolean') throw new InvalidKpiValueError('suppressed', 'must be true or false');
  if (!isNumberOrNull(d.value)) throw new InvalidKpiValueError('value', 'must be a number or null');
  if (d.reason !== undefined && (typeof d.reason !== 'string' || !REASONS.has(d.reason))) {
    throw new InvalidKpiValueError('reason', 'must be primary, secondary, denominator_zero or no_data');
  }
  const comparison = (d.comparison ?? {}) as Record<string, unknown>;
  if (typeof comparison !== 'object' || Array.isArray(comparison))
    throw new InvalidKpiValueError('comparison', 'must be an object');
  for (const k of ['county', 'state', 'germany'] as const) {
    if (comparison[k] !== undefined && !isNumberOrNull(comparison[k]))
      throw new InvalidKpiValueError(`comparison.${k}`, 'must be a number or null');
  }
  if (typeof d.computedAt !== 'string' || !RFC3339.test(d.computedAt) || Number.isNaN(Date.parse(d.computedAt))) {
    throw new InvalidKpiValueError('computedAt', 'must be an RFC 3339 time');
  }
  const level = REGION_LEVEL.get(region.code)!;
  const suppressed = d.suppressed;
  const value = suppressed ? null : (d.value as number | null);
  const reason =
    value === null ? ((d.reason as KpiValuePayload['reason']) ?? (suppressed ? 'primary' : 'no_data')) : undefined;
  return {
    indicatorId: d.indicatorId,
    indicatorVersion: d.indicatorVersion as number,
    region: { code: region.code, level, name: typeof region.name === 'string' ? region.name : '' },
    period: d.period as string,
    unit: d.unit,
    value,
    suppressed,
    ...(reason ? { reason } : {}),
    comparison: {
      ...(level === 'municipality' ? { county: (comparison.county as number | null | undefined) ?? null } : {}),
      state: (comparison.state as number | null | undefined) ?? null,
      germany: (comparison.germany as number | null | undefined) ?? null,
    },
    computedAt: new Date(d.computedAt).toISOString(),
    ...(value !== null && typeof d.class === 'string' && CLASS_ID.test(d.class) ? { class: d.class } : {}),
  };
}
