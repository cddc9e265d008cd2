import { formatDay } from '../dates';
import { type Interval, clip, intersect, normalize, subtract } from '../intervals';
import { nationalityGroup } from '../nationalities';
import { renewalSpells } from '../renewal';
import type { PersonFacts, ProgramContext } from './context';
import { ageDay, byMunicipality, processWindows, residenceIntervals, validTo } from './timeline';

/**
 * Registered unemployment from 18 to 64. Within SGB II receipt (legal basis sgb2) a good third of the
 * employable are registered unemployed at any time; outside it (sgb3, unemployment insurance) short
 * spells hit about 1.8 % at a time. Together about 4 % of the 15–64 year olds, 55–65 % of them in
 * SGB II — the levels of a German county.
 */
const SGB2 = { share: 0.34, exitRate: 0.9 };
const SGB3 = { share: 0.015, exitRate: 2.4 };

export function deriveUnemployment(ctx: ProgramContext, facts: PersonFacts): void {
  const p = facts.person;
  const working = { from: ageDay(p, 18), to: ageDay(p, 65) };
  const inSgb2 = clip(facts.sgb2, working.from, working.to);

  const sgb2Spells: Interval[] = [];
  for (const w of inSgb2) {
    const entry = (SGB2.share / (1 - SGB2.share)) * SGB2.exitRate;
    sgb2Spells.push(
      ...renewalSpells(ctx.random, w, {
        initialOn: SGB2.share,
        entryRate: () => entry,
        exitRate: SGB2.exitRate,
        endDay: ctx.endDay,
      }),
    );
  }

  const sgb3Spells: Interval[] = [];
  const share = SGB3.share * (nationalityGroup(p.nationality) === 'german' ? 1 : 1.8);
  const entry = (share / (1 - share)) * SGB3.exitRate;
  const excluded = normalize([...facts.sgb2, ...facts.reducedEarningCapacity]);
  for (const w of processWindows(p, working)) {
    for (const free of subtract([{ from: w.from, to: w.to }], excluded)) {
      const window = free.from === w.from ? { ...free, backdateLimit: w.backdateLimit } : free;
      sgb3Spells.push(
        ...renewalSpells(ctx.random, window, {
          initialOn: share,
          entryRate: () => entry,
          exitRate: SGB3.exitRate,
          endDay: ctx.endDay,
        }),
      );
    }
  }
  // A backdated sgb3 spell must not reach into an earlier SGB II receipt.
  emit(ctx, facts, normalize(sgb2Spells), 'sgb2');
  emit(ctx, facts, subtract(intersect(normalize(sgb3Spells), residenceIntervals(facts.periods)), excluded), 'sgb3');
}

function emit(ctx: ProgramContext, facts: PersonFacts, spells: Interval[], legalBasis: 'sgb2' | 'sgb3'): void {
  const p = facts.person;
  for (const piece of byMunicipality(facts.periods, spells)) {
    if (piece.to <= ctx.extractStart) continue;
    ctx.emit('unemployment', {
      recordId: ctx.ids.recordId('alo'),
      personId: p.personId,
      birthDate: p.birthDate,
      sex: p.sex,
      nationality: p.nationality,
      ags: piece.ags,
      validFrom: formatDay(piece.from),
      validTo: validTo(piece.to),
      legalBasis,
    });
  }
}
