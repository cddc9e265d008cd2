import { ageAt, type Day, formatDay, yearOf, yearStart } from '../dates';
import { type Interval, intersect, normalize } from '../intervals';
import { type WeightedTable, weighted } from '../random';
import type { PersonFacts, ProgramContext } from './context';
import { ageDay, byMunicipality, processWindows, residenceIntervals, validTo } from './timeline';

/**
 * Educational support (Hilfen zur Erziehung, SGB VIII) for young people under 21: about 20 cases per
 * 1000 at a time, a good quarter of them residential (§ 33 foster care, § 34 residential homes).
 * Cases start with an age-dependent rate, raised for children in SGB II households and of single
 * parents; the paragraph depends on age and sets the typical duration. Measures other than § 41
 * (young adults) end at 18; a residential placement then often continues under § 41.
 */
type Paragraph = '27' | '28' | '29' | '30' | '31' | '32' | '33' | '34' | '35' | '35a' | '41';

const BY_AGE: readonly (readonly [number, WeightedTable<Paragraph>])[] = [
  [
    5,
    weighted<Paragraph>([
      ['27', 8],
      ['28', 30],
      ['31', 30],
      ['33', 17],
      ['34', 6],
      ['35a', 3],
    ]),
  ],
  [
    11,
    weighted<Paragraph>([
      ['27', 5],
      ['28', 22],
      ['29', 3],
      ['30', 3],
      ['31', 25],
      ['32', 8],
      ['33', 11],
      ['34', 8],
      ['35a', 15],
    ]),
  ],
  [
    17,
    weighted<Paragraph>([
      ['27', 4],
      ['28', 16],
      ['29', 4],
      ['30', 14],
      ['31', 17],
      ['33', 8],
      ['34', 20],
      ['35', 6],
      ['35a', 11],
    ]),
  ],
];
const MEAN_YEARS: Record<Paragraph, number> = {
  '27': 0.8,
  '28': 0.6,
  '29': 0.8,
  '30': 1.1,
  '31': 1.4,
  '32': 1.5,
  '33': 3.2,
  '34': 1.8,
  '35': 1.0,
  '35a': 1.8,
  '41': 1.2,
};
const YEAR_DAYS = 365.2425;

function incidence(age: number): number {
  if (age < 6) return 0.011;
  if (age < 12) return 0.019;
  if (age < 18) return 0.025;
  return 0.012;
}

export function deriveYouthWelfare(ctx: ProgramContext, facts: PersonFacts, singleParentTimes: Interval[]): void {
  const p = facts.person;
  const at18 = ageDay(p, 18);
  const at21 = ageDay(p, 21);
  if (at21 <= ctx.extractStart) return;
  const r = ctx.random;
  const cases: { from: Day; to: Day; paragraph: Paragraph }[] = [];
  for (const w of processWindows(p, { from: p.birthDay, to: at21 }, p.birthDay)) {
    const end = Math.min(w.to, ctx.endDay);
    let t = w.from;
    // A case running when the extract begins started earlier.
    if (w.backdateLimit !== undefined && r.chance(0.026 * riskAt(facts, singleParentTimes, t))) {
      const paragraph = drawParagraph(r, ageAt(p.birth, t));
      const from = Math.max(w.backdateLimit, Math.floor(t - r.exponential(1 / MEAN_YEARS[paragraph]) * YEAR_DAYS));
      t = addCase(ctx, cases, paragraph, from, at18, at21, end);
    }
    while (t < end) {
      const pieceEnd = Math.min(yearStart(yearOf(t) + 1), end, ageDay(p, ageAt(p.birth, t) + 1));
      const rate = incidence(ageAt(p.birth, t)) * riskAt(facts, singleParentTimes, t);
      const wait = r.exponential(rate) * YEAR_DAYS;
      if (t + wait >= pieceEnd) {
        t = pieceEnd;
        continue;
      }
      const from = Math.floor(t + wait) + 1;
      if (from >= end) break;
      t = addCase(ctx, cases, drawParagraph(r, ageAt(p.birth, from)), from, at18, at21, end);
    }
  }
  const residence = residenceIntervals(facts.periods);
  for (const c of cases) {
    for (const piece of byMunicipality(facts.periods, intersect(normalize([{ from: c.from, to: c.to }]), residence))) {
      if (piece.to <= ctx.extractStart) continue;
      ctx.emit('youth_welfare', {
        recordId: ctx.ids.recordId('hze'),
        personId: p.personId,
        birthDate: p.birthDate,
        sex: p.sex,
        ags: piece.ags,
        validFrom: formatDay(piece.from),
        validTo: validTo(piece.to),
        paragraph: c.paragraph,
      });
    }
  }
}

function drawParagraph(r: ProgramContext['random'], age: number): Paragraph {
  if (age >= 18) return '41';
  return BY_AGE.find(([maxAge]) => age <= maxAge)![1].draw(r);
}

/** Adds a case (and its § 41 continuation) and returns the day the next one may start. */
function addCase(
  ctx: ProgramContext,
  cases: { from: Day; to: Day; paragraph: Paragraph }[],
  paragraph: Paragraph,
  from: Day,
  at18: Day,
  at21: Day,
  end: Day,
): Day {
  const r = ctx.random;
  const limit = paragraph === '41' ? at21 : at18;
  let to = Math.max(from + 30, Math.floor(from + r.exponential(1 / MEAN_YEARS[paragraph]) * YEAR_DAYS));
  if (to >= limit) to = limit;
  if (from >= to) return to + 1;
  cases.push({ from, to: to >= end && end === ctx.endDay ? Infinity : Math.min(to, end), paragraph });
  if (to === at18 && (paragraph === '33' || paragraph === '34') && at18 < end && r.chance(0.55)) {
    const next = Math.max(at18 + 1, Math.floor(at18 + r.exponential(1 / MEAN_YEARS['41']) * YEAR_DAYS));
    const nextTo = Math.min(next, at21);
    cases.push({
      from: at18,
      to: nextTo >= end && end === ctx.endDay ? Infinity : Math.min(nextTo, end),
      paragraph: '41',
    });
    return nextTo;
  }
  return to;
}

function riskAt(facts: PersonFacts, singleParentTimes: Interval[], day: Day): number {
  const inSgb2 = facts.sgb2.some((i) => i.from <= day && day < i.to);
  const singleParent = singleParentTimes.some((i) => i.from <= day && day < i.to);
  return (inSgb2 ? 2.6 : 0.8) * (singleParent ? 1.8 : 1);
}
