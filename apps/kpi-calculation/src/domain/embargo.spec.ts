import { type Embargo, HoldSet, parseEmbargoRequest } from './embargo';

const RULES = { firstYear: 2015, thisYear: 2026, now: new Date('2026-01-10T00:00:00Z') };
const embargo = (over: Partial<Embargo>): Embargo => ({
  id: 'year-2025',
  period: '2025',
  releaseAt: '2026-03-02T09:00:00.000Z',
  reason: 'Sozialbericht',
  state: 'held',
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'admin',
  ...over,
});

describe('embargo requests', () => {
  it('accepts a year, a future time with offset and a reason (time kept in UTC)', () => {
    expect(parseEmbargoRequest({ year: '2025', releaseAt: '2026-03-02T10:00:00+01:00', reason: ' Bericht ' }, RULES)).toEqual({
      period: '2025',
      releaseAt: '2026-03-02T09:00:00.000Z',
      reason: 'Bericht',
    });
  });

  it('names every bad field', () => {
    const r = parseEmbargoRequest({ year: '2030', releaseAt: '2026-01-01T00:00:00Z', reason: ' ' }, RULES);
    expect('problems' in r && r.problems.map((p) => p.field)).toEqual(['year', 'releaseAt', 'reason']);
    const r2 = parseEmbargoRequest({ year: 2025, releaseAt: 'tomorrow', reason: 'x' }, RULES);
    expect('problems' in r2 && r2.problems).toEqual([
      { field: 'releaseAt', message: 'must be an RFC 3339 time with offset, e.g. 2026-03-01T10:00:00+01:00' },
    ]);
  });
});

describe('the hold set', () => {
  it('holds held years, says which are due and never dates a released value before its release', () => {
    const holds = new HoldSet();
    holds.replace([embargo({}), embargo({ id: 'year-2024', period: '2024', state: 'released' })]);
    expect(holds.holds('2025')).toBe(true);
    expect(holds.holds('2024')).toBe(false);
    expect(holds.due(new Date('2026-03-02T08:59:59Z'))).toEqual([]);
    expect(holds.due(new Date('2026-03-02T09:00:00Z')).map((e) => e.id)).toEqual(['year-2025']);
    const of = (period: string) => ({ indicatorId: 'population', period });
    expect(holds.holdsValue(of('2025'))).toBe(true);
    expect(holds.holdsValue(of('2025-06-30'))).toBe(true);
    expect(holds.holdsValue(of('2025'), 'year-2025')).toBe(false);
    expect(holds.stamp(of('2024'), '2026-03-01T00:00:00.000Z')).toBe('2026-03-02T09:00:00.000Z');
    expect(holds.stamp(of('2024'), '2026-03-03T00:00:00.000Z')).toBe('2026-03-03T00:00:00.000Z');
    expect(holds.stamp(of('2023'), '2026-03-01T00:00:00.000Z')).toBe('2026-03-01T00:00:00.000Z');
  });

  it('holds the indicators a held catalogue version brings, in every period, and only those', () => {
    const holds = new HoldSet();
    const version = embargo({ id: 'catalogue-2', period: '', catalogueVersion: 2, indicators: ['new_rate', 'population'] });
    holds.replace([version, embargo({ id: 'year-2024', period: '2024' })]);
    expect(holds.heldCatalogue()?.id).toBe('catalogue-2');
    expect(holds.holdsValue({ indicatorId: 'new_rate', period: '2019' })).toBe(true);
    expect(holds.holdsValue({ indicatorId: 'population', period: '2023-06-30' })).toBe(true);
    expect(holds.holdsValue({ indicatorId: 'births', period: '2023' })).toBe(false);
    expect(holds.holds('2019')).toBe(false);
    // releasing the version does not release a held year of its indicators
    expect(holds.holdsValue({ indicatorId: 'new_rate', period: '2019' }, 'catalogue-2')).toBe(false);
    expect(holds.holdsValue({ indicatorId: 'new_rate', period: '2024' }, 'catalogue-2')).toBe(true);
    holds.replace([{ ...version, state: 'released' }]);
    expect(holds.holdsValue({ indicatorId: 'new_rate', period: '2019' })).toBe(false);
    expect(holds.stamp({ indicatorId: 'new_rate', period: '2019' }, '2026-03-01T00:00:00.000Z')).toBe('2026-03-02T09:00:00.000Z');
    expect(holds.stamp({ indicatorId: 'births', period: '2019' }, '2026-03-01T00:00:00.000Z')).toBe('2026-03-01T00:00:00.000Z');
  });
});
