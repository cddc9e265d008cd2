import fc from 'fast-check';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { PublishedValues } from './published-values';
import { historyEntryOf, stateOf } from './value-history';

const ELMSHORN = '01056015';
const APPEN = '01056001';

const value = kpiPayload;

describe('PublishedValues', () => {
  const first = historyEntryOf(value({}));
  const correction = historyEntryOf(value({ value: 8.5, computedAt: '2026-03-01T10:00:00.000Z' }));
  const appen = historyEntryOf(value({ code: APPEN, value: null, suppressed: true, reason: 'primary' }));
  const other = historyEntryOf(value({ indicatorId: 'deaths_per_1000', value: 11 }));

  it('indexes current states by indicator and period and by region and period', () => {
    const model = new PublishedValues();
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
    expect(
      model
        .historyOf([first.key])
        .map((e) => e.id)
        .sort(),
    ).toEqual([first.id, correction.id].sort());
    expect(model.size).toEqual({ values: 3, entries: 4 });
  });

  it('reports each changed value once with what readers saw before, and nothing for known entries', () => {
    const model = new PublishedValues();
    const [created] = model.apply([first]);
    expect(created.before).toBeUndefined();
    expect(created.after.payload.value).toBe(8.41);
    expect(model.apply([first])).toEqual([]);
    const [changed, ...rest] = model.apply([correction, correction]);
    expect(rest).toEqual([]);
    expect(changed.before?.payload.value).toBe(8.41);
    expect(changed.after).toMatchObject({ revised: true, entries: 2 });
  });

  it('names the entries it does not know yet, each once', () => {
    const model = new PublishedValues();
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
    const expected = new PublishedValues();
    expected.apply(entries);
    const snapshot = (m: PublishedValues) =>
      m.statesOf(entries.map((e) => e.key)).sort((a, b) => (a.key < b.key ? -1 : 1));
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom(...entries), { maxLength: 5 }), { maxLength: 8 }),
        fc.shuffledSubarray(entries, { minLength: entries.length }),
        (batches, all) => {
          const model = new PublishedValues();
          for (const batch of [...batches, all]) model.apply(batch);
          expect(snapshot(model)).toEqual(snapshot(expected));
          for (const s of snapshot(model)) expect(s).toEqual(stateOf(entries.filter((e) => e.key === s.key)));
        },
      ),
    );
  });
});
