import { INDICATOR_IDS } from '@sozialmonitor/contracts/indicator-ids';
import type { Random } from './random';
import type { SourceRecord } from './sources';

/**
 * Comparison values for Schleswig-Holstein (`01`) and Germany (`DG`) for every indicator and year.
 * Levels and trends are modelled on the published statistics (Statistikamt Nord, Statistisches
 * Bundesamt, Bundesagentur für Arbeit) — rounded, interpolated between anchor years and slightly
 * jittered: plausible for synthetic data, never to be shown as official figures.
 *
 * Each indicator is computed from a few base quantities per region and year (population, births,
 * age shares, benefit rates, …), so the values agree with each other the way real ones do
 * (births_per_1000 = births / population × 1000, old_age_ratio from the age shares, …).
 */
type Series = Readonly<Record<number, number>>;

interface RegionModel {
  code: '01' | 'DG';
  publisher: string;
  population: Series;
  births: Series;
  deaths: Series;
  inPer1000: Series;
  outPer1000: Series;
  /** Age shares in % of the population. */
  under3: Series;
  under15: Series;
  under18: Series;
  under20: Series;
  under21: Series;
  age15to24: Series;
  age15to64: Series;
  age65plus: Series;
  age80plus: Series;
  women15to49: Series;
  meanAge: Series;
  foreign: Series;
  female: Series;
  sgb2Rate: Series;
  sgb2EmployableRate: Series;
  childPoverty: Series;
  sgb2Foreign: Series;
  sgb2PersonsPerUnit: Series;
  basicIncomeRate: Series;
  housingPer1000: Series;
  housingHouseholdSize: Series;
  unemploymentRate: Series;
  youthUnemploymentRate: Series;
  unemployedSgb2Share: Series;
  childcareUnder3: Series;
  childcare3to5: Series;
  childcareFullDay: Series;
  youthWelfarePer1000: Series;
  youthWelfareResidentialPer1000: Series;
}

const SH: RegionModel = {
  code: '01',
  publisher: 'Statistikamt Nord',
  population: {
    2014: 2_830_864,
    2015: 2_858_714,
    2016: 2_881_926,
    2017: 2_889_821,
    2018: 2_896_712,
    2019: 2_903_773,
    2020: 2_910_875,
    2021: 2_922_005,
    2022: 2_940_000,
    2023: 2_953_202,
  },
  births: {
    2015: 23_900,
    2016: 25_400,
    2017: 25_500,
    2018: 25_400,
    2019: 24_900,
    2020: 24_600,
    2021: 25_800,
    2022: 23_600,
    2023: 22_200,
  },
  deaths: {
    2015: 35_500,
    2016: 34_400,
    2017: 35_400,
    2018: 36_400,
    2019: 35_300,
    2020: 36_200,
    2021: 37_600,
    2022: 40_200,
    2023: 39_600,
  },
  inPer1000: { 2015: 44, 2016: 38, 2017: 35, 2018: 34, 2019: 33, 2020: 30, 2021: 32, 2022: 45, 2023: 41 },
  outPer1000: { 2015: 30, 2016: 31, 2017: 31, 2018: 31, 2019: 30, 2020: 28, 2021: 29, 2022: 33, 2023: 30.4 },
  under3: { 2015: 2.5, 2019: 2.75, 2023: 2.6 },
  under15: { 2015: 13.2, 2019: 13.4, 2023: 13.8 },
  under18: { 2015: 16.4, 2019: 16.3, 2023: 16.7 },
  under20: { 2015: 18.5, 2019: 18.2, 2023: 18.4 },
  under21: { 2015: 19.4, 2019: 19.2, 2023: 19.4 },
  age15to24: { 2015: 10.6, 2019: 10.2, 2023: 10.1 },
  age15to64: { 2015: 64.4, 2019: 63.4, 2023: 62.6 },
  age65plus: { 2015: 22.4, 2019: 23.2, 2023: 23.6 },
  age80plus: { 2015: 6.0, 2019: 7.1, 2023: 7.6 },
  women15to49: { 2015: 20.5, 2019: 19.9, 2023: 19.6 },
  meanAge: { 2015: 45.0, 2019: 45.4, 2023: 45.6 },
  foreign: { 2015: 6.1, 2019: 8.6, 2022: 10.7, 2023: 11.1 },
  female: { 2015: 51.1, 2019: 51.0, 2023: 51.1 },
  sgb2Rate: { 2015: 9.6, 2019: 8.4, 2021: 8.1, 2023: 8.7 },
  sgb2EmployableRate: { 2015: 7.6, 2019: 6.6, 2021: 6.4, 2023: 6.6 },
  childPoverty: { 2015: 15.4, 2019: 13.9, 2021: 13.4, 2023: 14.6 },
  sgb2Foreign: { 2015: 22, 2019: 35, 2021: 36, 2023: 44 },
  sgb2PersonsPerUnit: { 2015: 1.85, 2023: 1.9 },
  basicIncomeRate: { 2015: 2.7, 2019: 2.9, 2023: 3.3 },
  housingPer1000: { 2015: 6.3, 2016: 8.5, 2019: 7.0, 2020: 9.8, 2022: 9.4, 2023: 17.5 },
  housingHouseholdSize: { 2015: 1.9, 2023: 1.95 },
  unemploymentRate: { 2015: 5.7, 2019: 4.5, 2020: 5.2, 2021: 5.0, 2023: 4.7 },
  youthUnemploymentRate: { 2015: 4.0, 2019: 3.3, 2020: 3.9, 2023: 3.5 },
  unemployedSgb2Share: { 2015: 68, 2019: 63, 2020: 60, 2023: 62 },
  childcareUnder3: { 2015: 31.4, 2019: 34.0, 2023: 37.4 },
  childcare3to5: { 2015: 90.5, 2019: 91.0, 2023: 90.5 },
  childcareFullDay: { 2015: 30, 2019: 33, 2023: 36 },
  youthWelfarePer1000: { 2015: 22.0, 2019: 23.0, 2023: 23.5 },
  youthWelfareResidentialPer1000: { 2015: 7.8, 2019: 7.6, 2023: 7.4 },
};

