import type { Sex } from './demography';
import {
  GERMAN,
  IMMIGRATION_FOREIGN_SHARE,
  MOVE_IN_FOREIGN_MIX,
  MOVE_IN_FOREIGN_SHARE,
  RESIDENT_FOREIGN_MIX,
  immigrationForeignMix,
  nationalityGroup,
} from './nationalities';
import { type Random, type WeightedTable, weighted } from './random';

/**
 * Who lives together: the composition of a household when it enters the synthetic register (already
 * resident at the start, or arriving). Households are drawn by the age of their head; type, partner
 * and children follow from it. The head-age weights are tuned (see README "Calibration") so that the
 * county's age structure comes out like a German suburban county: about 17–18 % under 18, about 21 %
 * 65 and older, mean age about 44–45.
 */
export type HouseholdKind = 'single' | 'couple' | 'couple_children' | 'single_parent';
export type Arrival = 'initial' | 'move_in' | 'immigration';

export interface MemberDraft {
  sex: Sex;
  /** Age in completed years on the day the household enters. */
  age: number;
  nationality: string;
  role: 'adult' | 'child';
}

export interface HouseholdDraft {
  kind: HouseholdKind;
  /** Nationality of the head (names of the household follow it). */
  nationality: string;
  members: MemberDraft[];
}

/** Head-age weights by band [from, to] (inclusive), expanded to single years. */
function ageTable(bands: readonly (readonly [number, number, number])[]): WeightedTable<number> {
  const entries: [number, number][] = [];
  for (const [from, to, weight] of bands) for (let a = from; a <= to; a++) entries.push([a, weight / (to - from + 1)]);
  return weighted(entries);
}

// Tuned: see README "Calibration".
const INITIAL_HEAD_AGE = ageTable([
  [18, 19, 0.45],
  [20, 24, 3.2],
  [25, 29, 5.2],
  [30, 34, 5.4],
  [35, 39, 5.0],
  [40, 44, 5.4],
  [45, 49, 6.9],
  [50, 54, 6.9],
  [55, 59, 5.9],
  [60, 64, 5.3],
  [65, 69, 4.5],
  [70, 74, 5.2],
  [75, 79, 5.0],
  [80, 84, 3.3],
  [85, 89, 2.2],
  [90, 94, 0.8],
  [95, 99, 0.2],
]);
const MOVE_IN_HEAD_AGE = ageTable([
  [18, 24, 14],
  [25, 29, 18],
  [30, 34, 17],
  [35, 39, 12],
  [40, 44, 9],
  [45, 49, 7],
  [50, 54, 6],
  [55, 64, 8],
  [65, 74, 6],
  [75, 94, 9],
]);
const IMMIGRATION_HEAD_AGE = ageTable([
  [18, 24, 24],
  [25, 29, 23],
  [30, 34, 17],
  [35, 39, 12],
  [40, 44, 8],
  [45, 54, 8],
  [55, 64, 4],
  [65, 79, 3],
]);

/** Household type by the head's age band: single, couple, couple with children, single parent. */
type KindTable = readonly (readonly [number, readonly [number, number, number, number]])[];
const KIND_BY_AGE: KindTable = [
  [24, [0.66, 0.2, 0.09, 0.05]],
  [34, [0.42, 0.22, 0.28, 0.08]],
  [44, [0.26, 0.12, 0.5, 0.12]],
  [54, [0.28, 0.26, 0.36, 0.1]],
  [64, [0.33, 0.52, 0.12, 0.03]],
  [74, [0.36, 0.62, 0.02, 0]],
  [84, [0.5, 0.5, 0, 0]],
  [200, [0.76, 0.24, 0, 0]],
];
/** Households moving in are more often single people and couples than the resident ones. */
const ARRIVING_KIND_BY_AGE: KindTable = [
  [24, [0.75, 0.18, 0.04, 0.03]],
  [34, [0.52, 0.25, 0.18, 0.05]],
  [44, [0.4, 0.18, 0.34, 0.08]],
  [54, [0.4, 0.3, 0.24, 0.06]],
  [64, [0.4, 0.52, 0.06, 0.02]],
  [200, [0.58, 0.42, 0, 0]],
];
const KINDS: readonly HouseholdKind[] = ['single', 'couple', 'couple_children', 'single_parent'];

const CHILD_COUNT = weighted<number>([
  [1, 46],
  [2, 39],
  [3, 12],
  [4, 3],
]);
const CHILD_COUNT_LARGE = weighted<number>([
  [1, 25],
  [2, 35],
  [3, 25],
  [4, 15],
]);

function drawKind(random: Random, headAge: number, arrival: Arrival, nationality: string, year: number): HouseholdKind {
  const group = nationalityGroup(nationality);
  if (arrival !== 'initial' && group === 'ukraine' && year >= 2022) {
    // Mostly mothers with children and older people; men of military age rarely left.
    return headAge >= 60 ? (random.chance(0.7) ? 'single' : 'couple') : random.chance(0.6) ? 'single_parent' : 'single';
  }
  if (arrival === 'immigration' && group === 'protection' && headAge < 30)
    return random.chance(0.72) ? 'single' : 'couple_children';
  const probs = (arrival === 'initial' ? KIND_BY_AGE : ARRIVING_KIND_BY_AGE).find(([maxAge]) => headAge <= maxAge)![1];
  let x = random.next();
  for (let i = 0; i < 4; i++) {
    if (x < probs[i]) return KINDS[i];
    x -= probs[i];
  }
  return 'single';
}

