import type { ValueRecord } from './value-record';
import {
  INDICATOR_ID,
  InvalidKpiValueError,
  isNumberOrNull,
  REASONS,
  REGION_LEVEL,
  RFC3339,
  TOPIC_PERIOD,
} from './published-value';

/** A published change of one value, as the stream sends it. */
export interface PublishedChange {
  /** The history entry's id: the same publication has the same id on every instance. */
  readonly id: string;
  readonly publishedAt: string;
  readonly record: ValueRecord;
}

const CHANGE_ID = /^[A-Za-z0-9:._-]{1,200}$/;

/**
 * A change as it may reach a stream client: the published form's allow-list applied again (issue 11,
 * hole 8). Whoever can publish on the Redis change channel must not reach every SSE client with content
 * of their own: every field is checked, unknown fields are dropped, and a suppressed value is null
 * whatever arrived. Throws InvalidKpiValueError naming the field, never a value.
 */
export function toPublishedChange(data: unknown): PublishedChange {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InvalidKpiValueError('change', 'must be an object');
  const c = data as Record<string, unknown>;
  if (typeof c.id !== 'string' || !CHANGE_ID.test(c.id)) throw new InvalidKpiValueError('id', 'must be a change id');
  if (typeof c.publishedAt !== 'string' || !RFC3339.test(c.publishedAt) || Number.isNaN(Date.parse(c.publishedAt)))
    throw new InvalidKpiValueError('publishedAt', 'must be an RFC 3339 time');
  const r = c.record as Record<string, unknown> | undefined;
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw new InvalidKpiValueError('record', 'must be an object');
  if (typeof r.indicatorId !== 'string' || !INDICATOR_ID.test(r.indicatorId))
    throw new InvalidKpiValueError('record.indicatorId', 'must be an indicator id');
  if (typeof r.regionCode !== 'string' || !REGION_LEVEL.has(r.regionCode))
    throw new InvalidKpiValueError('record.regionCode', 'must be a municipality of the county or the county');
  if (typeof r.period !== 'string' || !TOPIC_PERIOD.test(r.period)) throw new InvalidKpiValueError('record.period', 'must be YYYY or current');
  if (typeof r.suppressed !== 'boolean') throw new InvalidKpiValueError('record.suppressed', 'must be true or false');
  if (!isNumberOrNull(r.value)) throw new InvalidKpiValueError('record.value', 'must be a number or null');
  if (typeof r.revised !== 'boolean') throw new InvalidKpiValueError('record.revised', 'must be true or false');
  if (r.reason !== undefined && (typeof r.reason !== 'string' || !REASONS.has(r.reason)))
    throw new InvalidKpiValueError('record.reason', 'must be primary, secondary, denominator_zero or no_data');
  if (r.indicatorVersion !== undefined && (!Number.isInteger(r.indicatorVersion) || (r.indicatorVersion as number) < 1))
    throw new InvalidKpiValueError('record.indicatorVersion', 'must be a positive integer');
  if (r.class !== undefined && (typeof r.class !== 'string' || !INDICATOR_ID.test(r.class)))
    throw new InvalidKpiValueError('record.class', 'must be a class id');
  const comparison = r.comparison as Record<string, unknown> | undefined;
  if (!comparison || typeof comparison !== 'object' || Array.isArray(comparison))
    throw new InvalidKpiValueError('record.comparison', 'must be an object');
  for (const k of ['county', 'state', 'germany'] as const)
    if (comparison[k] !== undefined && !isNumberOrNull(comparison[k]))
      throw new InvalidKpiValueError(`record.comparison.${k}`, 'must be a number or null');
  const value = r.suppressed ? null : r.value;
  const reason = value === null ? ((r.reason as string | undefined) ?? (r.suppressed ? 'primary' : 'no_data')) : undefined;
  const level = REGION_LEVEL.get(r.regionCode);
  return {
    id: c.id,
    publishedAt: new Date(c.publishedAt).toISOString(),
    record: {
      indicatorId: r.indicatorId,
      regionCode: r.regionCode,
      period: r.period,
      value,
      suppressed: r.suppressed,
      ...(reason ? { reason } : {}),
      comparison: {
        ...(level === 'municipality' ? { county: (comparison.county as number | null | undefined) ?? null } : {}),
        state: (comparison.state as number | null | undefined) ?? null,
        germany: (comparison.germany as number | null | undefined) ?? null,
      },
      revised: r.revised,
      ...(r.indicatorVersion !== undefined ? { indicatorVersion: r.indicatorVersion as number } : {}),
      ...(value !== null && typeof r.class === 'string' ? { class: r.class } : {}),
    },
  };
}
