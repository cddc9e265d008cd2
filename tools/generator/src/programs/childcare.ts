import { type Day, dayOf, formatDay } from '../dates';
import { type Interval, clip, intersect, normalize } from '../intervals';
import { type Random, weighted } from '../random';
import type { PersonFacts, ProgramContext } from './context';
import { ageDay, byMunicipality, residenceIntervals, validTo } from './timeline';

/**
 * Daycare from the first birthday to school entry: about a third of the under-threes (a quarter of
 * them with a child minder, Tagespflege) and over 90 % of the three- to five-year-olds. Care runs
 * until the 1 August of the year of school entry (children who are six by 30 June start school that
 * year). A child minder hands over to a Kita at the third birthday (a new record). Children who move
 * into the county start after a few weeks of settling in.
 */
type Start = { fromMonths: number; toMonths: number } | null;

const START_AGE = weighted<Start>([
  [{ fromMonths: 8, toMonths: 11 }, 4],
  [{ fromMonths: 12, toMonths: 18 }, 38],
  [{ fromMonths: 19, toMonths: 30 }, 22],
  [{ fromMonths: 31, toMonths: 40 }, 28],
  [{ fromMonths: 41, toMonths: 60 }, 5],
  [null, 3],
]);
const HOURS_UNDER_3 = weighted<number>([
  [15, 3],
  [20, 12],
  [25, 15],
  [30, 20],
  [35, 18],
  [40, 18],
  [45, 12],
  [50, 2],
]);
const HOURS_3_PLUS = weighted<number>([
  [20, 6],
  [25, 12],
  [30, 16],
  [35, 22],
  [40, 20],
  [45, 18],
  [50, 6],
]);
const TAGESPFLEGE_SHARE = 0.25;
const MONTH_DAYS = 30.44;

function hours(random: Random, underThree: boolean): number {
  const h = (underThree ? HOURS_UNDER_3 : HOURS_3_PLUS).draw(random);
  // Contracts are mostly round numbers; some are not.
  return random.chance(0.15) ? Math.min(50, Math.max(15, h + random.int(-3, 3))) : h;
}

export function schoolEntry(birth: { y: number; m: number }): Day {
  return dayOf(birth.y + (birth.m <= 6 ? 6 : 7), 8, 1);
}

export function deriveChildcare(ctx: ProgramContext, facts: PersonFacts): void {
  const p = facts.person;
  const school = schoolEntry(p.birth);
  if (school <= ctx.extractStart) return;
  const r = ctx.random;
  const start = START_AGE.draw(r);
  if (start === null) return;
  const planned =
    p.birthDay + Math.round((start.fromMonths + r.next() * (start.toMonths - start.fromMonths)) * MONTH_DAYS);
  // Settling in after a move into the county: care starts some weeks after arrival at the earliest.
  const care: Interval[] = [];
  for (const period of residenceIntervals(facts.periods)) {
    const arrivedLater = period.from > p.birthDay;
    const from = Math.max(planned, arrivedLater ? period.from + r.int(21, 120) : planned);
    if (from < Math.min(period.to, school, ctx.endDay)) care.push({ from, to: Math.min(period.to, school) });
  }
  const spells = intersect(normalize(care), residenceIntervals(facts.periods));
  if (spells.length === 0) return;
  const at3 = ageDay(p, 3);
  const tagespflege = planned < at3 && r.chance(TAGESPFLEGE_SHARE);
  const hoursUnder3 = hours(r, true);
  const hoursLater = r.chance(0.5) ? hoursUnder3 : hours(r, false);
  for (const piece of byMunicipality(facts.periods, spells)) {
    const parts = tagespflege ? [clip([piece], piece.from, at3), clip([piece], at3, Infinity)].flat() : [piece];
    for (const part of parts) {
      if (part.to <= ctx.extractStart) continue;
      const careType = tagespflege && part.from < at3 ? 'tagespflege' : 'kita';
      ctx.emit('childcare', {
        recordId: ctx.ids.recordId('kita'),
        childId: p.personId,
        firstName: p.firstName,
        lastName: p.lastName,
        birthDate: p.birthDate,
        ags: piece.ags,
        validFrom: formatDay(part.from),
        validTo: part.to >= ctx.endDay ? null : validTo(part.to),
        hoursPerWeek: part.from < at3 ? hoursUnder3 : hoursLater,
        careType,
      });
    }
  }
}
