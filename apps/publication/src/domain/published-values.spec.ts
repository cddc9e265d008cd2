import fc from 'fast-check';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { PublishedValues } from './published-values';
import { countyCalendar } from './calendar';
import { historyEntryOf, stateOf } from './value-history';

const ELMSHORN = '01056015';
const APPEN = '01056001';

const value = kpiPayload;
const berlin = countyCalendar('Europe/Berlin');

describe('PublishedValues', () => {
  const first = historyEntryOf(value({}));
  const correction = historyEntryOf(value({ value: 8.5, computedAt: '2026-03-01T10:00:00.000Z' }));
  const appen = historyEntryOf(value({ code: APPEN, value: null, suppressed: true, reason: 'primary' }));
  const other = historyEntryOf(value({ indicatorId: 'deaths_per_1000', value: 11 }));

  it('indexes current states by indicator and period and by region and period', () => {
    const model = new PublishedValues(berlin);
    model.apply([first, appen, other, correction]);
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
    expect(model.latestOf([first.key]).map((e) => e.id)).toEqual([correction.id]);
    expect(model.size).toEqual({ values: 3, entries: 3 });
  });

  it('reports each changed value once with what readers saw before, and nothing for known entries', () => {
    const model = new PublishedValues(berlin);
    const [created] = model.apply([first]);
    expect(created.before).toBeUndefined();
    expect(created.after.payload.value).toBe(8.41);
    expect(model.apply([first])).toEqual([]);
    const [changed, ...rest] = model.apply([correction, correction]);
    expect(rest).toEqual([]);
    expect(changed.before?.payload.value).toBe(8.41);
    expect(changed.after).toMatchObject({ revised: true, firstPublishedAt: first.publishedAt });
  });

  it('names the entries it does not know yet, each once', () => {
    const model = new PublishedValues(berlin);
    model.apply([first]);
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
    expected.apply(entries);
    const snapshot = (m: PublishedValues) =>
      m.statesOf(entries.map((e) => e.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...entries), { maxLength: 5 }), { maxLength: 8 }),
        fc.shuffledSubarray(entries, { minLength: entries.length }),
        (batches, all) => {
          const model = new PublishedValues(berlin);
          for (const batch of [...batches, all]) model.apply(batch);
          expect(snapshot(model)).toEqual(snapshot(expected));
          for (const s of snapshot(model)) expect(s).toEqual(stateOf(entries.filter((e) => e.key === s.key), berlin));
        },
      ),
    );
  });

  it('names an earlier publication as possibly known: only the log can tell', () => {
    const model = new PublishedValues(berlin);
    model.apply([correction]);
    expect(model.reached(first)).toBe(true);
    expect(model.has(first)).toBe(false);
    expect(model.unknown([first]).map((e) => e.id)).toEqual([first.id]);
    expect(model.reached(appen)).toBe(false);
  });

  it('holds one publication per value after a month of daily `current` republications', () => {
    const days = 30;
    const regions = [ELMSHORN, APPEN];
    const indicators = ['births_per_1000', 'deaths_per_1000'];
    const history = [];
    for (let day = 1; day <= days; day++)
      for (const indicatorId of indicators)
        for (const code of regions) {
          const computedAt = `2026-05-${String(day).padStart(2, '0')}T03:00:00.000Z`;
          history.push(historyEntryOf(value({ indicatorId, code, period: 'current', value: day, computedAt })));
          // a correction later the same day: revised against that day's first publication
          if (day % 7 === 0)
            history.push(
              historyEntryOf(value({ indicatorId, code, period: 'current', value: day + 0.5, computedAt: computedAt.replace('T03', 'T09') })),
            );
        }
    const model = new PublishedValues(berlin);
    for (let day = 0; day < history.length; day += 4) model.apply(history.slice(day, day + 4));
    expect(model.size).toEqual({ values: 4, entries: 4 });
    for (const s of model.statesOf(history.map((e) => e.key)))
      expect(s).toEqual(stateOf(history.filter((e) => e.key === s.key), berlin));
    expect(model.slice('births_per_1000', 'current').map((s) => [s.payload.value, s.revised])).toEqual([
      [30, false],
      [30, false],
    ]);
  });
});
