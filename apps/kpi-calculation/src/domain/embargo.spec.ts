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
    expect(holds.stamp('2024', '2026-03-01T00:00:00.000Z')).toBe('2026-03-02T09:00:00.000Z');
    expect(holds.stamp('2024', '2026-03-03T00:00:00.000Z')).toBe('2026-03-03T00:00:00.000Z');
    expect(holds.stamp('2023', '2026-03-01T00:00:00.000Z')).toBe('2026-03-01T00:00:00.000Z');
  });
});
