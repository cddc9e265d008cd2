import { type Day, yearOf, yearStart } from './dates';
import { type Interval, OPEN } from './intervals';
import type { Random } from './random';

/**
 * Receipt spells as an alternating renewal process: off periods end with an entry rate (which may
 * change from calendar year to calendar year), on periods end with an exit rate. This gives the
 * benefit dynamics of administrative data: most spells short, some long, people returning.
 */
export interface Window {
  from: Day;
  /** Exclusive; OPEN when the window reaches past the end of the simulation. */
  to: Day;
  /**
   * Set when the window starts at the beginning of the register extract for someone who was already
   * resident: a spell running then began earlier, at the earliest on this day.
   */
  backdateLimit?: Day;
}

export interface RenewalRates {
  /** Probability of being on at the window start. */
  initialOn: number;
  /** Entries per year while off, for the calendar year of `day`. */
  entryRate(day: Day): number;
  /** Exits per year while on. */
  exitRate: number;
  /** Exclusive end of the simulated time (today + 1); what is on then stays open. */
  endDay: Day;
  /** Shortest spell in days (administrative spells rarely last less than a month). */
  minDays?: number;
}

const YEAR_DAYS = 365.2425;

export function renewalSpells(random: Random, window: Window, rates: RenewalRates): Interval[] {
  const out: Interval[] = [];
  const end = Math.min(window.to, rates.endDay);
  const minDays = rates.minDays ?? 28;
  let t = window.from;
  let on = random.chance(rates.initialOn);
  let spellStart = t;
  if (on && window.backdateLimit !== undefined) {
    spellStart = Math.max(window.backdateLimit, Math.floor(t - random.exponential(rates.exitRate) * YEAR_DAYS));
  }
  while (t < end) {
    if (on) {
      const stop = Math.max(spellStart + minDays, Math.floor(t + random.exponential(rates.exitRate) * YEAR_DAYS));
      if (stop >= end) {
        out.push({ from: spellStart, to: end === rates.endDay ? OPEN : end });
        return out;
      }
      out.push({ from: spellStart, to: stop });
      t = stop;
      on = false;
    } else {
      // Piecewise constant entry rate per calendar year.
      const pieceEnd = Math.min(yearStart(yearOf(t) + 1), end);
      const wait = random.exponential(rates.entryRate(t)) * YEAR_DAYS;
      if (t + wait >= pieceEnd) {
        t = pieceEnd;
        continue;
      }
      t = Math.floor(t + wait) + 1;
      if (t >= end) break;
      spellStart = t;
      on = true;
    }
  }
  return out;
}
