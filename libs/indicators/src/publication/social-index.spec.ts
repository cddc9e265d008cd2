import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { computedRegions } from '@sozialmonitor/regions';
import { defaultCatalogue } from '../catalogue/catalogue';
import { classOf, distributionOf, publishIndexValues } from './social-index';

const REGIONS = computedRegions();
const [A, B, C] = REGIONS.filter((r) => r.level === 'municipality').map((r) => r.code);
const index = defaultCatalogue().byId('social_status_index')!;

/** Published values of one input: the given municipalities, every other region null (denominator 0). */
function input(id: string, values: Record<string, number | 'suppressed'>, county: number): KpiValuePayload[] {
  return REGIONS.map((r) => {
    const v = r.code === '01056' ? county : values[r.code];
    return {
      indicatorId: id,
      indicatorVersion: 1,
      region: { code: r.code, level: r.level, name: r.name },
      period: '2023',
      unit: '%',
      value: v === undefined || v === 'suppressed' ? null : v,
      suppressed: v === 'suppressed',
      ...(v === undefined ? { reason: 'denominator_zero' as const } : v === 'suppressed' ? { reason: 'primary' as const } : {}),
      comparison: r.level === 'municipality' ? { county, state: null, germany: null } : { state: null, germany: null },
      computedAt: '2025-01-01T00:00:00.000Z',
    };
  });
}

const ctx = { period: '2023', year: 2023, computedAt: '2025-01-01T00:00:00.000Z', reference: () => null };
const byRegion = (payloads: KpiValuePayload[], code: string) => payloads.find((p) => p.region.code === code)!;

describe('social status index', () => {
  it('is the mean of the negated z-scores of its inputs across the publishing municipalities, with classes', () => {
    // every input: A 10, B 20, C 30 → mean 20, sd √(200/3); z(A) = −1.2247, negated +1.2247
    const same = { [A]: 10, [B]: 20, [C]: 30 };
    const inputs = index.index!.inputs.map((i) => input(i.indicator, same, 20));
    const out = publishIndexValues(index, inputs, ctx);
    expect(byRegion(out, A)).toMatchObject({ value: 1.22, class: 'high', suppressed: false, unit: 'index', indicatorVersion: 1 });
    expect(byRegion(out, B)).toMatchObject({ value: 0, class: 'medium' });
    expect(byRegion(out, C)).toMatchObject({ value: -1.22, class: 'low' });
    expect(byRegion(out, '01056')).toMatchObject({ value: 0, class: 'medium' });
    expect(byRegion(out, A).comparison.county).toBe(0);
    // a municipality without inhabitants: no number, no class
    const empty = REGIONS.find((r) => r.level === 'municipality' && ![A, B, C].includes(r.code))!.code;
    expect(byRegion(out, empty)).toMatchObject({ value: null, suppressed: false, reason: 'denominator_zero' });
    expect(byRegion(out, empty).class).toBeUndefined();
  });

  it('suppresses a region with a suppressed input and leaves that input out of the distribution', () => {
    const ids = index.index!.inputs.map((i) => i.indicator);
    const inputs = ids.map((id, k) =>
      input(id, k === 0 ? { [A]: 'suppressed', [B]: 20, [C]: 30 } : { [A]: 10, [B]: 20, [C]: 30 }, 20),
    );
    expect(distributionOf(ids[0], inputs[0])).toEqual({ indicator: ids[0], n: 2, mean: 25, sd: 5 });
    const out = publishIndexValues(index, inputs, ctx);
    expect(byRegion(out, A)).toMatchObject({ value: null, suppressed: true, reason: 'secondary' });
    // B: input 1 z = (20 − 25)/5 = −1 → +1; the others 0 → mean 0.25
    expect(byRegion(out, B)).toMatchObject({ value: 0.25, class: 'medium' });
    // the value B publishes does not depend on A's hidden value: the same with another hidden value
    expect(JSON.stringify(publishIndexValues(index, inputs, ctx))).toBe(JSON.stringify(out));
  });

  it('is null where an input does not vary or fewer than two municipalities publish it', () => {
    const inputs = index.index!.inputs.map((i) => input(i.indicator, { [A]: 10, [B]: 10 }, 10));
    expect(byRegion(publishIndexValues(index, inputs, ctx), A)).toMatchObject({ value: null, reason: 'denominator_zero' });
  });

  it('takes the class of the last cut-off reached', () => {
    const classes = index.index!.classes;
    expect([-3, -1.5, -1.49, -0.5, 0.99, 1, 7].map((v) => classOf(classes, v))).toEqual([
      'very_low',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
  });
});
