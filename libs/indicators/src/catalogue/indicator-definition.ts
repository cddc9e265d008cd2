import type { CompiledFormula } from '../expression/compile';

export const CATEGORIES = [
  'demography',
  'migration',
  'age_structure',
  'social_benefits',
  'labour_market',
  'childcare',
  'youth_welfare',
  'housing',
  'social_status',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LocalizedText {
  readonly de: string;
  readonly en: string;
}

/** A break in a series: values from `year` on are not comparable with earlier ones. */
export interface SeriesBreak {
  readonly year: number;
  readonly note: LocalizedText;
}

/** One input of a composite index: an indicator of the same catalogue, its weight and direction. */
export interface IndexInput {
  readonly indicator: string;
  /** A positive weight; the index is the weighted mean of the inputs' z-scores. */
  readonly weight: number;
  /** `negative`: a high value means a low status (the z-score is negated); `positive`: the opposite. */
  readonly direction: 'positive' | 'negative';
}

/** A class of a composite index: values from `from` (included; null = no lower bound) to the next class. */
export interface IndexClass {
  readonly id: string;
  readonly names: LocalizedText;
  readonly from: number | null;
}

/**
 * A composite indicator (social status index, like Berlin's Monitoring Soziale Stadtentwicklung): each
 * input standardised as a z-score across the county's municipalities for the period, signed by its
 * direction, weighted and averaged; classes from cut-offs (ascending `from`).
 */
export interface IndexSpec {
  readonly inputs: readonly IndexInput[];
  readonly classes: readonly IndexClass[];
}

/** One catalogue entry as stored in `catalogue/catalogue.v<N>.json` (or a version on the catalogue topic). */
export interface IndicatorEntry {
  readonly id: string;
  /** Definition version; a new version recomputes the indicator everywhere. */
  readonly version: number;
  /** `retired`: no longer published; its history stays queryable with this (its last) version. */
  readonly status: 'active' | 'retired';
  /** `formula` (default): an expression over measures; `index`: a composite of other indicators. */
  readonly kind?: 'formula' | 'index';
  readonly category: Category;
  readonly names: LocalizedText;
  readonly description: LocalizedText;
  readonly unit: string;
  /** Published decimals: 0 for counts, 2 otherwise (indicators.md). */
  readonly decimals: number;
  /** An expression over measures (libs/indicators/README.md); derived for an index. */
  readonly formula?: string;
  /** The measure symbols the formula uses; derived for an index. */
  readonly measures?: readonly string[];
  /** Derived for an index. */
  readonly sources?: readonly string[];
  /** † in indicators.md: the numerator counts a part of the denominator's persons. */
  readonly share?: boolean;
  /** The composite's inputs, weights, directions and classes (kind `index` only). */
  readonly index?: IndexSpec;
  /** Breaks in the series (e.g. 2022: Zensus 2022). */
  readonly breaks?: readonly SeriesBreak[];
}

/** A validated entry with its compiled formula. */
export interface IndicatorDefinition extends IndicatorEntry {
  readonly kind: 'formula' | 'index';
  readonly formula: string;
  readonly measures: readonly string[];
  readonly sources: readonly string[];
  readonly share: boolean;
  readonly breaks: readonly SeriesBreak[];
  /**
   * For a formula its compiled expression; for an index the union of its inputs' measure calls (what
   * decides when it must be recomputed), with an expression that must not be evaluated.
   */
  readonly compiled: CompiledFormula;
  /** The index's inputs' definitions (in `index.inputs` order); empty for a formula. */
  readonly inputs: readonly IndicatorDefinition[];
}

export interface CatalogueDocument {
  readonly catalogue: string;
  readonly catalogueVersion: number;
  readonly indicators: readonly IndicatorEntry[];
}
