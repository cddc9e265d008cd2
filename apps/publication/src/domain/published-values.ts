import { type HistoryEntry, stateOf, type ValueState } from './value-history';

/** A value whose state changed by applying entries: what readers saw before (if anything) and see now. */
export interface StateChange {
  readonly before: ValueState | undefined;
  readonly after: ValueState;
}

const sliceId = (indicatorId: string, period: string) => `${indicatorId}|${period}`;
const profileId = (regionCode: string, period: string) => `${regionCode}|${period}`;

/**
 * Every publication the service knows and the state derived from it, indexed the two ways the API
 * reads them (all regions of an indicator and period; all indicators of a region and period).
 * Order-independent and idempotent: entries may come in any order and any number of times (an entry's
 * id says whether it is known), and the states are always those of the whole history (`stateOf`).
 */
export class PublishedValues {
  private readonly histories = new Map<string, Map<string, HistoryEntry>>();
  private readonly states = new Map<string, ValueState>();
  private readonly slices = new Map<string, Map<string, ValueState>>();
  private readonly profiles = new Map<string, Map<string, ValueState>>();
  private entryCount = 0;

  /** Whether this publication is already known. */
  has(entry: HistoryEntry): boolean {
    return this.histories.get(entry.key)?.has(entry.id) ?? false;
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
  apply(entries: readonly HistoryEntry[]): StateChange[] {
    const touched = new Set<string>();
    for (const e of entries) {
      let history = this.histories.get(e.key);
      if (!history) this.histories.set(e.key, (history = new Map()));
      if (history.has(e.id)) continue;
      history.set(e.id, e);
      this.entryCount++;
      touched.add(e.key);
    }
    const changes: StateChange[] = [];
    for (const key of touched) {
      const after = stateOf([...this.histories.get(key)!.values()])!;
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

  /** Current values of one indicator and stored period, every region that has one. */
  slice(indicatorId: string, period: string): ValueState[] {
    return [...(this.slices.get(sliceId(indicatorId, period))?.values() ?? [])];
  }

  /** Current values of every indicator for one region and stored period. */
  profile(regionCode: string, period: string): ValueState[] {
    return [...(this.profiles.get(profileId(regionCode, period))?.values() ?? [])];
  }

  /** Every publication of the given values (for `asOf`). */
  historyOf(keys: Iterable<string>): HistoryEntry[] {
    const out: HistoryEntry[] = [];
    for (const key of keys) out.push(...(this.histories.get(key)?.values() ?? []));
    return out;
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
