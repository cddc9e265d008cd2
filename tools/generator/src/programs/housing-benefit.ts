import { addYears, ageAt, type Day, dayOf, firstOfMonthOnOrAfter, formatDay, yearOf } from '../dates';
import { type Interval, OPEN, subtract } from '../intervals';
import type { SimHousehold, Stay } from '../model';
import { nationalityGroup } from '../nationalities';
import { renewalSpells } from '../renewal';
import type { ProgramContext } from './context';
import { segmentInterval } from './timeline';

/**
 * Housing benefit (Wohngeld) for households outside SGB II: mostly pensioners and families with low
 * incomes. It is granted per address for approval periods of twelve months from the first of a
 * month, so a receipt is a chain of records, the last of which may end in the future. The level
 * rose with the reforms of 2016 and 2020 and roughly doubled with "Wohngeld Plus" in 2023: about 6–8
 * households per 1000 inhabitants before and 12–14 after.
 */
const EXIT_RATE = 0.3;

function yearFactor(year: number): number {
  if (year < 2016) return 0.8;
  if (year < 2020) return 1;
  if (year < 2023) return 1.15;
  return 3.6;
}

function baseShare(h: SimHousehold, stay: Stay, day: Day): number {
  const present = stay.segments.filter((s) => s.from <= day && (s.to === null || s.to > day)).map((s) => s.person);
  const ages = present.map((p) => ageAt(p.birth, day));
  const adults = ages.filter((a) => a >= 18).length;
  const children = ages.length - adults;
  let p: number;
  if (ages.length > 0 && ages.every((a) => a >= 65)) p = 0.022;
  else if (children > 0) p = adults >= 2 ? 0.02 : 0.035;
  else p = adults >= 2 ? 0.004 : 0.006;
  return nationalityGroup(h.nationality) === 'german' ? p : p * 1.3;
}

export function deriveHousingBenefit(
  ctx: ProgramContext,
  households: readonly SimHousehold[],
  sgb2Times: Map<SimHousehold, Interval[]>,
): void {
  for (const h of households) {
    let householdId: string | null = null;
    for (const stay of h.stays) {
      const initial = stay.segments.some((s) => s.startReason === 'initial');
      const from = stay.from;
      const to = stay.to ?? OPEN;
      const share = baseShare(h, stay, from);
      const windows = subtract([{ from, to }], sgb2Times.get(h) ?? []);
      for (const w of windows) {
        const backdate = initial && w.from === from ? { backdateLimit: dayOf(yearOf(from) - 3, 1, 1) } : {};
        const rates = {
          initialOn: Math.min(0.9, share * yearFactor(yearOf(w.from))),
          entryRate: (day: Day) => {
            const s = Math.min(0.9, share * yearFactor(yearOf(day)));
            return (s / (1 - s)) * EXIT_RATE;
          },
          exitRate: EXIT_RATE,
          endDay: ctx.endDay,
          minDays: 60,
        };
        for (const receipt of renewalSpells(ctx.random, { ...w, ...backdate }, rates)) {
          householdId ??= ctx.ids.housingBenefitId();
          emitApprovals(ctx, stay, receipt, householdId, initial);
        }
      }
    }
  }
}

/** Twelve-month approvals from the first of a month covering the receipt; the last may end after today. */
function emitApprovals(
  ctx: ProgramContext,
  stay: Stay,
  receipt: Interval,
  householdId: string,
  initial: boolean,
): void {
  let start = firstOfMonthOnOrAfter(receipt.from);
  const today = ctx.endDay - 1;
  while (start < receipt.to && start <= today) {
    const approvalEnd = addYears(start, 1);
    const to = Math.min(approvalEnd, receipt.to);
    if (to > ctx.extractStart) emitApproval(ctx, stay, householdId, start, to, initial);
    start = approvalEnd;
  }
}

function emitApproval(
  ctx: ProgramContext,
  stay: Stay,
  householdId: string,
  from: Day,
  to: Day,
  initial: boolean,
): void {
  // Who lives there when the approval starts (initial residents count from before the extract).
  const present = stay.segments.filter((s) => {
    const i = segmentInterval(s, initial ? s.person.birthDay : undefined);
    return i.from <= from && from < i.to;
  });
  if (present.length === 0) return;
  const applicant = present.find((s) => ageAt(s.person.birth, from) >= 18)?.person ?? present[0].person;
  ctx.emit('housing_benefit', {
    recordId: ctx.ids.recordId('wg'),
    householdId,
    applicantName: `${applicant.firstName} ${applicant.lastName}`,
    street: stay.address.street,
    houseNumber: stay.address.houseNumber,
    postalCode: stay.address.postalCode,
    ags: stay.ags,
    validFrom: formatDay(from),
    // Open receipts keep their approved end, which lies in the future.
    validTo: to === OPEN ? formatDay(addYears(from, 1)) : formatDay(to),
    householdSize: Math.min(6, present.length),
  });
}
