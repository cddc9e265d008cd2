/**
 * A small hand-made lake with every indicator computed by hand for Stichtag 2023-12-31 (year 2023:
 * window 2023-01-01 … 2023-12-31; d−1y = 2022-12-31). A = Elmshorn, B = Pinneberg.
 *
 * Population (age at 2023-12-31 = 2023 − birthYear − (12 < birthMonth ? 1 : 0)):
 *   a1  2022-05 f german   birth 2022-05-10, open                      age 1
 *   a2  2023-03 m foreign  birth 2023-03-15, open                      age 0   → B 2023 (A)
 *   a3  1990-07 f german   initial 2010, open                          age 33
 *   a4  1985-12 m german   initial 2010, open                          age 38 (birth month = Stichtag month)
 *   a5  1950-01 f foreign  initial 2010, open                          age 73
 *   a6  1940-06 m german   initial 2010, death 2023-08-01              gone → D 2023 (A); at 2022-12-31 age 82
 *   a7  2008-02 f german   initial 2010, open                          age 15
 *   a8  2005-11 m foreign  move_in 2023-04-01, open                    age 18  → IN (A, county)
 *   a9  1960-03 f german   A: initial 2010 … move_out 2023-06-30; B: move_in 2023-06-30, open   age 63
 *                          → OUT A, IN B; the county counts neither (internal move)
 *   a10 1995-09 m german   initial 2010, emigration 2023-10-01        gone → OUT (A, county)
 *   a11 2020-12 f german   birth 2020-12-05, open                      age 3
 *   a12 1943-12 f german   initial 2010, open                          age 80
 *   b2  1970-01 m german   B initial 2010, open                        age 53
 *   b3  2021-01 m german   B birth 2021-01-10, open                    age 2
 *
 * At 2023-12-31: A = {a1,a2,a3,a4,a5,a7,a8,a11,a12} = 9, ages 1+0+33+38+73+15+18+3+80 = 261;
 *   B = {a9,b2,b3} = 3 (ages 63, 53, 2); county = 12 (ages 379).
 * At 2022-12-31: A = {a1,a3,a4,a5,a6,a7,a9,a10,a11,a12} = 10; B = {b2,b3} = 2; county = 12.
 *
 * sgb2 (A): a3 (h1, employable, 2021-01-01 open); a1 (h1, not employable, 2022-06-01 open);
 *   a8 (h2, employable, 2023-05-01 open); a7 (h2, employable, 2023-05-01 … 2023-12-31: ends on the
 *   Stichtag, not counted); a4 two overlapping spells (h3): 2020-01-01 employable, 2022-01-01 not
 *   employable → counted once, with the later spell's attributes (not employable).
 *   S = {a3,a1,a8,a4} = 4; BG = {h1,h2,h3} = 3.
 * basic_income_elderly (A): a5 reason age; a12 reduced_earning_capacity.
 * housing_benefit: hh1 (A, size 3); hh2 (A) 2021-01-01 size 2 and 2023-02-01 size 4, overlapping →
 *   once, size 4; hh3 (B, size 1).  A: W = 2, WP = 7; county: W = 3, WP = 8.
 * unemployment: a4 sgb3 (A, 2023-01-01); a8 sgb2 (A, 2023-06-01); b2 sgb2 (B, 2022-01-01);
 *   a3 sgb2 (A, 2022-01-01 … 2023-06-01, ended).  A: U = {a4, a8}; county: + b2.
 * childcare: a1 kita 40 h (A); a11 kita 30 h (A); b3 tagespflege 35 h (B); a2 from 2024-01-01 (future).
 * youth_welfare: a7 § 33 and a7 § 27 (two cases, A); a8 § 34 2022-01-01 … 2023-12-31 (ends on the
 *   Stichtag); b3 § 28 (B).  A: H = 2, H(33/34) = 1; county: H = 3, H(33/34) = 1.
 */
import type { LakeRecord } from '@sozialmonitor/contracts';
import {
  ELMSHORN as A,
  PINNEBERG as B,
  basicIncomeElderly,
  childcare,
  housingBenefit,
  population,
  sgb2,
  unemployment,
  youthWelfare,
} from './lake-fixtures';

