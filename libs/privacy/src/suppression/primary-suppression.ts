/**
 * Primary suppression (privacy.md §3): a value is suppressed when any count it is computed from lies
 * between 1 and threshold − 1. Zero is not suppressed. For a share († in the catalogue) the rest —
 * denominator minus numerator — counts as well ("all but one person in the village is foreign"). For a
 * measure that sums a field (persons in housing-benefit households), the number of units it sums over
 * (the households) counts as well: one household's size must not be published as a sum.
 */
export const DEFAULT_SUPPRESSION_THRESHOLD = 3;

export interface SuppressionOptions {
  /** Smallest publishable count; default 3. */
  readonly threshold?: number;
  /** The indicator is a share: counts[0] is the numerator, counts[1] the denominator. */
  readonly share?: boolean;
}

/** The counts disclosure control checks: the measure counts, plus denominator − numerator for a share. */
export function disclosureCounts(counts: readonly number[], share = false, units: readonly number[] = []): number[] {
  if (!share) return [...counts, ...units];
  if (counts.length < 2) throw new RangeError('a share needs a numerator and a denominator count');
  return [...counts, counts[1] - counts[0], ...units];
}

export function isSmallCount(count: number, threshold = DEFAULT_SUPPRESSION_THRESHOLD): boolean {
  return count >= 1 && count <= threshold - 1;
}

/** `units`: for every measure that sums a field, the number of units it sums over. */
export function isPrimarySuppressed(
  counts: readonly number[],
  options: SuppressionOptions = {},
  units: readonly number[] = [],
): boolean {
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1)
    throw new RangeError('the suppression threshold must be a positive integer');
  return disclosureCounts(counts, options.share, units).some((c) => isSmallCount(c, threshold));
}