const DE: RegionModel = {
  code: 'DG',
  publisher: 'Statistisches Bundesamt',
  population: {
    2014: 81_197_537,
    2015: 82_175_684,
    2016: 82_521_653,
    2017: 82_792_351,
    2018: 83_019_213,
    2019: 83_166_711,
    2020: 83_155_031,
    2021: 83_237_124,
    2022: 83_800_000,
    2023: 84_669_326,
  },
  births: {
    2015: 737_575,
    2016: 792_141,
    2017: 784_901,
    2018: 787_523,
    2019: 778_090,
    2020: 773_144,
    2021: 795_492,
    2022: 738_819,
    2023: 692_989,
  },
  deaths: {
    2015: 925_200,
    2016: 910_902,
    2017: 932_272,
    2018: 954_874,
    2019: 939_520,
    2020: 985_572,
    2021: 1_023_687,
    2022: 1_066_341,
    2023: 1_028_206,
  },
  inPer1000: {
    2015: 26.5,
    2016: 20.8,
    2017: 18.8,
    2018: 19.1,
    2019: 18.7,
    2020: 14.9,
    2021: 16.0,
    2022: 32.0,
    2023: 22.9,
  },
  outPer1000: {
    2015: 12.6,
    2016: 16.3,
    2017: 14.9,
    2018: 14.8,
    2019: 14.8,
    2020: 12.3,
    2021: 12.7,
    2022: 14.6,
    2023: 15.0,
  },
  under3: { 2015: 2.8, 2019: 3.0, 2023: 2.9 },
  under15: { 2015: 13.2, 2019: 13.6, 2023: 13.9 },
  under18: { 2015: 16.3, 2019: 16.5, 2023: 16.8 },
  under20: { 2015: 18.2, 2019: 18.3, 2023: 18.6 },
  under21: { 2015: 19.3, 2019: 19.2, 2023: 19.5 },
  age15to24: { 2015: 10.9, 2019: 10.4, 2023: 10.2 },
  age15to64: { 2015: 65.4, 2019: 64.6, 2023: 63.8 },
  age65plus: { 2015: 21.1, 2019: 21.8, 2023: 22.4 },
  age80plus: { 2015: 5.8, 2019: 6.8, 2023: 7.3 },
  women15to49: { 2015: 21.2, 2019: 20.9, 2023: 20.6 },
  meanAge: { 2015: 44.3, 2019: 44.5, 2023: 44.6 },
  foreign: { 2015: 11.2, 2019: 12.5, 2022: 14.6, 2023: 14.8 },
  female: { 2015: 50.8, 2019: 50.7, 2023: 50.7 },
  sgb2Rate: { 2015: 9.4, 2019: 8.3, 2021: 8.0, 2023: 8.5 },
  sgb2EmployableRate: { 2015: 7.4, 2019: 6.5, 2021: 6.3, 2023: 6.5 },
  childPoverty: { 2015: 14.7, 2019: 13.8, 2021: 13.2, 2023: 14.0 },
  sgb2Foreign: { 2015: 24, 2019: 36, 2021: 37, 2023: 47 },
  sgb2PersonsPerUnit: { 2015: 1.86, 2023: 1.92 },
  basicIncomeRate: { 2015: 3.1, 2019: 3.2, 2023: 3.7 },
  housingPer1000: { 2015: 5.6, 2016: 7.3, 2019: 6.1, 2020: 7.7, 2021: 7.3, 2022: 7.0, 2023: 14.1 },
  housingHouseholdSize: { 2015: 1.95, 2023: 2.0 },
  unemploymentRate: { 2015: 5.2, 2019: 4.2, 2020: 4.9, 2021: 4.7, 2023: 4.9 },
  youthUnemploymentRate: { 2015: 3.5, 2019: 3.0, 2020: 3.6, 2023: 3.5 },
  unemployedSgb2Share: { 2015: 66, 2019: 62, 2020: 59, 2023: 61 },
  childcareUnder3: { 2015: 32.9, 2019: 34.3, 2023: 36.4 },
  childcare3to5: { 2015: 95.0, 2019: 93.0, 2023: 91.3 },
  childcareFullDay: { 2015: 44, 2019: 46, 2023: 47 },
  youthWelfarePer1000: { 2015: 24.5, 2019: 25.5, 2023: 25.8 },
  youthWelfareResidentialPer1000: { 2015: 8.4, 2019: 8.3, 2023: 8.0 },
};

