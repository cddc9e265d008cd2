import type { CountyDay } from './calendar';
import { type HistoryEntry, type Mark, type Standing, stateOf, type ValueState } from './value-history';
import { ValueTimeline } from './value-timeline';

/** A value whose state changed by applying entries: what readers saw before (if anything) and see now. */
export interface StateChange {
  readonly before: ValueState | undefined;
  readonly after: ValueState;
}

/** Publications as the publication log holds them: document `n` and the entries of its payloads. */
export interface LoggedEntries {
  readonly n: number;
  readonly entries: readonly HistoryEntry[];
}

/** A value whose state at some moment needs a payload memory no longer holds: read it from log document `standing.mark.n`. */
export interface PayloadToRead {
  readonly key: string;
  readonly standing: Standing;
}

const sliceId = (indicatorId: string, period: string) => `${indicatorId}|${period}`;
const profileId = (regionCode: string, period: string) => `${regionCode}|${period}`;

/**
 * Every publication the service knows (a `ValueTimeline` per value) and the current state derived from
 * them, indexed the two ways the API reads them (all regions of an indicator and period; all indicators
 * of a region and period). Order-independent and idempotent: entries may come in any order and any
 * number of times, and the states are always those of the whole history.
 */
export class PublishedValues {
  private readonly timelines = new Map<string, ValueTimeline>();
  private readonly states = new Map<string, ValueState>();
  private readonly slices = new Map<string, Map<string, ValueState>>();
  private readonly profiles = new Map<string, Map<string, ValueState>>();
  private entryCount = 0;
  /** One string per publication instant (a round publishes thousands of values at one). */
  private readonly instants = new Map<string, string>();
  private readonly intern = (at: string): string => {
    const known = this.instants.get(at);
    if (known !== undefined) return known;
    this.instants.set(at, at);
    return at;
  };

  /** `countyDay`: which county day an instant belongs to (the current value starts anew each day). */
  constructor(private readonly countyDay: CountyDay) {}

  /** Whether this publication is already known. */
  has(entry: HistoryEntry): boolean {
    return this.timelines.get(entry.key)?.has(entry) ?? false;
  }

  /** The entries not known yet (each once, even if `entries` repeats one). */
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
  apply(logged: readonly LoggedEntries[]): StateChange[] {
    const touched = new Set<string>();
    for (const { n, entries } of logged)
      for (const e of entries) {
        const timeline = this.timelines.get(e.key);
        if (!timeline) this.timelines.set(e.key, new ValueTimeline(e, n, this.intern));
        else if (!timeline.add(e, n)) continue;
        this.entryCount++;
        touched.add(e.key);
      }
    const changes: StateChange[] = [];
    for (const key of touched) {
      const timeline = this.timelines.get(key)!;
      const after = stateOf(key, timeline.standingAt(this.countyDay)!, timeline.latest.payload, timeline.latest.id);
      const before = this.states.get(key);
      this.states.set(key, after);
      this.index(this.slices, sliceId(after.indicatorId, after.period), after.regionCode, after);
      this.index(this.profiles, profileId(after.regionCode, after.period), after.indicatorId, after);
      changes.push({ before, after });
    }
    return changes;
  }

  /** The current state of each given value that has one. */
  statesOf(keys: Iterable<string>): ValueState[] {
    const out: ValueState[] = [];
    for (const key of keys) {
      const s = this.states.get(key);
      if (s) out.push(s);
    }
    return out;
  }

  /** Every value's key. */
  keys(): IterableIterator<string> {
    return this.timelines.keys();
  }

  /** Current values of one indicator and stored period, every region that has one. */
  slice(indicatorId: string, period: string): ValueState[] {
    return [...(this.slices.get(sliceId(indicatorId, period))?.values() ?? [])];
  }

  /** Current values of every indicator for one region and stored period. */
  profile(regionCode: string, period: string): ValueState[] {
    return [...(this.profiles.get(profileId(regionCode, period))?.values() ?? [])];
  }

  /**
   * The states of these values at `asOf` (RFC 3339 as `toISOString`): ready where the publication then
   * is the latest (its payload is in memory), otherwise the payload to read from the log.
   */
  statesAt(keys: Iterable<string>, asOf: string): { ready: ValueState[]; toRead: PayloadToRead[] } {
    const ready: ValueState[] = [];
    const toRead: PayloadToRead[] = [];
    for (const key of keys) {
      const timeline = this.timelines.get(key);
      const standing = timeline?.standingAt(this.countyDay, asOf);
      if (!timeline || !standing) continue;
      if (timeline.isLatest(standing)) ready.push(stateOf(key, standing, timeline.latest.payload, timeline.latest.id));
      else toRead.push({ key, standing });
    }
    return { ready, toRead };
  }

  /** The publication of a value before `at` (what a webhook threshold compares with). */
  before(key: string, at: string): Mark | undefined {
    return this.timelines.get(key)?.before(at);
  }

  get size(): { values: number; entries: number } {
    return { values: this.states.size, entries: this.entryCount };
  }

  private index(map: Map<string, Map<string, ValueState>>, id: string, field: string, state: ValueState): void {
    let m = map.get(id);
    if (!m) map.set(id, (m = new Map()));
    m.set(field, state);
  }
}

