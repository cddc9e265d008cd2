import type { CountyDay } from './calendar';
import { byTime, hasFigure, type HistoryEntry, sameValueAs, type ValueState } from './value-history';

/** A value whose state changed by applying entries: what readers saw before (if anything) and see now. */
export interface StateChange {
  readonly before: ValueState | undefined;
  readonly after: ValueState;
}

/** A publication as far as `revised` needs it: when, which, and what value it said. */
interface Mark {
  readonly publishedAt: string;
  readonly id: string;
  readonly valueHash: string;
}

/**
 * All memory holds of one value: its latest publication and, of the publications of the latest's value
 * (all of a year period; the same county day for `current`), the earliest and the earliest with a figure
 * — exactly what `stateOf` derives `revised` and `firstPublishedAt` from.
 */
interface Held {
  readonly latest: HistoryEntry;
  readonly earliest: Mark;
  readonly earliestFigure: Mark | undefined;
  readonly state: ValueState;
}

const sliceId = (indicatorId: string, period: string) => `${indicatorId}|${period}`;
const profileId = (regionCode: string, period: string) => `${regionCode}|${period}`;
const markOf = (e: HistoryEntry): Mark => ({ publishedAt: e.publishedAt, id: e.id, valueHash: e.valueHash });
const earlier = (m: Mark | undefined, e: HistoryEntry): Mark | undefined => (m && byTime(m, e) <= 0 ? m : markOf(e));

function held(latest: HistoryEntry, earliest: Mark, earliestFigure: Mark | undefined): Held {
  const first = earliestFigure ?? earliest;
  return {
    latest,
    earliest,
    earliestFigure,
    state: {
      key: latest.key,
      indicatorId: latest.indicatorId,
      regionCode: latest.regionCode,
      period: latest.period,
      payload: latest.payload,
      publishedAt: latest.publishedAt,
      firstPublishedAt: first.publishedAt,
      revised: latest.valueHash !== first.valueHash,
      latestEntryId: latest.id,
    },
  };
}

const heldOf = (e: HistoryEntry) => held(e, markOf(e), hasFigure(e) ? markOf(e) : undefined);

/**
 * Adds one publication to what is held of its value. A fold whose result is the same whatever the order
 * and repetition of the publications (latest = the maximum; earliest = minima over the latest's day,
 * which only moves forward), so it equals `stateOf` over the whole history without keeping it.
 */
function fold(before: Held | undefined, e: HistoryEntry, countyDay: CountyDay): Held {
  if (!before) return heldOf(e);
  const newer = byTime(e, before.latest) > 0;
  const latest = newer ? e : before.latest;
  const sameValue = sameValueAs(latest, countyDay);
  if (!sameValue(before.latest)) return heldOf(e); // a new day of `current`: a new value, nothing earlier counts
  if (!sameValue(e)) return before; // an earlier day's `current`: no longer part of what readers see
  const earliest = earlier(before.earliest, e)!;
  const earliestFigure = hasFigure(e) ? earlier(before.earliestFigure, e) : before.earliestFigure;
  if (latest === before.latest && earliest === before.earliest && earliestFigure === before.earliestFigure) return before;
  return held(latest, earliest, earliestFigure);
}

/**
 * The current state of every published value, indexed the two ways the API reads them (all regions of
 * an indicator and period; all indicators of a region and period). Memory holds one publication per value
 * (the latest) and two marks for `revised`; the whole history is in the publication log and is read from
 * there for `asOf` (issue 11, hole 10: data minimisation). Order-independent and idempotent: entries may
 * come in any order and any number of times, and the states are always those of the whole history
 * (`stateOf`). `countyDay` is the county's calendar (the configured TIME_ZONE).
 */
export class PublishedValues {
  private readonly held = new Map<string, Held>();
  private readonly slices = new Map<string, Map<string, ValueState>>();
  private readonly profiles = new Map<string, Map<string, ValueState>>();

  constructor(private readonly countyDay: CountyDay) {}

  /** Whether this publication is the latest one of its value (so certainly known). */
  has(entry: HistoryEntry): boolean {
    return this.held.get(entry.key)?.latest.id === entry.id;
  }

  /** Whether the value has this publication or a later one (memory does not say whether an earlier one is known). */
  reached(entry: HistoryEntry): boolean {
    const h = this.held.get(entry.key);
    return h !== undefined && byTime(entry, h.latest) <= 0;
  }

  /**
   * The entries not certainly known (each once, even if `entries` repeats one): later than the latest
   * publication of their value, or earlier but other than it — for those only the log can tell.
   */
  unknown(entries: readonly HistoryEntry[]): HistoryEntry[] {
    const seen = new Set<string>();
    const out: HistoryEntry[] = [];
    for (const e of entries) {
      if (this.has(e) || seen.has(e.id)) continue;
      seen.add(e.id);
      out.push(e);
    }
    return out;
  }

  /** Adds entries and returns the values whose derived state changed (a known entry changes nothing). */
  apply(entries: readonly HistoryEntry[]): StateChange[] {
    const before = new Map<string, ValueState | undefined>();
    for (const e of entries) {
      const was = this.held.get(e.key);
      const now = fold(was, e, this.countyDay);
      if (now === was) continue;
      if (!before.has(e.key)) before.set(e.key, was?.state);
      this.held.set(e.key, now);
    }
    const changes: StateChange[] = [];
    for (const [key, was] of before) {
      const after = this.held.get(key)!.state;
      if (was && sameState(was, after)) continue;
      this.index(this.slices, sliceId(after.indicatorId, after.period), after.regionCode, after);
      this.index(this.profiles, profileId(after.regionCode, after.period), after.indicatorId, after);
      changes.push({ before: was, after });
    }
    return changes;
  }

  /** The current state of each given value that has one. */
  statesOf(keys: Iterable<string>): ValueState[] {
    const out: ValueState[] = [];
    for (const key of keys) {
      const h = this.held.get(key);
      if (h) out.push(h.state);
    }
    return out;
  }

  /** The latest publication of each given value that has one. */
  latestOf(keys: Iterable<string>): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (const key of keys) {
      const h = this.held.get(key);
      if (h) out.push(h.latest);
    }
    return out;
  }

  /** Current values of one indicator and stored period, every region that has one. */
  slice(indicatorId: string, period: string): ValueState[] {
    return [...(this.slices.get(sliceId(indicatorId, period))?.values() ?? [])];
  }

  /** Current values of every indicator for one region and stored period. */
  profile(regionCode: string, period: string): ValueState[] {
    return [...(this.profiles.get(profileId(regionCode, period))?.values() ?? [])];
  }

  /** Values held, and publications held in memory (one per value: the latest). */
  get size(): { values: number; entries: number } {
    return { values: this.held.size, entries: this.held.size };
  }

  private index(map: Map<string, Map<string, ValueState>>, id: string, field: string, state: ValueState): void {
    let m = map.get(id);
    if (!m) map.set(id, (m = new Map()));
    m.set(field, state);
  }
}

const sameState = (a: ValueState, b: ValueState) =>
  a.latestEntryId === b.latestEntryId && a.firstPublishedAt === b.firstPublishedAt && a.revised === b.revised;