export const REFERENCE_REGIONS: readonly RegionModel[] = [SH, DE];

/** Value of a series in a year: anchors, linear between them, held beyond them. */
function at(series: Series, year: number): number {
  const years = Object.keys(series)
    .map(Number)
    .sort((a, b) => a - b);
  if (year <= years[0]) return series[years[0]];
  if (year >= years[years.length - 1]) return series[years[years.length - 1]];
  for (let i = 1; i < years.length; i++) {
    if (year <= years[i]) {
      const [y0, y1] = [years[i - 1], years[i]];
      return series[y0] + ((series[y1] - series[y0]) * (year - y0)) / (y1 - y0);
    }
  }
  return series[years[years.length - 1]];
}

/** Population: anchors, and a slow trend outside them. */
function populationAt(m: RegionModel, year: number): number {
  const years = Object.keys(m.population).map(Number);
  const [first, last] = [Math.min(...years), Math.max(...years)];
  if (year < first) return m.population[first] * Math.pow(0.997, first - year);
  if (year > last) return m.population[last] * Math.pow(1.002, year - last);
  return m.population[year];
}

// The social status index is standardised across the county's municipalities: a state or federal
// value of it means nothing, so reference_values never carry one.
type ReferenceId = Exclude<(typeof INDICATOR_IDS)[number], 'social_status_index'>;
type Values = Record<ReferenceId, number>;
/** The catalogue ids official statistics publish values for: all but the county's own index. */
export const REFERENCE_IDS = INDICATOR_IDS.filter((id): id is ReferenceId => id !== 'social_status_index');

