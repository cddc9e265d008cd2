import { type Day, OPEN_END, yearsEarlier } from '../time/day';

/** Days whose counts changed in one region: `[from, to)`, `to` = OPEN_END when open-ended. */
export interface DayRange {
  from: Day;
  to: Day;
}

/**
 * What an update changed: per region code the hull of the days whose state or event counts differ,
 * and the families touched. Callers recompute only the periods `affects` names.
 */
export class ChangeSet {
  readonly regions = new Map<string, DayRange>();
  readonly families = new Set<string>();

  get isEmpty(): boolean {
    return this.regions.size === 0;
  }

  addRange(regionCode: string, from: Day, to: Day): void {
    const r = this.regions.get(regionCode);
    if (!r) this.regions.set(regionCode, { from, to });
    else {
      if (from < r.from) r.from = from;
      if (to > r.to) r.to = to;
    }
  }

  merge(other: ChangeSet): this {
    for (const [code, r] of other.regions) this.addRange(code, r.from, r.to);
    for (const f of other.families) this.families.add(f);
    return this;
  }

  /**
   * Whether a value at `stichtag` in `regionCode` may have changed, for formulas looking back up to
   * `maxYearsBack` years (`at d-1y`). Conservative: an event window reaches one year back from d.
   */
  affects(regionCode: string, stichtag: Day, maxYearsBack = 1): boolean {
    const r = this.regions.get(regionCode);
    if (!r) return false;
    for (let y = 0; y <= maxYearsBack; y++) {
      const d = y === 0 ? stichtag : yearsEarlier(stichtag, y);
      if (d >= r.from && (r.to === OPEN_END || d <= r.to + 366)) return true;
    }
    return false;
  }

  /** Whether anything before or at `stichtag` changed in any region (used for "recompute this period?"). */
  affectsAnyRegion(stichtag: Day, maxYearsBack = 1): boolean {
    for (const code of this.regions.keys()) if (this.affects(code, stichtag, maxYearsBack)) return true;
    return false;
  }
}
