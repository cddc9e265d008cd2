import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { comparePreview } from './catalogue-preview';
import type { ComputedValue } from './indicator-value-calculator';

const payload = (key: string, value: number | null, suppressed = false, version = 1): KpiValuePayload => {
  const [indicatorId, code, period] = key.split(':');
  return {
    indicatorId,
    indicatorVersion: version,
    region: { code, level: code === '01056' ? 'county' : 'municipality', name: code },
    period,
    unit: '%',
    value,
    suppressed,
    ...(suppressed ? { reason: 'primary' as const } : {}),
    comparison: { state: null, germany: null },
    computedAt: '2025-01-01T00:00:00.000Z',
  };
};
const computed = (p: KpiValuePayload, hash: string): ComputedValue => ({
  key: `${p.indicatorId}:${p.region.code}:${p.period}`,
  payload: p,
  hash,
  exact: { value: p.value, counts: [], measures: [] },
});

describe('catalogue preview', () => {
  it('lists the values whose published form differs, with the largest changes and suppression changes', () => {
    const published = new Map([
      ['x:01056001:2023', { hash: 'a', payload: payload('x:01056001:2023', 1) }],
      ['x:01056002:2023', { hash: 'b', payload: payload('x:01056002:2023', 5) }],
      ['x:01056003:2023', { hash: 'c', payload: payload('x:01056003:2023', null, true) }],
      ['x:01056004:2023', { hash: 'd', payload: payload('x:01056004:2023', 4) }],
    ]);
    const preview = comparePreview(
      { added: ['y'], changed: ['x'], retired: ['z'] },
      [
        computed(payload('x:01056001:2023', 1), 'a'), // unchanged
        computed(payload('x:01056002:2023', 2, false, 2), 'b2'),
        computed(payload('x:01056003:2023', 7, false, 2), 'c2'),
        computed(payload('x:01056004:2023', null, true, 2), 'd2'),
        computed(payload('y:01056001:2023', 3), 'e'),
      ],
      (k) => published.get(k),
      4,
    );
    expect(preview).toMatchObject({ basedOn: 4, computedValues: 5, changedValues: 4, newValues: 1, retired: ['z'] });
    expect(preview.values.map((v) => v.key)).toEqual([
      'x:01056002:2023',
      'x:01056003:2023',
      'x:01056004:2023',
      'y:01056001:2023',
    ]);
    expect(preview.largestChanges).toEqual([
      expect.objectContaining({ key: 'x:01056002:2023', delta: -3, before: expect.objectContaining({ value: 5 }) }),
    ]);
    expect(preview.newlySuppressed.map((v) => v.key)).toEqual(['x:01056004:2023']);
    expect(preview.noLongerSuppressed.map((v) => v.key)).toEqual(['x:01056003:2023']);
  });
});