const p = (personId: string, birthMonth: string, sex: string, nationalityGroup: string) => ({
  personId,
  birthMonth,
  sex,
  nationalityGroup,
});
const a1 = p('a1', '2022-05', 'f', 'german');
const a2 = p('a2', '2023-03', 'm', 'foreign');
const a3 = p('a3', '1990-07', 'f', 'german');
const a4 = p('a4', '1985-12', 'm', 'german');
const a5 = p('a5', '1950-01', 'f', 'foreign');
const a6 = p('a6', '1940-06', 'm', 'german');
const a7 = p('a7', '2008-02', 'f', 'german');
const a8 = p('a8', '2005-11', 'm', 'foreign');
const a9 = p('a9', '1960-03', 'f', 'german');
const a10 = p('a10', '1995-09', 'm', 'german');
const a11 = p('a11', '2020-12', 'f', 'german');
const a12 = p('a12', '1943-12', 'f', 'german');
const b2 = p('b2', '1970-01', 'm', 'german');
const b3 = p('b3', '2021-01', 'm', 'german');
const initial = { validFrom: '2010-01-01', startReason: 'initial' };

export function handComputedWorld(): LakeRecord[] {
  return [
    population({ ...a1, ags: A, validFrom: '2022-05-10', startReason: 'birth' }),
    population({ ...a2, ags: A, validFrom: '2023-03-15', startReason: 'birth' }),
    population({ ...a3, ags: A, ...initial }),
    population({ ...a4, ags: A, ...initial }),
    population({ ...a5, ags: A, ...initial }),
    population({ ...a6, ags: A, ...initial, validTo: '2023-08-01', endReason: 'death' }),
    population({ ...a7, ags: A, ...initial }),
    population({ ...a8, ags: A, validFrom: '2023-04-01', startReason: 'move_in' }),
    population({ ...a9, ags: A, ...initial, validTo: '2023-06-30', endReason: 'move_out' }),
    population({ ...a9, ags: B, validFrom: '2023-06-30', startReason: 'move_in' }),
    population({ ...a10, ags: A, ...initial, validTo: '2023-10-01', endReason: 'emigration' }),
    population({ ...a11, ags: A, validFrom: '2020-12-05', startReason: 'birth' }),
    population({ ...a12, ags: A, ...initial }),
    population({ ...b2, ags: B, ...initial }),
    population({ ...b3, ags: B, validFrom: '2021-01-10', startReason: 'birth' }),

    sgb2({ ...a3, householdId: 'h1', ags: A, validFrom: '2021-01-01', employable: true }),
    sgb2({ ...a1, householdId: 'h1', ags: A, validFrom: '2022-06-01', employable: false }),
    sgb2({ ...a8, householdId: 'h2', ags: A, validFrom: '2023-05-01', employable: true }),
    sgb2({ ...a7, householdId: 'h2', ags: A, validFrom: '2023-05-01', validTo: '2023-12-31', employable: true }),
    sgb2({ ...a4, householdId: 'h3', ags: A, validFrom: '2020-01-01', employable: true }),
    sgb2({ ...a4, householdId: 'h3', ags: A, validFrom: '2022-01-01', employable: false }),

    basicIncomeElderly({
      personId: 'a5',
      birthMonth: '1950-01',
      sex: 'f',
      ags: A,
      validFrom: '2020-01-01',
      reason: 'age',
    }),
    basicIncomeElderly({
      personId: 'a12',
      birthMonth: '1943-12',
      sex: 'f',
      ags: A,
      validFrom: '2020-01-01',
      reason: 'reduced_earning_capacity',
    }),

    housingBenefit({ householdId: 'hh1', ags: A, validFrom: '2022-01-01', householdSize: 3 }),
    housingBenefit({ householdId: 'hh2', ags: A, validFrom: '2021-01-01', householdSize: 2 }),
    housingBenefit({ householdId: 'hh2', ags: A, validFrom: '2023-02-01', householdSize: 4 }),
    housingBenefit({ householdId: 'hh3', ags: B, validFrom: '2020-01-01', householdSize: 1 }),

    unemployment({ ...a4, ags: A, validFrom: '2023-01-01', legalBasis: 'sgb3' }),
    unemployment({ ...a8, ags: A, validFrom: '2023-06-01', legalBasis: 'sgb2' }),
    unemployment({ ...b2, ags: B, validFrom: '2022-01-01', legalBasis: 'sgb2' }),
    unemployment({ ...a3, ags: A, validFrom: '2022-01-01', validTo: '2023-06-01', legalBasis: 'sgb2' }),

    childcare({
      childId: 'a1',
      birthMonth: '2022-05',
      ags: A,
      validFrom: '2023-01-01',
      hoursPerWeek: 40,
      careType: 'kita',
    }),
    childcare({
      childId: 'a11',
      birthMonth: '2020-12',
      ags: A,
      validFrom: '2022-08-01',
      hoursPerWeek: 30,
      careType: 'kita',
    }),
    childcare({
      childId: 'b3',
      birthMonth: '2021-01',
      ags: B,
      validFrom: '2022-01-01',
      hoursPerWeek: 35,
      careType: 'tagespflege',
    }),
    childcare({
      childId: 'a2',
      birthMonth: '2023-03',
      ags: A,
      validFrom: '2024-01-01',
      hoursPerWeek: 20,
      careType: 'tagespflege',
    }),

    youthWelfare({ personId: 'a7', birthMonth: '2008-02', sex: 'f', ags: A, validFrom: '2023-02-01', paragraph: '33' }),
    youthWelfare({ personId: 'a7', birthMonth: '2008-02', sex: 'f', ags: A, validFrom: '2023-03-01', paragraph: '27' }),
    youthWelfare({
      personId: 'a8',
      birthMonth: '2005-11',
      sex: 'm',
      ags: A,
      validFrom: '2022-01-01',
      validTo: '2023-12-31',
      paragraph: '34',
    }),
    youthWelfare({ personId: 'b3', birthMonth: '2021-01', sex: 'm', ags: B, validFrom: '2022-01-01', paragraph: '28' }),
  ];
}

