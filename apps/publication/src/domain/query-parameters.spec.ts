import { parseProfileQuery, parseStreamQuery, parseValuesQuery } from './query-parameters';
import { needsAnalystRole } from './period-selection';

const ctx = { today: '2026-11-25', firstYear: 2015 };
const errorsOf = (r: { ok: boolean; errors?: { parameter: string }[] }) =>
  r.ok ? [] : r.errors!.map((e) => e.parameter);

describe('parseValuesQuery', () => {
  it('defaults to every region and FIRST_YEAR … the last completed year', () => {
    const r = parseValuesQuery({}, ctx);
    if (!r.ok) throw new Error('expected ok');
    expect(r.value.regions).toHaveLength(50);
    expect(r.value.regions[49]).toBe('01056');
    expect(r.value.selection).toEqual({ kind: 'stored', periods: expect.any(Array) });
    const periods = (r.value.selection as { periods: readonly { stored: string }[] }).periods.map((p) => p.stored);
    expect(periods[0]).toBe('2015');
    expect(periods[periods.length - 1]).toBe('2025');
  });

  it('takes repeated and comma-separated regions, de-duplicated in canonical order', () => {
    const r = parseValuesQuery({ region: ['01056', '01056015,01056001', '01056015'] }, ctx);
    expect(r.ok && r.value.regions).toEqual(['01056001', '01056015', '01056']);
  });

  it('clamps a year range to the published years', () => {
    const r = parseValuesQuery({ from: '1995', to: '2026' }, ctx);
    const periods =
      r.ok && (r.value.selection as { periods: readonly { stored: string }[] }).periods.map((p) => p.stored);
    expect(periods && [periods[0], periods[periods.length - 1]]).toEqual(['2015', '2025']);
  });

  it.each([
    [{ from: '20x3' }, ['from']],
    [{ from: '2024', to: '2020' }, ['from']],
    [{ to: '2027' }, ['to']],
    [{ date: '2024-13-01' }, ['date']],
    [{ date: '2024-02-30' }, ['date']],
    [{ date: '2026-11-26' }, ['date']],
    [{ date: '2023-06-30', from: '2020' }, ['date']],
    [{ region: '99999999' }, ['region']],
    [{ region: '01' }, ['region']],
    [{ region: '' }, ['region']],
    [{ asOf: 'yesterday' }, ['asOf']],
    [{ asOf: '2026-01-01' }, ['asOf']],
    [{ date: '2024-06-15', asOf: '2026-01-01T00:00:00Z' }, ['asOf']],
    [{ from: ['2020', '2021'] }, ['from']],
    [{ regions: '01056' }, ['regions']],
    [{ from: 'x', to: 'y', foo: '1' }, ['foo', 'from', 'to']],
  ])('%j is a bad request naming %j', (query, parameters) => {
    expect(errorsOf(parseValuesQuery(query, ctx)).sort()).toEqual(parameters);
  });

  it('resolves dates: today is the current value, Y-12-31 the year, others on demand', () => {
    const sel = (q: Record<string, string>) => {
      const r = parseValuesQuery(q, ctx);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.value.selection;
    };
    expect(sel({ date: 'today' })).toEqual({ kind: 'stored', periods: [{ stored: 'current', label: '2026-11-25' }] });
    expect(sel({ date: '2023-12-31' })).toEqual({ kind: 'stored', periods: [{ stored: '2023', label: '2023-12-31' }] });
    expect(sel({ date: '2024-06-30' })).toEqual({ kind: 'on-demand', date: '2024-06-30' });
  });

  it('reads asOf as RFC 3339, also when the + of the offset arrived as a space', () => {
    const r = parseValuesQuery({ asOf: '2026-03-01T11:00:00 01:00' }, ctx);
    expect(r.ok && r.value.asOf).toBe('2026-03-01T10:00:00.000Z');
  });
});

