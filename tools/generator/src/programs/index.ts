import { ageAt } from '../dates';
import { type Interval, OPEN, normalize } from '../intervals';
import type { SimPerson, SimUnit } from '../model';
import { deriveBasicIncomeElderly, deriveReducedEarningCapacity } from './basic-income-elderly';
import { deriveChildcare } from './childcare';
import type { PersonFacts, ProgramContext } from './context';
import { deriveHousingBenefit } from './housing-benefit';
import { derivePopulation } from './population';
import { deriveSgb2 } from './sgb2';
import { ageDay, residencePeriods, segmentInterval } from './timeline';
import { deriveUnemployment } from './unemployment';
import { deriveYouthWelfare } from './youth-welfare';

export type { ProgramContext } from './context';

/**
 * All records of one simulated unit, population first. The order of derivations matters: reduced
 * earning capacity excludes SGB II, SGB II receipt shapes unemployment, Grundsicherung at 65, youth
 * welfare risk and housing benefit (which SGB II households do not get).
 */
export function deriveRecords(ctx: ProgramContext, unit: SimUnit): void {
  const facts = new Map<SimPerson, PersonFacts>();
  for (const person of unit.persons) {
    derivePopulation(ctx, person);
    facts.set(person, { person, periods: residencePeriods(person), reducedEarningCapacity: [], sgb2: [] });
  }
  for (const f of facts.values()) deriveReducedEarningCapacity(ctx, f);
  const sgb2Times = deriveSgb2(ctx, unit.households, facts);
  for (const f of facts.values()) {
    deriveBasicIncomeElderly(ctx, f);
    deriveUnemployment(ctx, f);
    deriveChildcare(ctx, f);
    deriveYouthWelfare(ctx, f, singleParentTimes(f.person));
  }
  deriveHousingBenefit(ctx, unit.households, sgb2Times);
}

/** Times a minor lives with exactly one adult (as seen when each of its residence segments starts). */
function singleParentTimes(p: SimPerson): Interval[] {
  const out: Interval[] = [];
  const at18 = ageDay(p, 18);
  for (const s of p.segments) {
    if (s.from >= at18) continue;
    const adults = s.stay.segments.filter((o) => {
      if (o.person === p) return false;
      const i = segmentInterval(o, o.person.birthDay);
      return i.from <= s.from && s.from < i.to && ageAt(o.person.birth, s.from) >= 18;
    }).length;
    if (adults === 1) {
      const i = segmentInterval(s, p.birthDay);
      out.push({ from: i.from, to: Math.min(i.to, at18 === OPEN ? OPEN : at18) });
    }
  }
  return normalize(out);
}
