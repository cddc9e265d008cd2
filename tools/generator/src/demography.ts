import type { NationalityGroup } from './nationalities';

/**
 * Annual rates (events per person or household and year) of the synthetic county. Shapes follow
 * German life tables, fertility by age of mother and migration by age; levels are tuned so that the
 * county shows the crude rates in shared/data/README.md (births about 8.5 ‰, deaths about 11.5 ‰,
 * net migration that carries the published population growth).
 */
export type Sex = 'm' | 'f' | 'd' | 'x';

/** Probability of dying within a year at an age (a Gompertz curve from 30 on). */
export function mortality(age: number, sex: Sex): number {
  const factor = sex === 'm' ? 1.28 : sex === 'f' ? 0.78 : 1;
  if (age === 0) return 0.0032 * factor;
  if (age < 15) return 0.0001 * factor;
  if (age < 30) return 0.0004 * factor;
  return Math.min(0.6, 0.046 * Math.exp(0.098 * (age - 80)) * factor);
}

const TOTAL_FERTILITY = 1.45;
const FERTILITY_MEAN_AGE = 31.3;
const FERTILITY_SD = 5.4;

/** Births per woman and year at an age, for an average woman of that age. */
export function fertility(age: number): number {
  if (age < 15 || age > 49) return 0;
  const z = (age - FERTILITY_MEAN_AGE) / FERTILITY_SD;
  return (TOTAL_FERTILITY * Math.exp(-0.5 * z * z)) / (FERTILITY_SD * Math.sqrt(2 * Math.PI));
}

/** Relative fertility by living situation (most children are born to couples). */
export function fertilityFactor(inCouple: boolean, livesWithParents: boolean, hasChildren: boolean): number {
  if (livesWithParents) return 0.15;
  if (inCouple) return 1.45;
  return hasChildren ? 0.35 : 0.3;
}

/** Household moves across the county border (within Germany), by the age of the household head. */
export function moveOutRate(headAge: number): number {
  if (headAge < 25) return 0.11;
  if (headAge < 30) return 0.085;
  if (headAge < 40) return 0.05;
  if (headAge < 50) return 0.03;
  if (headAge < 65) return 0.02;
  if (headAge < 80) return 0.015;
  return 0.025;
}

/** Emigration abroad by nationality group. */
export function emigrationRate(group: NationalityGroup, year: number): number {
  switch (group) {
    case 'german':
      return 0.003;
    case 'eu':
      return 0.075;
    case 'ukraine':
      return year >= 2022 ? 0.07 : 0.04;
    case 'protection':
      return 0.018;
    case 'turkey':
      return 0.012;
    default:
      return 0.05;
  }
}

/** Moves to another municipality of the county. */
export function internalMoveRate(headAge: number): number {
  if (headAge < 30) return 0.035;
  if (headAge < 50) return 0.02;
  if (headAge < 65) return 0.012;
  return 0.01;
}

/** Moves to another address in the same municipality (old people: into care homes). */
export function addressChangeRate(headAge: number): number {
  if (headAge < 30) return 0.11;
  if (headAge < 50) return 0.055;
  if (headAge < 65) return 0.03;
  if (headAge < 80) return 0.025;
  return 0.05;
}

/** Adult children leaving their parents' household. */
export function leaveHomeRate(age: number): number {
  if (age < 18) return 0;
  if (age < 19) return 0.12;
  if (age < 22) return 0.22;
  if (age < 26) return 0.3;
  return 0.35;
}

/** Single adults finding a partner who moves in from outside the county. */
export function partnerRate(age: number): number {
  if (age < 20 || age >= 55) return 0;
  if (age < 25) return 0.03;
  if (age < 40) return 0.05;
  return 0.03;
}

/** Couples separating (one partner moves out), while both are under 60. */
export const SEPARATION_RATE = 0.014;

/** Where someone leaving a household goes: same municipality, another one in the county, or out of it. */
export const LEAVER_DESTINATION = { sameMunicipality: 0.36, otherMunicipality: 0.2, outOfCounty: 0.44 } as const;
/** Separated partners mostly stay close to their children. */
export const SEPARATED_DESTINATION = { sameMunicipality: 0.5, otherMunicipality: 0.25, outOfCounty: 0.25 } as const;

/** Families move less often than single people and couples. */
export const FAMILY_MOBILITY_FACTOR = 0.75;
