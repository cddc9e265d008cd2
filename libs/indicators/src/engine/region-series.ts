import type { Day } from '../time/day';

/** Non-zero counts of the cells of one (family, region) at a Stichtag or over a window. */
export interface CellCounts {
  readonly cells: Int32Array;
  readonly counts: Int32Array;
}

const DAY_OFFSET = 30000; // shifts 1900-01-01 (day −25567) … 2100-12-31 (47481) into 0 … 2^17
const DAY_RADIX = 131072; // 2^17
const MAX_CACHED_SNAPSHOTS = 48;
const LINEAR_SCAN = 8;

/**
 * The counting history of one family in one region: per cell, +1/−1 deltas by day, so that the
 * count at a Stichtag is a prefix sum (state families) and the events of a window a difference of
 * two prefix sums (event families).
 *
 * Layout (compressed sparse rows): `cells` lists the cell ids in ascending order; cell k owns the
 * entries `offsets[k] … offsets[k+1]−1` of `days` (ascending, unique) and `prefix` (the running sum
 * of the cell's deltas up to and including that day). New deltas go to an append-only log and are
 * merged into the rows lazily (on a read, once the log is long enough), so bulk loading is an
 * append and reads scan contiguous typed arrays. A (cell, day) whose deltas cancel disappears, so
 * adding and retracting the same contribution leaves the rows as they were.
 */
export class RegionSeries {
  private cells: Int32Array = new Int32Array(0);
  private offsets: Int32Array = new Int32Array(1);
  private days: Int32Array = new Int32Array(0);
  private prefix: Int32Array = new Int32Array(0);
  private logCell: Int32Array = new Int32Array(16);
  private logDay: Int32Array = new Int32Array(16);
  private logDelta: Int32Array = new Int32Array(16);
  private logLength = 0;
  private snapshots: Map<string, CellCounts> | null = null;

  add(cell: number, day: Day, delta: number): void {
    if (this.logLength === this.logCell.length) this.growLog();
    const i = this.logLength++;
    this.logCell[i] = cell;
    this.logDay[i] = day;
    this.logDelta[i] = delta;
    this.snapshots = null;
  }

  /** Number of stored (cell, day) entries after merging the log. */
  get entryCount(): number {
    this.compact();
    return this.days.length;
  }

  /** The (day, delta) pairs of one cell, for tests and diagnostics. */
  pairs(cell: number): Array<[Day, number]> {
    this.compact();
    const k = this.indexOfCell(cell);
    if (k < 0) return [];
    const out: Array<[Day, number]> = [];
    for (let i = this.offsets[k]; i < this.offsets[k + 1]; i++) {
      out.push([this.days[i], this.prefix[i] - (i > this.offsets[k] ? this.prefix[i - 1] : 0)]);
    }
    return out;
  }

  /** Counts at day `d` (state) or, with `from`, the events in `[from, d]`. */
  counts(d: Day, from?: Day): CellCounts {
    const key = from === undefined ? `${d}` : `${from}:${d}`;
    const cached = this.snapshots?.get(key);
    if (cached) return cached;
    if (this.logLength > Math.max(256, Math.min(4096, this.days.length >> 3))) this.compact();
    const before = from === undefined ? null : from - 1;
    const outCells: number[] = [];
    const outCounts: number[] = [];
    // Pending log entries adjust the rows' values.
    let pending: Map<number, number> | null = null;
    if (this.logLength > 0) {
      pending = new Map();
      for (let i = 0; i < this.logLength; i++) {
        const day = this.logDay[i];
        if (day <= d && (before === null || day > before)) {
          const c = this.logCell[i];
          pending.set(c, (pending.get(c) ?? 0) + this.logDelta[i]);
        }
      }
    }
    const cells = this.cells;
    for (let k = 0; k < cells.length; k++) {
      let v = this.valueAt(k, d);
      if (before !== null && v !== 0) v -= this.valueAt(k, before);
      if (pending !== null && pending.size > 0) {
        const p = pending.get(cells[k]);
        if (p !== undefined) {
          v += p;
          pending.delete(cells[k]);
        }
      }
      if (v !== 0) {
        outCells.push(cells[k]);
        outCounts.push(v);
      }
    }
    if (pending !== null) {
      for (const [c, v] of pending) {
        if (v !== 0) {
          outCells.push(c);
          outCounts.push(v);
        }
      }
    }
    const snapshot = { cells: Int32Array.from(outCells), counts: Int32Array.from(outCounts) };
    if (this.snapshots === null || this.snapshots.size >= MAX_CACHED_SNAPSHOTS) this.snapshots = new Map();
    this.snapshots.set(key, snapshot);
    return snapshot;
  }

