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
