import type { CountyDay } from './calendar';
import { fingerprint, type HistoryEntry, type Mark, markOf, type Standing } from './value-history';

const STRIDE = 4;
/** Marks up to which the arrays are copied at their exact size (beyond, V8's growth costs little per mark). */
const EXACT_UP_TO = 32;

/**
 * Every publication of one value, as memory keeps it (publication's data minimisation, docs/security.md):
 * the latest with its payload; of each one its mark, in columns (arrays of numbers, no object per
 * publication: ~40 bytes where an entry with its payload took ~700). Order-independent and idempotent:
 * publications may come in any order and any number of times.
 */
export class ValueTimeline {
  // The marks in time order (ties by content): `at` strings (interned by the caller) and the numbers in
  // one array of doubles, STRIDE per mark: content, value, figure (NaN: none, so that the array stays
  // one of unboxed doubles), source (`n * 2 + (says ? 1 : 0)`). Small arrays are copied at their exact
  // size on every insert: V8 grows an array by half plus 16 elements, which for the usual value of one
  // to a few publications would cost more than the marks.
  private ats: string[] = [];
  private numbers: number[] = [];
  private newest: HistoryEntry;

  /** `intern`: one string for every equal `publishedAt` (a round publishes thousands of values at one instant). */
  constructor(
    first: HistoryEntry,
    n: number,
    private readonly intern: (at: string) => string = (at) => at,
  ) {
    this.newest = first;
    this.insert(0, markOf(first, n));
  }

  /** The latest publication, with its payload. */
  get latest(): HistoryEntry {
    return this.newest;
  }

  get size(): number {
    return this.ats.length;
  }

  private content(i: number): number {
    return this.numbers[i * STRIDE];
  }

  private says(i: number): boolean {
    return this.numbers[i * STRIDE + 3] % 2 === 1;
  }

  /** Whether this publication is known. */
  has(entry: HistoryEntry): boolean {
    const content = fingerprint(entry.contentHash);
    const i = this.indexOf(entry.publishedAt, content);
    return i < this.size && this.ats[i] === entry.publishedAt && this.content(i) === content;
  }

  /** Adds a publication held by log document `n`; false if it was known. */
  add(entry: HistoryEntry, n: number): boolean {
    const mark = markOf(entry, n);
    const i = this.indexOf(mark.at, mark.content);
    if (i < this.size && this.ats[i] === mark.at && this.content(i) === mark.content) return false;
    this.insert(i, mark);
    if (i === this.size - 1) this.newest = entry;
    return true;
  }

  /** The mark of the i-th publication in time order. */
  mark(i: number): Mark {
    // read in place: asOf asks a mark per value, a slice would allocate an array for each
    const o = i * STRIDE;
    const figure = this.numbers[o + 2];
    const source = this.numbers[o + 3];
    return {
      at: this.ats[i],
      content: this.numbers[o],
      value: this.numbers[o + 1],
      figure: Number.isNaN(figure) ? null : figure,
      says: source % 2 === 1,
      n: Math.floor(source / 2),
    };
  }

  /** Whether a standing's mark is the latest publication (its payload is `latest.payload`). */
  isLatest(standing: Standing): boolean {
    return standing.entries === this.size;
  }

  /** The publication before `at`, if any. */
  before(at: string): Mark | undefined {
    const i = this.indexOf(at, -1);
    return i > 0 ? this.mark(i - 1) : undefined;
  }

  /**
   * Where the value stood at `cut` (RFC 3339 as `toISOString`; default: after every publication). The
   * publications that count as "the same value" for `revised`: a year period is one value for ever; the
   * current value is refreshed every day, so a new day's value is a new value, not a correction — its
   * first publication is the first one of that day (county time).
   */
  standingAt(countyDay: CountyDay, cut?: string): Standing | undefined {
    let end = this.size;
    if (cut !== undefined) {
      let lo = 0;
      while (lo < end) {
        const mid = (lo + end) >> 1;
        if (this.ats[mid] <= cut) lo = mid + 1;
        else end = mid;
      }
    }
    if (end === 0) return undefined;
    let start = 0;
    if (this.newest.period === 'current') {
      const day = countyDay(this.ats[end - 1]);
      start = end - 1;
      while (start > 0 && countyDay(this.ats[start - 1]) === day) start--;
    }
    let first = start;
    while (first < end && !this.says(first)) first++;
    if (first === end) first = start;
    return {
      mark: this.mark(end - 1),
      firstPublishedAt: this.ats[first],
      revised: this.numbers[(end - 1) * STRIDE + 1] !== this.numbers[first * STRIDE + 1],
      entries: end,
    };
  }

  private insert(i: number, mark: Mark): void {
    const at = this.intern(mark.at);
    const numbers = [mark.content, mark.value, mark.figure ?? NaN, mark.n * 2 + (mark.says ? 1 : 0)];
    if (this.size < EXACT_UP_TO) {
      this.ats = this.ats.slice(0, i).concat([at], this.ats.slice(i));
      this.numbers = this.numbers.slice(0, i * STRIDE).concat(numbers, this.numbers.slice(i * STRIDE));
    } else {
      this.ats.splice(i, 0, at);
      this.numbers.splice(i * STRIDE, 0, ...numbers);
    }
  }

  /** The first index whose publication is not before (at, content). */
  private indexOf(at: string, content: number): number {
    const before = (i: number) => this.ats[i] < at || (this.ats[i] === at && this.content(i) < content);
    let lo = 0;
    let hi = this.size;
    if (hi > 0 && before(hi - 1)) return hi; // the usual case, a newer publication, is decided at once
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(mid)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