  /** Prefix sum of row k at day d. */
  private valueAt(k: number, d: Day): number {
    const lo0 = this.offsets[k];
    const hi0 = this.offsets[k + 1];
    const days = this.days;
    if (days[lo0] > d) return 0;
    if (hi0 - lo0 <= LINEAR_SCAN) {
      let i = lo0;
      while (i + 1 < hi0 && days[i + 1] <= d) i++;
      return this.prefix[i];
    }
    let lo = lo0;
    let hi = hi0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid] <= d) lo = mid + 1;
      else hi = mid;
    }
    return this.prefix[lo - 1];
  }

  private indexOfCell(cell: number): number {
    let lo = 0;
    let hi = this.cells.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cells[mid] < cell) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.cells.length && this.cells[lo] === cell ? lo : -1;
  }

  private growLog(): void {
    const size = this.logCell.length * 2;
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.logCell = grow(this.logCell);
    this.logDay = grow(this.logDay);
    this.logDelta = grow(this.logDelta);
  }

  /** Merges the log into the rows. */
  compact(): void {
    const n = this.logLength;
    if (n === 0) return;
    // Sort the log by (cell, day): pack cell, day and a small delta into one double and sort numbers.
    const order = sortedLog(this.logCell, this.logDay, this.logDelta, n);

    const oldCells = this.cells;
    const oldOffsets = this.offsets;
    const oldDays = this.days;
    const oldPrefix = this.prefix;
    const capacity = oldDays.length + n;
    const cells = new Int32Array(oldCells.length + n);
    const offsets = new Int32Array(oldCells.length + n + 1);
    const days = new Int32Array(capacity);
    const prefix = new Int32Array(capacity);
    let cellCount = 0;
    let size = 0;

    let k = 0; // row of the old layout
    let j = 0; // position in the sorted log
    while (k < oldCells.length || j < n) {
      const logCellNow = j < n ? order.cell[j] : Infinity;
      const cell = k < oldCells.length ? Math.min(oldCells[k], logCellNow) : logCellNow;
      const rowStart = size;
      let running = 0;
      // merge the old row (if this cell has one) with the log entries of this cell, by day
      let i = k < oldCells.length && oldCells[k] === cell ? oldOffsets[k] : 0;
      const iEnd = k < oldCells.length && oldCells[k] === cell ? oldOffsets[k + 1] : 0;
      const rowFirst = i;
      while (i < iEnd || (j < n && order.cell[j] === cell)) {
        const oldDay = i < iEnd ? oldDays[i] : Infinity;
        const logDay = j < n && order.cell[j] === cell ? order.day[j] : Infinity;
        const day = Math.min(oldDay, logDay);
        let delta = 0;
        if (oldDay === day) {
          delta += oldPrefix[i] - (i > rowFirst ? oldPrefix[i - 1] : 0);
          i++;
        }
        while (j < n && order.cell[j] === cell && order.day[j] === day) delta += order.delta[j++];
        if (delta !== 0) {
          running += delta;
          days[size] = day;
          prefix[size] = running;
          size++;
        }
      }
      if (k < oldCells.length && oldCells[k] === cell) k++;
      if (size > rowStart) {
        cells[cellCount] = cell;
        offsets[cellCount + 1] = size;
        cellCount++;
      }
    }
    this.cells = cells.slice(0, cellCount);
    this.offsets = offsets.slice(0, cellCount + 1);
    this.days = days.slice(0, size);
    this.prefix = prefix.slice(0, size);
    this.logLength = 0;
    if (this.logCell.length > 1024) {
      this.logCell = new Int32Array(16);
      this.logDay = new Int32Array(16);
      this.logDelta = new Int32Array(16);
    }
  }
}

/** The first n log entries sorted by (cell, day). */
function sortedLog(
  cellLog: Int32Array,
  dayLog: Int32Array,
  deltaLog: Int32Array,
  n: number,
): { cell: Int32Array; day: Int32Array; delta: Int32Array } {
  const cell = new Int32Array(n);
  const day = new Int32Array(n);
  const delta = new Int32Array(n);
  let small = true;
  for (let i = 0; i < n; i++) if (deltaLog[i] < -7 || deltaLog[i] > 7) small = false;
  if (small) {
    // key = ((cell · 2^17 + day') · 16 + delta + 8): cells below 2^32 keep it a safe integer.
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (cellLog[i] * DAY_RADIX + dayLog[i] + DAY_OFFSET) * 16 + deltaLog[i] + 8;
    keys.sort();
    for (let i = 0; i < n; i++) {
      const key = keys[i];
      const low = key % 16;
      const rest = (key - low) / 16;
      const d = rest % DAY_RADIX;
      cell[i] = (rest - d) / DAY_RADIX;
      day[i] = d - DAY_OFFSET;
      delta[i] = low - 8;
    }
    return { cell, day, delta };
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => cellLog[a] - cellLog[b] || dayLog[a] - dayLog[b]);
  idx.forEach((from, to) => {
    cell[to] = cellLog[from];
    day[to] = dayLog[from];
    delta[to] = deltaLog[from];
  });
  return { cell, day, delta };
}
