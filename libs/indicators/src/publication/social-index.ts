import type { KpiValuePayload } from '@sozialmonitor/contracts';
import type { PublishedForm } from '@sozialmonitor/privacy/suppression';
import { regionByCode } from '@sozialmonitor/regions';
import type { IndexClass, IndicatorDefinition } from '../catalogue/indicator-definition';
import { roundHalfAwayFromZero } from '../values/rounding';
import { type ComparisonContext, withComparisons } from './comparison-values';

/** Mean and (population) standard deviation of one input over the municipalities that publish a number. */
export interface InputDistribution {
  readonly indicator: string;
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
}

const isMunicipality = (code: string) => regionByCode(code)?.level === 'municipality';

/** Mean and population standard deviation of the published numbers of the municipalities. */
export function distributionOf(indicator: string, payloads: readonly KpiValuePayload[]): InputDistribution {
  const xs = payloads
    .filter((p) => isMunicipality(p.region.code) && !p.suppressed && p.value !== null)
    .map((p) => p.value as number);
  const n = xs.length;
  const mean = n === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / n;
  const sd = n === 0 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  return { indicator, n, mean, sd };
}

/** The class of an index value: the last class whose `from` it reaches. */
export function classOf(classes: readonly IndexClass[], value: number): string {
  let found = classes[0].id;
  for (const c of classes) if (c.from === null || value >= c.from) found = c.id;
  return found;
}

/**
 * The published values of a composite index for one period, from the *published* values of its
 * inputs (all municipalities and the county, in the same region order for every input):
 * - each input's z-score `(x − mean) / sd` uses mean and standard deviation over the municipalities
 *   whose value of that input is published (not suppressed, not null): a suppressed value never enters
 *   another region's index, so no index value can be used to recompute it;
 * - the index is `Σ wᵢ · sᵢ · zᵢ / Σ wᵢ` with sᵢ = −1 for `negative` inputs, rounded to 2 decimals, and
 *   its class is taken from the rounded value;
 * - a region with a suppressed input is suppressed (`secondary`: it is hidden to protect that input);
 *   one with an input without a number is null with that input's reason; an input that fewer than two
 *   municipalities publish, or that does not vary, makes every value null (`denominator_zero`).
 * The county is standardised against the municipalities' distribution like a municipality.
 * Everything the index uses is published, so anyone can recompute it.
 */
export function publishIndexValues(
  def: IndicatorDefinition,
  inputs: ReadonlyArray<readonly KpiValuePayload[]>,
  ctx: ComparisonContext,
): KpiValuePayload[] {
  const spec = def.index!;
  const distributions = inputs.map((payloads, k) => distributionOf(spec.inputs[k].indicator, payloads));
  const totalWeight = spec.inputs.reduce((s, i) => s + i.weight, 0);
  const regions = inputs[0].map((p) => p.region.code);
  const forms: PublishedForm[] = regions.map((regionCode, r) => {
    const own = inputs.map((payloads) => payloads[r]);
    if (own.some((p) => p.suppressed)) return { regionCode, value: null, suppressed: true, reason: 'secondary' };
    const missing = own.find((p) => p.value === null);
    if (missing) return { regionCode, value: null, suppressed: false, reason: missing.reason ?? 'no_data' };
    if (distributions.some((d) => d.n < 2 || d.sd === 0))
      return { regionCode, value: null, suppressed: false, reason: 'denominator_zero' };
    let sum = 0;
    spec.inputs.forEach((input, k) => {
      const z = ((own[k].value as number) - distributions[k].mean) / distributions[k].sd;
      sum += input.weight * (input.direction === 'negative' ? -z : z);
    });
    return { regionCode, value: roundHalfAwayFromZero(sum / totalWeight, def.decimals), suppressed: false };
  });
  return withComparisons(def, forms, ctx).map((p) =>
    p.value === null ? p : { ...p, class: classOf(spec.classes, p.value) },
  );
}
