import fc from 'fast-check';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { countyCalendar } from './calendar';
import { PublishedValues } from './published-values';
import { type HistoryEntry, historyEntryOf } from './value-history';

const ELMSHORN = '01056015';
const APPEN = '01056001';

const value = kpiPayload;
const berlin = countyCalendar('Europe/Berlin');
/** Entries as one publication log document (number `n`) holds them. */
const inDocument = (n: number, ...entries: HistoryEntry[]) => [{ n, entries }];

describe('PublishedValues', () => {
  const first = historyEntryOf(value({}));
  const correction = historyEntryOf(value({ value: 8.5, computedAt: '2026-03-01T10:00:00.000Z' }));
  const appen = historyEntryOf(value({ code: APPEN, value: null, suppressed: true, reason: 'primary' }));
  const other = historyEntryOf(value({ indicatorId: 'deaths_per_1000', value: 11 }));

  it('indexes current states by indicator and period and by region and period', () => {
    const model = new PublishedValues(berlin);
    model.apply(inDocument(1, first, appen, other, correction));
    expect(
      model
        .slice('births_per_1000', '2023')
        .map((s) => [s.regionCode, s.payload.value, s.revised])
        .sort(),
    ).toEqual([
      [APPEN, null, false],
      [ELMSHORN, 8.5, true],
    ]);
    expect(
      model
        .profile(ELMSHORN, '2023')
        .map((s) => [s.indicatorId, s.payload.value])
        .sort(),
    ).toEqual([
      ['births_per_1000', 8.5],
      ['deaths_per_1000', 11],
    ]);
    expect(model.slice('births_per_1000', '2022')).toEqual([]);
    expect(model.before(first.key, correction.publishedAt)).toMatchObject({ at: first.publishedAt, figure: 8.41, n: 1 });
    expect(model.size).toEqual({ values: 3, entries: 4 });
  });

  it('reports each changed value once with what readers saw before, and nothing for known entries', () => {
    const model = new PublishedValues(berlin);
    const [created] = model.apply(inDocument(1, first));
    expect(created.before).toBeUndefined();
    expect(created.after.payload.value).toBe(8.41);
    expect(model.apply(inDocument(1, first))).toEqual([]);
    const [changed, ...rest] = model.apply(inDocument(1, correction, correction));
    expect(rest).toEqual([]);
    expect(changed.before?.payload.value).toBe(8.41);
    expect(changed.after).toMatchObject({ revised: true, entries: 2 });
  });

  it('answers a past moment from memory where the publication then is the latest, else names the log document to read', () => {
    const model = new PublishedValues(berlin);
    model.apply(inDocument(4, first, appen));
    model.apply(inDocument(9, correction));
    const { ready, toRead } = model.statesAt([first.key, appen.key, 'no-such-value'], '2026-02-01T00:00:00.000Z');
    expect(ready.map((s) => s.key)).toEqual([appen.key]);
    expect(toRead).toEqual([{ key: first.key, standing: expect.objectContaining({ mark: expect.objectContaining({ n: 4 }), revised: false }) }]);
    expect(model.statesAt([first.key], '2026-01-01T00:00:00.000Z')).toEqual({ ready: [], toRead: [] }); // before its first
    expect(model.statesAt([first.key], '2026-03-02T00:00:00.000Z').ready[0]).toMatchObject({ revised: true, payload: { value: 8.5 } });
  });

  it('names the entries it does not know yet, each once', () => {
    const model = new PublishedValues(berlin);
    model.apply(inDocument(1, first));
    expect(model.unknown([first, correction, correction, appen]).map((e) => e.id)).toEqual([correction.id, appen.id]);
  });

  it('ends in the same states whatever the order, grouping and repetition of the entries', () => {
    const entries = [
      first,
      correction,
      appen,
      other,
      historyEntryOf(value({ value: 8.41, computedAt: '2026-04-01T10:00:00.000Z' })),
      historyEntryOf(value({ code: APPEN, value: 3, computedAt: '2026-05-01T10:00:00.000Z' })),
    ];
    const expected = new PublishedValues(berlin);
    expected.apply(inDocument(1, ...entries));
    const snapshot = (m: PublishedValues) =>
      m.statesOf(entries.map((e) => e.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...entries), { maxLength: 5 }), { maxLength: 8 }),
        fc.shuffledSubarray(entries, { minLength: entries.length }),
        (batches, all) => {
          const model = new PublishedValues(berlin);
          [...batches, all].forEach((batch, i) => model.apply(inDocument(i + 1, ...batch)));
          expect(snapshot(model)).toEqual(snapshot(expected));
          for (const asOf of ['2026-02-15T00:00:00.000Z', '2026-04-15T00:00:00.000Z']) {
            const at = (m: PublishedValues) => m.statesAt([...new Set(entries.map((e) => e.key))], asOf);
            expect(at(model).ready).toEqual(at(expected).ready);
            expect(at(model).toRead.map((r) => [r.key, r.standing.mark.at, r.standing.revised])).toEqual(
              at(expected).toRead.map((r) => [r.key, r.standing.mark.at, r.standing.revised]),
            );
          }
        },
      ),
    );
  });
});
