import type { Day } from '../time/day';

const LINEAR_SCAN = 12;

/**
 * The history of one counting cell in one region: +1/−1 deltas by day, so that the count at a
 * Stichtag is the prefix sum up to it (state families) and the events of a window are the difference
 * of two prefix sums (event families). Entries are `[day, delta, day, delta, …]` in one array, days
 * sorted and unique; a day whose deltas cancel is removed, so applying and retracting the same
 * contribution leaves no trace. Most cells hold a handful of days: they are summed linearly; longer
 * ones get a lazily built prefix array.
 */
export class DeltaSeries {
  private entries: number[];
  private prefix: Int32Array | null = null;

  constructor(day: Day, delta: number) {
    this.entries = [day, delta];
  }

  /** Number of distinct days. */
  get size(): number {
    return this.entries.length >> 1;
  }

  add(day: Day, delta: number): void {
    const e = this.entries;
    const n = e.length >> 1;
    this.prefix = null;
    if (n === 0 || e[2 * n - 2] < day) {
      e.push(day, delta);
      return;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (e[2 * mid] < day) lo = mid + 1;
      else hi = mid;
    }
    if (e[2 * lo] === day) {
      const sum = e[2 * lo + 1] + delta;
      if (sum === 0) e.splice(2 * lo, 2);
      else e[2 * lo + 1] = sum;
    } else e.splice(2 * lo, 0, day, delta);
  }

  /** Sum of all deltas on days <= d. */
  valueAt(d: Day): number {
    const e = this.entries;
    const n = e.length >> 1;
    if (n <= LINEAR_SCAN) {
      let s = 0;
      for (let i = 0; i < e.length && e[i] <= d; i += 2) s += e[i + 1];
      return s;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (e[2 * mid] <= d) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return 0;
    if (this.prefix === null) {
      const p = new Int32Array(n);
      let s = 0;
      for (let i = 0; i < n; i++) p[i] = s += e[2 * i + 1];
      this.prefix = p;
    }
    return this.prefix[lo - 1];
  }

  /** The stored (day, delta) pairs, for tests and diagnostics. */
  pairs(): Array<[Day, number]> {
    const out: Array<[Day, number]> = [];
    for (let i = 0; i < this.entries.length; i += 2) out.push([this.entries[i], this.entries[i + 1]]);
    return out;
  }
}
