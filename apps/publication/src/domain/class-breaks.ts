import { ckmeans, quantileSorted } from 'simple-statistics';

/** How a choropleth divides the values into classes. */
export const CLASSIFICATION_METHODS = ['quantile', 'equal', 'jenks'] as const;
export type ClassificationMethod = (typeof CLASSIFICATION_METHODS)[number];

export const MIN_CLASSES = 3;
export const MAX_CLASSES = 7;
export const DEFAULT_METHOD: ClassificationMethod = 'quantile';
export const DEFAULT_CLASSES = 5;

export interface Classification {
  readonly method: ClassificationMethod;
  /** Classes asked for. */
  readonly k: number;
  /**
   * Ascending class limits: `breaks[0]` is the smallest value, `breaks[n]` the largest; class `i` holds the
   * values `v` with `breaks[i] < v <= breaks[i + 1]` (class 0 includes `breaks[0]`). Fewer than k classes
   * when there are fewer distinct values (limits never repeat); empty when there is no value at all.
   */
  readonly breaks: number[];
}

/**
 * Class limits of a set of values (suppressed and missing values are not among them):
 * - `equal`: k intervals of the same width between the smallest and the largest value;
 * - `quantile`: about the same number of values in each class (simple-statistics' quantiles, R type 7);
 * - `jenks`: natural breaks — the optimal one-dimensional clustering (Ckmeans, Wang & Song 2011, the exact
 *   form of what Jenks' algorithm approximates): each class limit is the largest value of its cluster.
 */
export function classBreaks(values: readonly number[], method: ClassificationMethod, k: number): Classification {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return { method, k, breaks: [] };
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const distinct = new Set(sorted).size;
  if (distinct === 1) return { method, k, breaks: [min, max] };
  let inner: number[];
  if (method === 'equal') {
    inner = Array.from({ length: k - 1 }, (_, i) => min + ((i + 1) * (max - min)) / k);
  } else if (method === 'quantile') {
    inner = Array.from({ length: k - 1 }, (_, i) => quantileSorted(sorted, (i + 1) / k));
  } else {
    inner = ckmeans(sorted, Math.min(k, distinct))
      .slice(0, -1)
      .map((cluster) => cluster[cluster.length - 1]);
  }
  const breaks = [min, ...inner.map(tidy), max].filter((b, i, all) => i === 0 || b > all[i - 1]);
  return { method, k, breaks };
}

/** The class of a value (0-based), or null without a value or without classes. */
export function classOf(value: number | null, breaks: readonly number[]): number | null {
  if (value === null || breaks.length < 2) return null;
  for (let i = 1; i < breaks.length; i++) if (value <= breaks[i]) return i - 1;
  return breaks.length - 2;
}

/** Rounds away binary noise (0.1 + 0.2) so that limits read as the numbers they are. */
function tidy(x: number): number {
  return Number(x.toPrecision(12));
}
