import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { publishedForm, suppressValues } from '@sozialmonitor/privacy/suppression';
import type { IndicatorDefinition } from '../catalogue/indicator-definition';
import type { ExactIndicatorValue } from '../values/indicator-values';
import { type ComparisonContext, withComparisons } from './comparison-values';

export interface PublishOptions extends ComparisonContext {
  /** Disclosure-control threshold (default 3). */
  readonly threshold?: number;
}

/**
 * Exact values of one indicator and period (all municipalities and the county) → disclosure-controlled
 * KPI payloads: primary and secondary suppression, published form, comparison values.
 */
export function publishIndicatorValues(
  def: IndicatorDefinition,
  values: readonly ExactIndicatorValue[],
  options: PublishOptions,
): KpiValuePayload[] {
  const decisions = suppressValues(values, { threshold: options.threshold, share: def.share });
  const forms = values.map((v, i) => publishedForm(v, decisions[i]));
  return withComparisons(def, forms, options);
}

/** The part of a payload that decides whether it must be published again (computedAt excluded). */
export function publishedContent(p: KpiValuePayload): string {
  return JSON.stringify([
    p.indicatorId,
    p.indicatorVersion,
    p.region.code,
    p.period,
    p.unit,
    p.value,
    p.suppressed,
    p.reason ?? null,
    p.comparison.county ?? null,
    p.comparison.state,
    p.comparison.germany,
    p.region.name,
    p.region.level,
    'county' in p.comparison,
    // only where present, so that the hashes of values without a class stay as they were
    ...(p.class !== undefined ? [p.class] : []),
  ]);
}
