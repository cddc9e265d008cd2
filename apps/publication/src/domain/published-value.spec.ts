import { publishedContentHash as contentHash } from '@sozialmonitor/contracts';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { InvalidKpiValueError, toPublishedForm } from './published-value';

const message = kpiPayload({ computedAt: '2026-11-25T10:00:00Z' });

describe('toPublishedForm', () => {
  it('keeps the contract fields only', () => {
    const p = toPublishedForm({
      ...message,
      numerator: 27,
      denominator: 3210,
      comparison: { ...message.comparison, secret: 1 },
    });
    expect(p).toEqual({ ...message, computedAt: '2026-11-25T10:00:00.000Z' });
    expect(JSON.stringify(p)).not.toMatch(/numerator|denominator|secret/);
  });

  it('never keeps a number for a suppressed value', () => {
    const p = toPublishedForm({ ...message, value: 2.5, suppressed: true, reason: 'secondary' });
    expect(p).toMatchObject({ value: null, suppressed: true, reason: 'secondary' });
    expect(toPublishedForm({ ...message, value: 7, suppressed: true }).reason).toBe('primary');
  });

  it('gives the county no county comparison', () => {
    const p = toPublishedForm({
      ...message,
      region: { code: '01056', level: 'county', name: 'Kreis Pinneberg' },
      comparison: { county: 1, state: 2, germany: null },
    });
    expect(p.comparison).toEqual({ state: 2, germany: null });
  });

  it.each([
    [{ indicatorId: 'Bad Id' }, 'indicatorId'],
    [{ region: { code: '01055001' } }, 'region.code'],
    [{ period: '2023-06-30' }, 'period'],
    [{ value: 'x' }, 'value'],
    [{ suppressed: 'no' }, 'suppressed'],
    [{ computedAt: 'yesterday' }, 'computedAt'],
    [{ comparison: { county: 'a' } }, 'comparison.county'],
    [{ reason: 'because' }, 'reason'],
  ])('refuses %j naming %s', (over, field) => {
    expect(() => toPublishedForm({ ...message, ...over })).toThrow(InvalidKpiValueError);
    try {
      toPublishedForm({ ...message, ...over });
    } catch (e) {
      expect((e as InvalidKpiValueError).field).toBe(field);
    }
  });

  it('accepts an on-demand date only where one is expected', () => {
    expect(toPublishedForm({ ...message, period: '2024-06-30' }, '2024-06-30').period).toBe('2024-06-30');
    expect(() => toPublishedForm({ ...message, period: '2024-05-31' }, '2024-06-30')).toThrow(/period/);
  });

  it('hashes content independently of computedAt and key order', () => {
    const a = toPublishedForm(message);
    const b = toPublishedForm({
      ...message,
      computedAt: '2027-01-01T00:00:00Z',
      comparison: { germany: 8.2, state: 7.9, county: 8.12 },
    });
    expect(contentHash(a)).toBe(contentHash({ ...b, computedAt: a.computedAt }));
    expect(contentHash(a)).not.toBe(contentHash(toPublishedForm({ ...message, value: 8.42 })));
  });
});
