import { type Interval, OPEN, normalize } from '../intervals';
import { renewalSpells } from '../renewal';
import { formatDay } from '../dates';
import { nationalityGroup } from '../nationalities';
import type { ProgramContext, PersonFacts } from './context';
import { ageDay, byMunicipality, processWindows, validTo } from './timeline';

/**
 * Grundsicherung (SGB XII ch. 4): for reduced earning capacity from 18 to 64 (about 0.4 % of them)
 * and because of age from 65 (about 3 %, more for people who received SGB II before, single women
 * and foreigners with short pension records). A reduced-earning-capacity receipt running at 65
 * continues as one because of age (a new record, since the reason changes).
 */
const EM = { initialOn: 0.004, exitRate: 0.05 };
const AGE_EXIT_RATE = 0.03;

export function deriveReducedEarningCapacity(ctx: ProgramContext, facts: PersonFacts): void {
  const p = facts.person;
  const allowed: Interval = { from: ageDay(p, 18), to: ageDay(p, 65) };
  const spells: Interval[] = [];
  for (const w of processWindows(p, allowed)) {
    const entry = (EM.initialOn / (1 - EM.initialOn)) * EM.exitRate;
    spells.push(
      ...renewalSpells(ctx.random, w, {
        initialOn: EM.initialOn,
        entryRate: () => entry,
        exitRate: EM.exitRate,
        endDay: ctx.endDay,
        minDays: 180,
      }),
    );
  }
  facts.reducedEarningCapacity = normalize(spells);
}

export function deriveBasicIncomeElderly(ctx: ProgramContext, facts: PersonFacts): void {
  const p = facts.person;
  const at65 = ageDay(p, 65);
  const ageSpells: Interval[] = [];
  const group = nationalityGroup(p.nationality);
  for (const w of processWindows(p, { from: at65, to: OPEN })) {
    const continuing = w.from === at65 && facts.reducedEarningCapacity.some((i) => i.to === at65);
    const inSgb2Before = facts.sgb2.some((i) => i.to >= w.from - 31 && i.from < w.from);
    let share = p.sex === 'f' ? 0.025 : 0.018;
    if (group !== 'german') share = group === 'ukraine' ? 0.4 : 0.1;
    if (inSgb2Before) share = 0.4;
    const initialOn = continuing ? 1 : share;
    const entry = (share / (1 - share)) * AGE_EXIT_RATE * 0.3;
    ageSpells.push(
      ...renewalSpells(ctx.random, w, {
        initialOn,
        entryRate: () => entry,
        exitRate: AGE_EXIT_RATE,
        endDay: ctx.endDay,
        minDays: 90,
      }),
    );
  }
  emitSpells(ctx, facts, facts.reducedEarningCapacity, 'reduced_earning_capacity');
  emitSpells(ctx, facts, normalize(ageSpells), 'age');
}

function emitSpells(
  ctx: ProgramContext,
  facts: PersonFacts,
  spells: Interval[],
  reason: 'age' | 'reduced_earning_capacity',
): void {
  const p = facts.person;
  for (const piece of byMunicipality(facts.periods, spells)) {
    if (piece.to <= ctx.extractStart) continue;
    ctx.emit('basic_income_elderly', {
      recordId: ctx.ids.recordId('grusi'),
      personId: p.personId,
      firstName: p.firstName,
      lastName: p.lastName,
      birthDate: p.birthDate,
      sex: p.sex,
      ags: piece.ags,
      validFrom: formatDay(piece.from),
      validTo: validTo(piece.to),
      reason,
    });
  }
}
