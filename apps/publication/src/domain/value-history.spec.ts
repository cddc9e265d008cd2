import fc from 'fast-check';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { historyEntryOf, stateOf, visiblyDifferent } from './value-history';

const value = kpiPayload;

describe('value history', () => {
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

  it('tells visible changes from bookkeeping', () => {
    const a = stateOf([first])!;
    const sameContentLater = stateOf([first, historyEntryOf(value({ computedAt: '2026-05-01T00:00:00.000Z' }))])!;
    expect(visiblyDifferent(a, sameContentLater)).toBe(false);
    expect(visiblyDifferent(a, stateOf([first, correction])!)).toBe(true);
    expect(visiblyDifferent(undefined, a)).toBe(true);
  });
});
