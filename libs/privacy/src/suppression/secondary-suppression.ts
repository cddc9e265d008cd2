import { isMunicipalityAgs } from '@sozialmonitor/regions';
import { isPrimarySuppressed, type SuppressionOptions } from './primary-suppression';

/** One computed value of one indicator and period, as disclosure control sees it. */
export interface SuppressionInput {
  readonly regionCode: string;
  /** The measure counts the value is computed from, in formula order (counts[0]: the first measure). */
  readonly counts: readonly number[];
  /** For every measure that sums a field, the number of units it sums over (they count for primary suppression). */
  readonly units?: readonly number[];
  /** The exact value; null when it is undefined (denominator 0). */
  readonly exactValue: number | null;
}

export type SuppressionReason = 'primary' | 'secondary';

export interface SuppressionDecision {
  readonly regionCode: string;
  readonly suppressed: boolean;
  readonly reason?: SuppressionReason;
}

export interface SuppressionPolicy extends SuppressionOptions {
  /** Which region codes are municipalities (secondary suppression works across them); default: the county's AGS list. */
  readonly isMunicipality?: (regionCode: string) => boolean;
}

/**
 * Primary and secondary suppression for the values of one indicator and period (privacy.md §3).
 * Secondary: when exactly one municipal value is primary-suppressed, the not yet suppressed municipal
 * value with the smallest positive first count is suppressed too (ties: lowest AGS), so the
 * suppressed value cannot be recomputed from the county value and the other municipalities.
 * Values without a published number (denominator 0) are no candidates: hiding them protects nothing.
 * Decisions come back in input order.
 */
export function suppressValues(
  inputs: readonly SuppressionInput[],
  policy: SuppressionPolicy = {},
): SuppressionDecision[] {
  const isMunicipality = policy.isMunicipality ?? isMunicipalityAgs;
  const primary = inputs.map((v) => isPrimarySuppressed(v.counts, policy, v.units));
  const decisions: SuppressionDecision[] = inputs.map((v, i) =>
    primary[i]
      ? { regionCode: v.regionCode, suppressed: true, reason: 'primary' }
      : { regionCode: v.regionCode, suppressed: false },
  );
  const municipal = inputs.map((v, i) => i).filter((i) => isMunicipality(inputs[i].regionCode));
  const suppressedMunicipal = municipal.filter((i) => primary[i]);
  if (suppressedMunicipal.length !== 1) return decisions;

  let pick = -1;
  for (const i of municipal) {
    const v = inputs[i];
    if (primary[i] || v.exactValue === null || !(v.counts[0] > 0)) continue;
    if (pick < 0) {
      pick = i;
      continue;
    }
    const best = inputs[pick];
    if (v.counts[0] < best.counts[0] || (v.counts[0] === best.counts[0] && v.regionCode < best.regionCode)) pick = i;
  }
  if (pick >= 0) decisions[pick] = { regionCode: inputs[pick].regionCode, suppressed: true, reason: 'secondary' };
  return decisions;
}
