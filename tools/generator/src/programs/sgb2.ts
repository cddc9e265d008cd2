import { ageAt, type Day, dayOf, formatDay, yearOf } from '../dates';
import { type Interval, OPEN, clip, intersect, normalize, subtract } from '../intervals';
import type { SimHousehold, SimPerson } from '../model';
import { nationalityGroup } from '../nationalities';
import { renewalSpells } from '../renewal';
import type { PersonFacts, ProgramContext } from './context';
import { ageDay, byMunicipality, membership, validTo } from './timeline';

/**
 * SGB II benefit units (Bedarfsgemeinschaften): a household receives or does not, as an alternating
 * process whose level depends on its composition and nationality (single parents and protection
 * seekers far more often). Every member under 65 is a person of the unit while living in it —
 * except people receiving Grundsicherung for reduced earning capacity, who are outside SGB II.
 * `employable` is true from the 15th birthday (the record is split there).
 */
const EXIT_RATE = 0.35;
const REFUGEE_EXIT_RATE = 0.25;
const BACKDATE_YEARS = 8;

/** Stationary share of time in receipt for a household. */
function propensity(h: SimHousehold, adults: number, children: number, headAge: number, year: number): number {
  if (headAge >= 65 && children === 0) return 0.01;
  let p: number;
  if (adults >= 2) p = children > 0 ? 0.048 : 0.02;
  else if (children > 0) p = 0.34;
  else p = headAge < 25 ? 0.06 : 0.045;
  switch (nationalityGroup(h.nationality)) {
    case 'protection':
      p *= 2.6;
      break;
    case 'ukraine':
      p *= year >= 2022 ? 5 : 1.5;
      break;
    case 'turkey':
      p *= 1.8;
      break;
    case 'eu':
    case 'other':
      p *= 1.5;
      break;
    default:
      break;
  }
  return Math.min(p, 0.85);
}

/** Derives the records and returns the receipt times of each household's benefit unit. */
export function deriveSgb2(
  ctx: ProgramContext,
  households: readonly SimHousehold[],
  facts: Map<SimPerson, PersonFacts>,
): Map<SimHousehold, Interval[]> {
  const receipt = new Map<SimHousehold, Interval[]>();
  for (const h of households) {
    if (h.stays.length === 0) continue;
    const start = h.stays[0].from;
    const end = h.stays[h.stays.length - 1].to ?? OPEN;
    const members = [...new Set(h.stays.flatMap((s) => s.segments.map((seg) => seg.person)))];
    const atStart = h.stays[0].segments.filter((s) => s.from === start).map((s) => s.person);
    const adults = atStart.filter((p) => ageAt(p.birth, start) >= 18);
    const headAge = adults.length > 0 ? ageAt(adults[0].birth, start) : 18;
    const p = propensity(h, adults.length, atStart.length - adults.length, headAge, yearOf(start));
    const spells = benefitUnitSpells(ctx, h, start, end, p);
    if (spells.length === 0) continue;
    receipt.set(h, spells);
    const householdId = ctx.ids.benefitUnitId();
    for (const person of members) emitMember(ctx, facts.get(person)!, spells, h, householdId);
  }
  return receipt;
}

function benefitUnitSpells(ctx: ProgramContext, h: SimHousehold, start: Day, end: Day, p: number): Interval[] {
  const group = nationalityGroup(h.nationality);
  const year = yearOf(start);
  const r = ctx.random;
  const entry = (p / (1 - p)) * EXIT_RATE;
  // Protection seekers get SGB II after their asylum procedure; Ukrainians since June 2022.
  if (h.origin === 'immigration' && (group === 'protection' || (group === 'ukraine' && year >= 2022))) {
    const first = group === 'ukraine' ? Math.max(start + r.int(20, 60), dayOf(2022, 6, 1)) : start + r.int(60, 365);
    if (first >= end || first >= ctx.endDay || !r.chance(group === 'ukraine' ? 0.7 : 0.75)) {
      return renewalSpells(
        r,
        { from: start, to: end },
        { initialOn: 0, entryRate: () => entry, exitRate: EXIT_RATE, endDay: ctx.endDay },
      );
    }
    return renewalSpells(
      r,
      { from: first, to: end },
      { initialOn: 1, entryRate: () => entry, exitRate: REFUGEE_EXIT_RATE, endDay: ctx.endDay },
    );
  }
  const window = {
    from: start,
    to: end,
    backdateLimit: h.origin === 'initial' ? dayOf(yearOf(start) - BACKDATE_YEARS, 1, 1) : undefined,
  };
  return renewalSpells(r, window, {
    initialOn: h.origin === 'split' ? p / 2 : p,
    entryRate: () => entry,
    exitRate: EXIT_RATE,
    endDay: ctx.endDay,
  });
}

function emitMember(
  ctx: ProgramContext,
  facts: PersonFacts,
  unitSpells: Interval[],
  h: SimHousehold,
  householdId: string,
): void {
  const p = facts.person;
  const at15 = ageDay(p, 15);
  const eligible = subtract(
    clip(intersect(unitSpells, membership(p, h.stays)), p.birthDay, ageDay(p, 65)),
    facts.reducedEarningCapacity,
  );
  if (eligible.length === 0) return;
  facts.sgb2 = normalize([...facts.sgb2, ...eligible]);
  for (const piece of byMunicipality(facts.periods, eligible)) {
    // The employable flag changes at the 15th birthday: two records.
    for (const part of [clip([piece], piece.from, at15), clip([piece], at15, OPEN)].flat()) {
      if (part.to <= ctx.extractStart) continue;
      ctx.emit('sgb2', {
        recordId: ctx.ids.recordId('sgb2'),
        personId: p.personId,
        firstName: p.firstName,
        lastName: p.lastName,
        birthDate: p.birthDate,
        sex: p.sex,
        nationality: p.nationality,
        ags: piece.ags,
        validFrom: formatDay(part.from),
        validTo: validTo(part.to),
        householdId,
        employable: part.from >= at15,
      });
    }
  }
}
