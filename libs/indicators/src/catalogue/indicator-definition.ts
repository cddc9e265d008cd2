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
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface LocalizedText {
  readonly de: string;
  readonly en: string;
}

/** One catalogue entry as stored in `catalogue/catalogue.v<N>.json`. */
export interface IndicatorEntry {
  readonly id: string;
  /** Definition version; a new version recomputes the indicator everywhere. */
  readonly version: number;
  /** `retired`: no longer published; its history stays queryable with this (its last) version. */
  readonly status: 'active' | 'retired';
  readonly category: Category;
  readonly names: LocalizedText;
  readonly description: LocalizedText;
  readonly unit: string;
  /** Published decimals: 0 for counts, 2 otherwise (indicators.md). */
  readonly decimals: number;
  /** An expression over measures (libs/indicators/README.md). */
  readonly formula: string;
  /** The measure symbols the formula uses. */
  readonly measures: readonly string[];
  readonly sources: readonly string[];
  /** † in indicators.md: the numerator counts a part of the denominator's persons. */
  readonly share: boolean;
}

/** A validated entry with its compiled formula. */
export interface IndicatorDefinition extends IndicatorEntry {
  readonly compiled: CompiledFormula;
}

export interface CatalogueDocument {
  readonly catalogue: string;
  readonly catalogueVersion: number;
  readonly indicators: readonly IndicatorEntry[];
}
