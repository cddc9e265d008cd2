import type { Day } from './dates';

/** A half-open day interval [from, to); `to` is Infinity while it is still open. */
export interface Interval {
  from: Day;
  to: Day;
}

export const OPEN = Infinity;

/** Sorted, non-overlapping, adjacent ones merged. */
export function normalize(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((i) => i.to > i.from).sort((a, b) => a.from - b.from);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.from <= last.to) last.to = Math.max(last.to, i.to);
    else out.push({ from: i.from, to: i.to });
  }
  return out;
}

/** Intersection of two normalized lists. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i].from, b[j].from);
    const to = Math.min(a[i].to, b[j].to);
    if (to > from) out.push({ from, to });
    if (a[i].to < b[j].to) i++;
    else j++;
  }
  return out;
}

/** `a` without `b` (both normalized). */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    let from = x.from;
    for (const y of b) {
      if (y.to <= from || y.from >= x.to) continue;
      if (y.from > from) out.push({ from, to: y.from });
      from = Math.max(from, y.to);
      if (from >= x.to) break;
    }
    if (from < x.to) out.push({ from, to: x.to });
  }
  return out;
}

export function clip(list: readonly Interval[], from: Day, to: Day): Interval[] {
  return intersect(list, [{ from, to }]);
}

/** Splits intervals at the given day (e.g. a birthday where an attribute changes). */
export function splitAt(list: readonly Interval[], day: Day): [before: Interval[], after: Interval[]] {
  return [clip(list, -OPEN, day), clip(list, day, OPEN)];
}
