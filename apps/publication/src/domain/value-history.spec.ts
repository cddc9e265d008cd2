import fc from 'fast-check';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { countyCalendar } from './calendar';
import { fingerprint, type HistoryEntry, historyEntryOf, stateOf as stateOfStanding, type ValueState, visiblyDifferent } from './value-history';
import { ValueTimeline } from './value-timeline';

const value = kpiPayload;
const berlin = countyCalendar('Europe/Berlin');

/** A value's state at `asOf` from its entries as the read model derives it: a timeline, the payload from the entries. */
function stateOf(entries: readonly HistoryEntry[], asOf?: string, countyDay = berlin): ValueState | undefined {
  const [head, ...rest] = entries;
  const timeline = new ValueTimeline(head, 1);
  rest.forEach((e, i) => timeline.add(e, i + 2));
  const standing = timeline.standingAt(countyDay, asOf === undefined ? undefined : new Date(asOf).toISOString());
  if (!standing) return undefined;
  const latest = entries.find((e) => e.publishedAt === standing.mark.at && fingerprint(e.contentHash) === standing.mark.content)!;
  return stateOfStanding(head.key, standing, latest.payload, latest.id);
}

describe('value history (a timeline of marks)', () => {
  const first = historyEntryOf(value({}));
  const comparisonOnly = historyEntryOf(
    value({ comparison: { county: 8.3, state: 7.9, germany: 8.2 }, computedAt: '2026-02-01T10:00:00.000Z' }),
  );
  const correction = historyEntryOf(value({ value: 8.5, computedAt: '2026-03-01T10:00:00.000Z' }));

  it('gives the same message the same entry id', () => {
    expect(historyEntryOf(value({})).id).toBe(first.id);
    expect(correction.id).not.toBe(first.id);
  });

  it('answers as of a moment and marks values that differ from their first publication as revised', () => {
    const all = [first, comparisonOnly, correction];
    expect(stateOf(all, '2026-01-01T00:00:00Z')).toBeUndefined();
    expect(stateOf(all, '2026-01-15T00:00:00Z')).toMatchObject({ payload: { value: 8.41 }, revised: false });
    expect(stateOf(all, '2026-02-15T00:00:00Z')).toMatchObject({
      payload: { value: 8.41, comparison: { county: 8.3 } },
      revised: false,
    });
    expect(stateOf(all)).toMatchObject({
      payload: { value: 8.5 },
      revised: true,
      firstPublishedAt: first.publishedAt,
      entries: 3,
    });
  });

  it('counts a value going back to its first figure as not revised', () => {
    const back = historyEntryOf(value({ computedAt: '2026-04-01T10:00:00.000Z' }));
    expect(stateOf([first, correction, back])?.revised).toBe(false);
  });

  it('does not depend on the order or repetition of entries (property)', () => {
    const entries = [first, comparisonOnly, correction];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...entries), { minLength: 1, maxLength: 12 }), (list) => {
        const a = stateOf(list);
        const b = stateOf([...list].reverse().concat(list));
        expect(b).toEqual(a);
      }),
    );
  });

  it('does not count a publication without a figure (no data yet) as the first one a later figure corrects', () => {
    const empty = historyEntryOf(
      value({ value: null, reason: 'denominator_zero', computedAt: '2026-01-01T10:00:00.000Z' }),
    );
    expect(stateOf([empty])?.revised).toBe(false);
    expect(stateOf([empty, first])).toMatchObject({ revised: false, firstPublishedAt: first.publishedAt });
    expect(stateOf([empty, first, correction])?.revised).toBe(true);
    const withdrawn = historyEntryOf(value({ value: null, reason: 'no_data', computedAt: '2026-05-01T10:00:00.000Z' }));
    expect(stateOf([empty, first, withdrawn])?.revised).toBe(true);
    const suppressed = historyEntryOf(
      value({ value: null, suppressed: true, reason: 'primary', computedAt: '2026-01-05T10:00:00.000Z' }),
    );
    expect(stateOf([empty, suppressed, first])?.revised).toBe(true);
  });

  it('treats each day of the current value as a new value, not a correction', () => {
    const monday = historyEntryOf(value({ period: 'current', value: 8, computedAt: '2026-11-23T01:00:00.000Z' }));
    const tuesday = historyEntryOf(value({ period: 'current', value: 9, computedAt: '2026-11-24T01:00:00.000Z' }));
    const tuesdayFix = historyEntryOf(value({ period: 'current', value: 9.5, computedAt: '2026-11-24T09:00:00.000Z' }));
    expect(stateOf([monday, tuesday])?.revised).toBe(false);
    expect(stateOf([monday, tuesday, tuesdayFix])?.revised).toBe(true);
  });

  it('starts the current value anew on each day in the county time zone', () => {
    // 23:30 UTC on 23 November is already 24 November in Berlin, still 23 November in UTC
    const late = historyEntryOf(value({ period: 'current', value: 8, computedAt: '2026-11-23T23:30:00.000Z' }));
    const next = historyEntryOf(value({ period: 'current', value: 9, computedAt: '2026-11-24T08:00:00.000Z' }));
    expect(stateOf([late, next], undefined, berlin)?.revised).toBe(true);
    expect(stateOf([late, next], undefined, countyCalendar('UTC'))?.revised).toBe(false);
  });

  it('keeps one mark per publication, the payload of the latest only, and knows what came before a moment', () => {
    const timeline = new ValueTimeline(correction, 7);
    expect(timeline.add(first, 3)).toBe(true);
    expect(timeline.add(first, 9)).toBe(false); // known: its first log document stays
    expect(timeline.add(comparisonOnly, 5)).toBe(true);
    expect(timeline.size).toBe(3);
    expect(timeline.latest).toBe(correction);
    expect(timeline.has(comparisonOnly)).toBe(true);
    expect(timeline.has(historyEntryOf(value({ value: 1 })))).toBe(false);
    expect(timeline.before(correction.publishedAt)).toMatchObject({ at: comparisonOnly.publishedAt, n: 5, figure: 8.41 });
    expect(timeline.before(first.publishedAt)).toBeUndefined();
    const standing = timeline.standingAt(berlin, '2026-01-20T00:00:00.000Z')!;
    expect(standing).toMatchObject({ mark: { at: first.publishedAt, n: 3 }, entries: 1 });
    expect(timeline.isLatest(standing)).toBe(false);
    expect(timeline.isLatest(timeline.standingAt(berlin)!)).toBe(true);
  });

  it('keeps hashes as 48-bit fingerprints and one string per publication instant', () => {
    expect(fingerprint('AAAAAAAA')).toBe(0);
    expect(fingerprint('AAAAAAAB')).toBe(1);
    expect(fingerprint('________')).toBe(2 ** 48 - 1);
    expect(fingerprint('-AAAAAAA')).toBe(62 * 64 ** 7);
    expect(fingerprint(first.contentHash)).not.toBe(fingerprint(correction.contentHash));
    const instants = new Map<string, string>();
    const intern = (at: string) => instants.get(at) ?? (instants.set(at, at), at);
    const other = historyEntryOf(value({ code: '01056001' }));
    const a = new ValueTimeline(first, 1, intern);
    const b = new ValueTimeline(other, 1, intern);
    expect(instants.size).toBe(1);
    expect(a.mark(0).at).toBe(b.mark(0).at);
  });

  it('tells visible changes from bookkeeping', () => {
    const a = stateOf([first])!;
    const sameContentLater = stateOf([first, historyEntryOf(value({ computedAt: '2026-05-01T00:00:00.000Z' }))])!;
    expect(visiblyDifferent(a, sameContentLater)).toBe(false);
    expect(visiblyDifferent(a, stateOf([first, correction])!)).toBe(true);
    expect(visiblyDifferent(undefined, a)).toBe(true);
  });
});
