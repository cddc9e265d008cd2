import { computedRegions, isMunicipalityAgs, MUNICIPALITIES, regionByCode } from './index';

describe('regions of Kreis Pinneberg', () => {
  it('has the 49 municipalities with 8-digit AGS under 01056', () => {
    expect(MUNICIPALITIES).toHaveLength(49);
    for (const m of MUNICIPALITIES) expect(m.ags).toMatch(/^01056\d{3}$/);
    expect(new Set(MUNICIPALITIES.map((m) => m.ags)).size).toBe(49);
  });

  it('names towns the official way', () => {
    expect(regionByCode('01056015')?.name).toBe('Elmshorn, Stadt');
  });

  it('lists municipalities sorted by AGS, then the county', () => {
    const regions = computedRegions();
    expect(regions).toHaveLength(50);
    expect(regions[49].code).toBe('01056');
    expect(regions.slice(0, 49).map((r) => r.code)).toEqual([...regions.slice(0, 49).map((r) => r.code)].sort());
  });

  it('rejects keys outside the county', () => {
    expect(isMunicipalityAgs('01055001')).toBe(false);
    expect(isMunicipalityAgs('01056')).toBe(false);
  });

  it('sums the inhabitant estimates to the county total of 31.12.2023 (rounded estimates: ±10)', () => {
    const total = MUNICIPALITIES.reduce((s, m) => s + m.inhabitantsEstimate, 0);
    expect(Math.abs(total - 323762)).toBeLessThanOrEqual(10);
  });
});