/** Every indicator of the catalogue for a region and year, unrounded and unjittered. */
export function referenceValues(m: RegionModel, year: number, jitter: (x: number) => number = (x) => x): Values {
  const v = (s: Series): number => jitter(at(s, year));
  const pop = populationAt(m, year);
  const prev = populationAt(m, year - 1);
  const births = v(m.births);
  const deaths = v(m.deaths);
  const [inRate, outRate] = [v(m.inPer1000), v(m.outPer1000)];
  const [under15, under20, s65, under21] = [v(m.under15), v(m.under20), v(m.age65plus), v(m.under21)];
  const working20to64 = 100 - under20 - s65;
  const under65 = 100 - s65;
  const sgb2Rate = v(m.sgb2Rate);
  const sgb2Persons = (sgb2Rate / 100) * pop * (under65 / 100) * 1.005;
  const unemploymentRate = v(m.unemploymentRate);
  const unemployed = (unemploymentRate / 100) * pop * (v(m.age15to64) / 100);
  const housingPer1000 = v(m.housingPer1000);
  const basicIncomeRate = v(m.basicIncomeRate);
  const youthWelfarePer1000 = v(m.youthWelfarePer1000);
  return {
    population: pop,
    population_change_pct: ((pop - prev) / prev) * 100,
    births,
    deaths,
    births_per_1000: (births / pop) * 1000,
    deaths_per_1000: (deaths / pop) * 1000,
    natural_balance_per_1000: ((births - deaths) / pop) * 1000,
    in_migration_per_1000: inRate,
    out_migration_per_1000: outRate,
    net_migration_per_1000: inRate - outRate,
    general_fertility_rate: (births / (pop * (v(m.women15to49) / 100))) * 1000,
    share_under_3_pct: v(m.under3),
    share_under_18_pct: v(m.under18),
    share_18_to_64_pct: 100 - v(m.under18) - s65,
    share_65_plus_pct: s65,
    share_80_plus_pct: v(m.age80plus),
    youth_ratio: (under20 / working20to64) * 100,
    old_age_ratio: (s65 / working20to64) * 100,
    dependency_ratio: ((under20 + s65) / working20to64) * 100,
    ageing_index: (s65 / under15) * 100,
    mean_age: v(m.meanAge),
    share_foreign_pct: v(m.foreign),
    share_female_pct: v(m.female),
    sgb2_persons: sgb2Persons,
    sgb2_households: sgb2Persons / v(m.sgb2PersonsPerUnit),
    sgb2_rate_pct: sgb2Rate,
    sgb2_employable_rate_pct: v(m.sgb2EmployableRate),
    child_poverty_rate_pct: v(m.childPoverty),
    sgb2_foreign_share_pct: v(m.sgb2Foreign),
    basic_income_elderly_persons: (basicIncomeRate / 100) * pop * (s65 / 100),
    basic_income_elderly_rate_pct: basicIncomeRate,
    housing_benefit_households: (housingPer1000 / 1000) * pop,
    housing_benefit_households_per_1000: housingPer1000,
    housing_benefit_persons_pct: (housingPer1000 * v(m.housingHouseholdSize)) / 10,
    unemployed,
    unemployment_rate_pct: unemploymentRate,
    youth_unemployment_rate_pct: v(m.youthUnemploymentRate),
    unemployed_sgb2_share_pct: v(m.unemployedSgb2Share),
    childcare_rate_under_3_pct: v(m.childcareUnder3),
    childcare_rate_3_to_5_pct: v(m.childcare3to5),
    childcare_full_day_share_pct: v(m.childcareFullDay),
    youth_welfare_cases: (youthWelfarePer1000 / 1000) * pop * (under21 / 100),
    youth_welfare_per_1000_under_21: youthWelfarePer1000,
    youth_welfare_residential_per_1000_under_21: v(m.youthWelfareResidentialPer1000),
  };
}

/** Counts are published as integers, everything else with two decimals (indicators.md). */
const COUNT_INDICATORS = new Set([
  'population',
  'births',
  'deaths',
  'sgb2_persons',
  'sgb2_households',
  'basic_income_elderly_persons',
  'housing_benefit_households',
  'unemployed',
  'youth_welfare_cases',
]);

export function roundValue(indicatorId: string, value: number): number {
  const sign = value < 0 ? -1 : 1;
  if (COUNT_INDICATORS.has(indicatorId)) return sign * Math.round(Math.abs(value));
  return (sign * Math.round(Math.abs(value) * 100)) / 100;
}

/** The reference_values records for the years, in catalogue order per region and year. */
export function* referenceValueRecords(
  random: Random,
  firstYear: number,
  lastYear: number,
  recordIdFor: (id: string) => string,
): Generator<SourceRecord> {
  for (const m of REFERENCE_REGIONS) {
    for (let year = firstYear; year <= lastYear; year++) {
      // A little jitter (±0.5 %), so that interpolated years do not lie on straight lines.
      const jitter = (x: number): number => x * (1 + (random.next() - 0.5) * 0.01);
      const values = referenceValues(m, year, jitter);
      for (const indicatorId of REFERENCE_IDS) {
        yield {
          recordId: recordIdFor(`rv:${indicatorId}:${m.code}:${year}`),
          indicatorId,
          regionCode: m.code,
          year,
          value: roundValue(indicatorId, values[indicatorId]),
          publisher: m.publisher,
        };
      }
    }
  }
}