describe('differencing protection', () => {
  const needs = (date: string) => {
    const r = parseValuesQuery({ date }, ctx);
    if (!r.ok) throw new Error('bad');
    return needsAnalystRole(r.value.selection);
  };
  it('lets anonymous readers have years, month ends and today only', () => {
    expect(needs('today')).toBe(false);
    expect(needs('2023-12-31')).toBe(false);
    expect(needs('2024-06-30')).toBe(false);
    expect(needs('2024-02-29')).toBe(false);
    expect(needs('2023-02-28')).toBe(false);
    expect(needs('2024-02-28')).toBe(true);
    expect(needs('2024-06-15')).toBe(true);
    expect(needs('2026-11-25')).toBe(true); // an explicit date is an on-demand Stichtag, even today's
    expect(needsAnalystRole({ kind: 'stored', periods: [{ stored: '2020', label: '2020' }] })).toBe(false);
  });

  it('lets anonymous readers have month ends from FIRST_YEAR only (each is an on-demand computation)', () => {
    const at = (date: string) => needsAnalystRole({ kind: 'on-demand', date }, 2015);
    expect(at('2015-01-31')).toBe(false);
    expect(at('2014-11-30')).toBe(true);
    expect(at('1990-01-31')).toBe(true);
  });
});

describe('parseProfileQuery', () => {
  it('defaults to the last completed year and refuses year with date', () => {
    const r = parseProfileQuery({}, ctx);
    expect(r.ok && r.value.selection).toEqual({ kind: 'stored', periods: [{ stored: '2025', label: '2025' }] });
    expect(errorsOf(parseProfileQuery({ year: '2023', date: '2023-06-30' }, ctx))).toEqual(['date']);
    expect(errorsOf(parseProfileQuery({ year: 'abc' }, ctx))).toEqual(['year']);
    expect(errorsOf(parseProfileQuery({ region: '01056' }, ctx))).toEqual(['region']);
  });
});

describe('parseStreamQuery', () => {
  it('checks indicator ids and region codes', () => {
    const known = (id: string) => id === 'births';
    const r = parseStreamQuery({ indicator: 'births', region: '01056015' }, known);
    expect(r.ok && [...r.value.indicators!]).toEqual(['births']);
    expect(r.ok && [...r.value.regions!]).toEqual(['01056015']);
    expect(errorsOf(parseStreamQuery({ indicator: 'nope' }, known))).toEqual(['indicator']);
    expect(errorsOf(parseStreamQuery({ region: 'x' }, known))).toEqual(['region']);
    expect(parseStreamQuery({}, known)).toEqual({ ok: true, value: {} });
  });
});

describe('date=today with asOf (issue 11, hole 9)', () => {
  // the county's date at an instant, as the clock of Europe/Berlin gives it
  const berlin = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' });
  const zoned = { ...ctx, dayOf: (instant: string) => berlin.format(new Date(instant)) };
  type Parse = (query: Record<string, string>, context: typeof zoned) => ReturnType<typeof parseProfileQuery>;
  const current = (query: Record<string, string>, parse: Parse = parseValuesQuery) => {
    const r = parse(query, zoned);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.value.selection;
  };

  it("labels the current value as published at asOf with asOf's date in the county, not with today's", () => {
    expect(current({ date: 'today', asOf: '2026-03-01T12:00:00Z' })).toEqual({
      kind: 'stored',
      periods: [{ stored: 'current', label: '2026-03-01' }],
    });
    // 23:30 UTC on 31 March is already 1 April in Pinneberg
    expect(current({ date: 'today', asOf: '2026-03-31T23:30:00Z' }, parseProfileQuery)).toEqual({
      kind: 'stored',
      periods: [{ stored: 'current', label: '2026-04-01' }],
    });
  });

  it('keeps today for an asOf of today or later, and leaves years alone', () => {
    expect(current({ date: 'today', asOf: '2030-01-01T00:00:00Z' })).toEqual({
      kind: 'stored',
      periods: [{ stored: 'current', label: '2026-11-25' }],
    });
    expect(current({ date: '2024-12-31', asOf: '2025-01-05T00:00:00Z' })).toEqual({
      kind: 'stored',
      periods: [{ stored: '2024', label: '2024-12-31' }],
    });
  });
});