function singleSex(random: Random, age: number, arrival: Arrival): Sex {
  const female =
    arrival === 'initial'
      ? age < 30
        ? 0.45
        : age < 65
          ? 0.44
          : age < 80
            ? 0.55
            : 0.68
      : age < 65
        ? 0.42
        : age < 80
          ? 0.5
          : 0.6;
  return otherSexesOrDefault(random, random.chance(female) ? 'f' : 'm');
}

/** A few people are registered diverse (d) or without a stated sex (x). */
function otherSexesOrDefault(random: Random, sex: Sex): Sex {
  const x = random.next();
  if (x < 0.0002) return 'd';
  if (x < 0.0005) return 'x';
  return sex;
}

function drawNationality(random: Random, arrival: Arrival, year: number, initialForeignShare: number): string {
  switch (arrival) {
    case 'initial':
      return random.chance(initialForeignShare) ? RESIDENT_FOREIGN_MIX.draw(random) : GERMAN;
    case 'move_in':
      return random.chance(MOVE_IN_FOREIGN_SHARE) ? MOVE_IN_FOREIGN_MIX.draw(random) : GERMAN;
    case 'immigration':
      return random.chance(IMMIGRATION_FOREIGN_SHARE) ? immigrationForeignMix(year).draw(random) : GERMAN;
  }
}

function childNationality(random: Random, parentNationality: string, childAge: number): string {
  if (parentNationality === GERMAN) return GERMAN;
  // Children born in Germany since 2000 often hold German citizenship (ius soli).
  return childAge <= 20 && random.chance(0.25) ? GERMAN : parentNationality;
}

/** Share of households (not persons) with a foreign head among those resident at the start. */
export const INITIAL_FOREIGN_HOUSEHOLD_SHARE = 0.07;

export function drawHousehold(random: Random, arrival: Arrival, year: number): HouseholdDraft {
  const headAge = (
    arrival === 'initial' ? INITIAL_HEAD_AGE : arrival === 'move_in' ? MOVE_IN_HEAD_AGE : IMMIGRATION_HEAD_AGE
  ).draw(random);
  const nationality = drawNationality(random, arrival, year, INITIAL_FOREIGN_HOUSEHOLD_SHARE);
  const kind = drawKind(random, headAge, arrival, nationality, year);
  const members: MemberDraft[] = [];
  let motherAge: number | null = null;

  if (kind === 'single') {
    members.push({ sex: singleSex(random, headAge, arrival), age: headAge, nationality, role: 'adult' });
  } else if (kind === 'single_parent') {
    const sex: Sex = random.chance(0.88) ? 'f' : 'm';
    members.push({ sex: otherSexesOrDefault(random, sex), age: headAge, nationality, role: 'adult' });
    motherAge = headAge;
  } else {
    const headSex: Sex = random.chance(0.5) ? 'f' : 'm';
    const sameSex = random.chance(0.02);
    const partnerSex: Sex = sameSex ? headSex : headSex === 'f' ? 'm' : 'f';
    // Men are on average about three years older than their female partners.
    const shift = headSex === partnerSex ? 0 : headSex === 'm' ? -3 : 3;
    const partnerAge = Math.max(18, Math.round(headAge + shift + random.normal(0, 3.5)));
    const partnerNationality =
      nationality !== GERMAN && random.chance(0.25)
        ? GERMAN
        : nationality === GERMAN && random.chance(0.04)
          ? RESIDENT_FOREIGN_MIX.draw(random)
          : nationality;
    members.push({ sex: otherSexesOrDefault(random, headSex), age: headAge, nationality, role: 'adult' });
    members.push({
      sex: otherSexesOrDefault(random, partnerSex),
      age: partnerAge,
      nationality: partnerNationality,
      role: 'adult',
    });
    if (kind === 'couple_children') motherAge = headSex === 'f' ? headAge : partnerSex === 'f' ? partnerAge : headAge;
  }

  if (motherAge !== null) {
    const group = nationalityGroup(nationality);
    const count = (group === 'protection' || group === 'turkey' ? CHILD_COUNT_LARGE : CHILD_COUNT).draw(random);
    for (let i = 0; i < count; i++) {
      const age = drawChildAge(random, motherAge);
      if (age === null) continue;
      members.push({
        sex: random.chance(0.487) ? 'f' : 'm',
        age,
        nationality: childNationality(random, nationality, age),
        role: 'child',
      });
    }
    // A "family" whose children could not be placed is a couple or a single.
    if (members.every((m) => m.role === 'adult')) {
      return { kind: members.length === 2 ? 'couple' : 'single', nationality, members };
    }
  }
  return { kind, nationality, members };
}

/** Age of a child living with its mother (under 18, sometimes an adult child still at home); null if none fits. */
function drawChildAge(random: Random, motherAge: number): number | null {
  for (let attempt = 0; attempt < 8; attempt++) {
    const ageAtBirth = Math.round(random.normal(30.5, 5.2));
    if (ageAtBirth < 17 || ageAtBirth > 46) continue;
    const age = motherAge - ageAtBirth;
    if (age < 0) continue;
    if (age < 18) return age;
    if (age <= 25 && random.chance(0.45 - (age - 18) * 0.05)) return age;
  }
  return null;
}
