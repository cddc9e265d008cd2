import { kpiValueKey, type KpiValuePayload, publishedContentHash } from '@sozialmonitor/contracts';
import {
  type ExactIndicatorValue,
  type IndicatorDefinition,
  type IndicatorEngine,
  publishIndexValues,
  publishIndicatorValues,
  type ResolvedPeriod,
} from '@sozialmonitor/indicators';
import { computedRegions } from '@sozialmonitor/regions';

/** A computed value: its published form, the hash of that form, and the exact value kept internally. */
export interface ComputedValue {
  readonly key: string;
  readonly payload: KpiValuePayload;
  /** Hash of the published form without computedAt: equal hash, nothing to publish. */
  readonly hash: string;
  readonly exact: {
    readonly value: number | null;
    readonly counts: readonly number[];
    readonly measures: readonly string[];
  };
}

const REGIONS = computedRegions().map((r) => r.code);

/**
 * Values of one indicator at one period for every municipality and the county: exact values from the
 * engine, then disclosure control and comparison values (libs/indicators publication).
 */
export function computeIndicatorValues(
  engine: IndicatorEngine,
  indicator: IndicatorDefinition,
  period: ResolvedPeriod,
  options: { threshold: number; computedAt: string },
): ComputedValue[] {
  const context = {
    period: period.period,
    year: period.year,
    computedAt: options.computedAt,
    threshold: options.threshold,
    reference: (id: string, code: string, year: number) => engine.references.get(id, code, year),
  };
  if (indicator.kind === 'index') {
    // A composite: from its inputs' published values (computed here the same way), never from counts.
    const inputs = indicator.inputs.map((input) =>
      computeIndicatorValues(engine, input, period, options).map((v) => v.payload),
    );
    return publishIndexValues(indicator, inputs, context).map((payload) => ({
      key: kpiValueKey(payload),
      payload,
      hash: publishedContentHash(payload),
      exact: { value: payload.value, counts: [], measures: [] },
    }));
  }
  const exact: ExactIndicatorValue[] = engine.valuesFor(indicator, REGIONS, period);
  const payloads = publishIndicatorValues(indicator, exact, context);
  return payloads.map((payload, i) => ({
    key: kpiValueKey(payload),
    payload,
    hash: publishedContentHash(payload),
    exact: { value: exact[i].exactValue, counts: exact[i].counts, measures: exact[i].measures },
  }));
}
