import type { LakeRecord } from '@sozialmonitor/contracts';
import type { Rejection } from '../engine/spell';

/** An official comparison value (source `reference_values`): state `01` or Germany `DG`, per year. */
export interface ReferenceValue {
  readonly indicatorId: string;
  readonly regionCode: string;
  readonly year: number;
  readonly value: number;
}

export const REFERENCE_SOURCE = 'reference_values';
const REFERENCE_REGIONS = new Set(['01', 'DG']);

export function parseReferenceValue(
  record: LakeRecord,
): { ok: true; value: ReferenceValue } | { ok: false; rejection: Rejection } {
  const reject = (field: string, rule: string) => ({
    ok: false as const,
    rejection: { source: record.source, recordId: record.recordId, field, rule },
  });
  if (typeof record.indicatorId !== 'string' || record.indicatorId === '') return reject('indicatorId', 'required');
  if (typeof record.regionCode !== 'string' || !REFERENCE_REGIONS.has(record.regionCode))
    return reject('regionCode', 'not 01 or DG');
  const year = typeof record.year === 'string' ? Number(record.year) : record.year;
  if (typeof year !== 'number' || !Number.isInteger(year)) return reject('year', 'not an integer');
  const value = typeof record.value === 'string' && record.value.trim() !== '' ? Number(record.value) : record.value;
  if (typeof value !== 'number' || !Number.isFinite(value)) return reject('value', 'not a number');
  return { ok: true, value: { indicatorId: record.indicatorId, regionCode: record.regionCode, year, value } };
}

const targetKey = (indicatorId: string, regionCode: string, year: number): string =>
  `${indicatorId}|${regionCode}|${year}`;

/**
 * The delivered comparison values by record. When two records name the same indicator, region and
 * year, the one with the greater recordId counts (a deterministic choice that does not depend on the
 * order of arrival).
 */
export class ReferenceValueTable {
  private readonly byRecord = new Map<string, ReferenceValue>();
  private readonly byTarget = new Map<string, Map<string, ReferenceValue>>();

  get size(): number {
    return this.byRecord.size;
  }

  /** Stores (value) or removes (null) the record; returns the (indicatorId, year) whose value may have changed. */
  set(recordKey: string, value: ReferenceValue | null): Array<{ indicatorId: string; year: number }> {
    const touched: Array<{ indicatorId: string; year: number }> = [];
    const old = this.byRecord.get(recordKey);
    if (old) {
      if (
        value &&
        old.indicatorId === value.indicatorId &&
        old.regionCode === value.regionCode &&
        old.year === value.year &&
        old.value === value.value
      )
        return [];
      const k = targetKey(old.indicatorId, old.regionCode, old.year);
      const m = this.byTarget.get(k)!;
      m.delete(recordKey);
      if (m.size === 0) this.byTarget.delete(k);
      this.byRecord.delete(recordKey);
      touched.push({ indicatorId: old.indicatorId, year: old.year });
    }
    if (value) {
      this.byRecord.set(recordKey, value);
      const k = targetKey(value.indicatorId, value.regionCode, value.year);
      const m = this.byTarget.get(k) ?? new Map<string, ReferenceValue>();
      m.set(recordKey, value);
      this.byTarget.set(k, m);
      touched.push({ indicatorId: value.indicatorId, year: value.year });
    }
    return touched;
  }

  get(indicatorId: string, regionCode: string, year: number): number | null {
    const m = this.byTarget.get(targetKey(indicatorId, regionCode, year));
    if (!m) return null;
    let bestKey = '';
    let best: number | null = null;
    for (const [key, v] of m) {
      if (best === null || key > bestKey) {
        bestKey = key;
        best = v.value;
      }
    }
    return best;
  }
}
