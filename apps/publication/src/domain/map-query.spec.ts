import { parseMapQuery } from './map-query';

const ctx = { today: '2026-12-06', firstYear: 2015 };

describe('map query', () => {
  it('defaults to quantile classes, k = 5, the last completed year', () => {
    expect(parseMapQuery({}, ctx)).toEqual({
      ok: true,
      value: { method: 'quantile', k: 5, selection: { kind: 'stored', periods: [{ stored: '2025', label: '2025' }] } },
    });
  });

  it('takes year, date, asOf like a profile and classes, k of its own', () => {
    const parsed = parseMapQuery({ year: '2020', classes: 'jenks', k: '7', asOf: '2026-01-01T00:00:00Z' }, ctx);
    expect(parsed).toMatchObject({ ok: true, value: { method: 'jenks', k: 7, asOf: '2026-01-01T00:00:00.000Z' } });
    expect(parseMapQuery({ date: '2024-06-30' }, ctx)).toMatchObject({
      ok: true,
      value: { selection: { kind: 'on-demand', date: '2024-06-30' } },
    });
  });

  it('names every bad parameter', () => {
    const parsed = parseMapQuery({ classes: 'natural', k: '9', year: 'x', regions: 'a' }, ctx);
    expect(parsed.ok).toBe(false);
    const names = !parsed.ok ? parsed.errors.map((e) => e.parameter).sort() : [];
    expect(names).toEqual(['classes', 'k', 'regions', 'year']);
    const unknown = !parsed.ok ? parsed.errors.find((e) => e.parameter === 'regions')!.message : '';
    expect(unknown).toContain('classes, k');
  });
});
