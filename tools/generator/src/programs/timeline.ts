import { type Day, birthdayDay, formatDay } from '../dates';
import { type Interval, OPEN, clip, intersect, normalize } from '../intervals';
import type { Segment, SimPerson, Stay } from '../model';
import type { Window } from '../renewal';

/**
 * A person's residence as program derivations need it: periods in one municipality (address changes
 * merged), and windows in which benefit processes run. Someone already resident when the register
 * extract begins lived there before, so their first period reaches back to birth: a spell running at
 * the extract start may have begun earlier.
 */
export interface ResidencePeriod {
  ags: string;
  from: Day;
  to: Day;
}

export function segmentInterval(s: Segment, extendInitialTo?: Day): Interval {
  const from = s.startReason === 'initial' && extendInitialTo !== undefined ? extendInitialTo : s.from;
  return { from, to: s.to ?? OPEN };
}

export function residencePeriods(p: SimPerson): ResidencePeriod[] {
  const out: ResidencePeriod[] = [];
  for (const s of p.segments) {
    const { from, to } = segmentInterval(s, p.birthDay);
    const last = out[out.length - 1];
    if (last && last.ags === s.stay.ags && last.to === from) last.to = to;
    else out.push({ ags: s.stay.ags, from, to });
  }
  return out;
}

export function residenceIntervals(periods: readonly ResidencePeriod[]): Interval[] {
  return normalize(periods.map((p) => ({ from: p.from, to: p.to })));
}

/**
 * Windows for processes over `allowed` (e.g. an age range): the residence as simulated, where a
 * window that begins at an initial segment may backdate a running spell down to `backdateFloor`.
 */
export function processWindows(p: SimPerson, allowed: Interval, backdateFloor: Day = allowed.from): Window[] {
  const windows: Window[] = [];
  const actual = normalize(p.segments.map((s) => segmentInterval(s)));
  const initialStart = p.segments[0]?.startReason === 'initial' ? p.segments[0].from : null;
  for (const w of intersect(actual, [allowed])) {
    const window: Window = { from: w.from, to: w.to };
    if (initialStart !== null && w.from === initialStart && allowed.from < w.from)
      window.backdateLimit = Math.max(backdateFloor, allowed.from);
    windows.push(window);
  }
  return windows;
}

/** The intervals split into the municipalities the person lived in at the time. */
export function byMunicipality(periods: readonly ResidencePeriod[], intervals: readonly Interval[]): ResidencePeriod[] {
  const out: ResidencePeriod[] = [];
  for (const period of periods)
    for (const i of clip(intervals, period.from, period.to)) out.push({ ags: period.ags, from: i.from, to: i.to });
  return out.sort((a, b) => a.from - b.from);
}

/** Membership intervals of a person in a household's stays (initial ones reaching back to birth). */
export function membership(p: SimPerson, stays: readonly Stay[]): Interval[] {
  const set = new Set(stays);
  return normalize(p.segments.filter((s) => set.has(s.stay)).map((s) => segmentInterval(s, p.birthDay)));
}

export const ageDay = (p: SimPerson, age: number): Day => birthdayDay(p.birth, age);

export function validTo(to: Day): string | null {
  return to === OPEN ? null : formatDay(to);
}
