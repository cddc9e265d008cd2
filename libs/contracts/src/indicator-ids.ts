/**
 * The ids of the indicator catalogue (spec/indicators.md's 44 entries and the social status index), in catalogue order.
 * Source `reference_values` accepts only these ids. The full catalogue lives in libs/indicators;
 * a test there checks that both lists agree, so this list changes together with the catalogue.
 */
export const INDICATOR_IDS = [
  'population',
  'population_change_pct',
  'births',
  'deaths',
  'births_per_1000',
  'deaths_per_1000',
  'natural_balance_per_1000',
  'in_migration_per_1000',
  'out_migration_per_1000',
  'net_migration_per_1000',
  'general_fertility_rate',
  'share_under_3_pct',
  'share_under_18_pct',
  'share_18_to_64_pct',
  'share_65_plus_pct',
  'share_80_plus_pct',
  'youth_ratio',
  'old_age_ratio',
  'dependency_ratio',
  'ageing_index',
  'mean_age',
  'share_foreign_pct',
  'share_female_pct',
  'sgb2_persons',
  'sgb2_households',
  'sgb2_rate_pct',
  'sgb2_employable_rate_pct',
  'child_poverty_rate_pct',
  'sgb2_foreign_share_pct',
  'basic_income_elderly_persons',
  'basic_income_elderly_rate_pct',
  'housing_benefit_households',
  'housing_benefit_households_per_1000',
  'housing_benefit_persons_pct',
  'unemployed',
  'unemployment_rate_pct',
  'youth_unemployment_rate_pct',
  'unemployed_sgb2_share_pct',
  'childcare_rate_under_3_pct',
  'childcare_rate_3_to_5_pct',
  'childcare_full_day_share_pct',
  'youth_welfare_cases',
  'youth_welfare_per_1000_under_21',
  'youth_welfare_residential_per_1000_under_21',
  'social_status_index',
] as const;

export type IndicatorId = (typeof INDICATOR_IDS)[number];

const known: ReadonlySet<string> = new Set(INDICATOR_IDS);
export function isIndicatorId(id: string): id is IndicatorId {
  return known.has(id);
}