/** Expected values for 2023: [Elmshorn, county], each derived in the comments of indicators.spec.ts. */
export const EXPECTED_2023: Record<string, [number | null, number | null]> = {
  population: [9, 12],
  population_change_pct: [-10, 0], // (9−10)/10·100; (12−12)/12·100
  births: [1, 1],
  deaths: [1, 1],
  births_per_1000: [111.11, 83.33], // 1/9·1000 = 111.111…; 1/12·1000 = 83.333…
  deaths_per_1000: [111.11, 83.33],
  natural_balance_per_1000: [0, 0],
  in_migration_per_1000: [111.11, 83.33], // A: a8; county: a8 (a9 internal)
  out_migration_per_1000: [222.22, 83.33], // A: a9, a10; county: a10
  net_migration_per_1000: [-111.11, 0],
  general_fertility_rate: [500, 500], // women 15–49: a3, a7 (b-side a9 is 63)
  share_under_3_pct: [22.22, 25], // A: a1, a2 → 2/9; county: + b3 → 3/12
  share_under_18_pct: [44.44, 41.67], // A: a1, a2, a7, a11 → 4/9; county 5/12
  share_18_to_64_pct: [33.33, 41.67], // A: a3, a4, a8 → 3/9; county + a9, b2 → 5/12
  share_65_plus_pct: [22.22, 16.67], // a5, a12
  share_80_plus_pct: [11.11, 8.33], // a12 (80 in its birth month)
  youth_ratio: [250, 150], // A: <20 = 5, 20–64 = 2; county 6 / 4
  old_age_ratio: [100, 50], // 2/2; 2/4
  dependency_ratio: [350, 200], // (5+2)/2; (6+2)/4
  ageing_index: [66.67, 50], // ≥65 = 2, <15: A 3, county 4
  mean_age: [29, 31.58], // 261/9; 379/12 = 31.583…
  share_foreign_pct: [33.33, 25], // a2, a5, a8
  share_female_pct: [66.67, 58.33], // A: 6/9; county: 7/12
  sgb2_persons: [4, 4],
  sgb2_households: [3, 3],
  sgb2_rate_pct: [57.14, 40], // S(<65) = 4; P(<65): A 7, county 10
  sgb2_employable_rate_pct: [50, 33.33], // S(employable,15–64) = a3, a8; P(15–64): A 4, county 6
  child_poverty_rate_pct: [33.33, 25], // S(<15) = a1; P(<15): A 3, county 4
  sgb2_foreign_share_pct: [25, 25], // a8 / 4
  basic_income_elderly_persons: [1, 1], // a5 (reason age)
  basic_income_elderly_rate_pct: [50, 50], // 1 / P(≥65) = 2
  housing_benefit_households: [2, 3],
  housing_benefit_households_per_1000: [222.22, 250], // 2/9·1000; 3/12·1000
  housing_benefit_persons_pct: [77.78, 66.67], // 7/9·100; 8/12·100
  unemployed: [2, 3],
  unemployment_rate_pct: [50, 50], // 2/4; 3/6
  youth_unemployment_rate_pct: [50, 50], // a8 / {a7, a8}
  unemployed_sgb2_share_pct: [50, 66.67], // A: a8 / 2; county: a8, b2 / 3
  childcare_rate_under_3_pct: [50, 66.67], // A: a1 / {a1, a2}; county: a1, b3 / {a1, a2, b3}
  childcare_rate_3_to_5_pct: [100, 100], // a11 / a11
  childcare_full_day_share_pct: [50, 33.33], // > 35 h: a1 only (35 is not more than 35)
  youth_welfare_cases: [2, 3],
  youth_welfare_per_1000_under_21: [400, 500], // 2/5·1000; 3/6·1000
  youth_welfare_residential_per_1000_under_21: [200, 166.67], // 1/5·1000; 1/6·1000
};
