import { defaultCatalogue } from '../catalogue/catalogue';
import { IndicatorEngine } from '../engine/indicator-engine';
import { handComputedWorld } from '../testing/hand-computed-world';
import {
  COUNTY,
  ELMSHORN,
  housingBenefit,
  PINNEBERG,
  population,
  referenceValue,
  WEDEL,
} from '../testing/lake-fixtures';
import { resolvePeriod } from '../time/period';
import { publishIndicatorValues } from './publish-values';

describe('publishing values with disclosure control and comparison values', () => {
  const catalogue = defaultCatalogue();
  const engine = new IndicatorEngine();
  engine.apply([
    ...handComputedWorld(),
    referenceValue({ indicatorId: 'population', regionCode: '01', year: 2023, value: 2_953_270 }),
    referenceValue({ indicatorId: 'births_per_1000', regionCode: '01', year: 2023, value: 7.895 }),
    referenceValue({ indicatorId: 'births_per_1000', regionCode: 'DG', year: 2023, value: 8.2 }),
  ]);
  const ctx = (period: string) => {
    const p = resolvePeriod(period, resolvePeriod('2025-06-30').stichtag);
    return {
      period: p.period,
      year: p.year,
      computedAt: '2025-06-30T10:00:00.000Z',
      reference: (id: string, code: string, year: number) => engine.references.get(id, code, year),
    };
  };
  const publish = (id: string, period = '2023', regions = [ELMSHORN, PINNEBERG, COUNTY]) => {
    const def = catalogue.byId(id)!;
    return publishIndicatorValues(
      def,
      engine.valuesFor(def, regions, resolvePeriod(period, resolvePeriod('2025-06-30').stichtag)),
      ctx(period),
    );
  };

  it('builds KPI payloads: county value on municipal values, state and Germany on year periods', () => {
    const [elmshorn, pinneberg, county] = publish('population');
    expect(elmshorn).toEqual({
      indicatorId: 'population',
      indicatorVersion: 1,
      region: { code: ELMSHORN, level: 'municipality', name: 'Elmshorn, Stadt' },
      period: '2023',
      unit: 'persons',
      value: 9,
      suppressed: false,
      comparison: { county: 12, state: 2953270, germany: null },
      computedAt: '2025-06-30T10:00:00.000Z',
    });
    expect(pinneberg.comparison.county).toBe(12);
    expect(county.region).toEqual({ code: COUNTY, level: 'county', name: 'Kreis Pinneberg' });
    expect(county.comparison).toEqual({ state: 2953270, germany: null }); // no county field on the county
  });

  it('rounds delivered comparison values like the indicator', () => {
    const [, , county] = publish('births_per_1000');
    expect(county.comparison).toEqual({ state: 7.9, germany: 8.2 });
  });

  it('has no state or Germany values for dates and current', () => {
    const [a] = publish('population', '2023-12-31');
    expect(a.period).toBe('2023-12-31');
    expect(a.comparison).toEqual({ county: 12, state: null, germany: null });
  });

  it('suppresses small counts and hides everything they could be recomputed from', () => {
    // population_change_pct: Pinneberg 3 vs 2 a year before → primary (2); Elmshorn (9 vs 10) is the
    // only other municipality with a positive first count → secondary; the county (12 vs 12) stays.
    const [elmshorn, pinneberg, county] = publish('population_change_pct');
    expect(pinneberg).toMatchObject({ value: null, suppressed: true, reason: 'primary' });
    expect(elmshorn).toMatchObject({ value: null, suppressed: true, reason: 'secondary' });
    expect(county).toMatchObject({ value: 0, suppressed: false });
    expect(elmshorn.comparison.county).toBe(0);
    for (const p of [elmshorn, pinneberg])
      expect(Object.keys(p).sort()).toEqual([
        'comparison',
        'computedAt',
        'indicatorId',
        'indicatorVersion',
        'period',
        'reason',
        'region',
        'suppressed',
        'unit',
        'value',
      ]);
  });

  it('suppresses the county value with small counts too; municipal values then carry null', () => {
    const [elmshorn, , county] = publish('in_migration_per_1000'); // 1 in-mover in the county
    expect(county).toMatchObject({ value: null, suppressed: true, reason: 'primary' });
    expect(elmshorn.comparison.county).toBeNull();
  });

  it('suppresses a sum over fewer households than the threshold: one household\'s size is not published', () => {
    // Elmshorn: WP = 7 persons in W = 2 households of P = 9 → 77.78 % would tell each household's size
    // to anyone who knows one of them (privacy.md §3); the county (W = 3) is published.
    const [elmshorn, pinneberg, county] = publish('housing_benefit_persons_pct');
    expect(elmshorn).toMatchObject({ value: null, suppressed: true, reason: 'primary' });
    expect(pinneberg).toMatchObject({ value: null, suppressed: true, reason: 'primary' });
    expect(county).toMatchObject({ value: 66.67, suppressed: false });
    // One household of five among 20 inhabitants: WP = 5 and P = 20 pass, W = 1 does not.
    const e = new IndicatorEngine();
    e.apply([
      ...Array.from({ length: 20 }, (_, i) => population({ personId: `w${i}`, ags: WEDEL, validFrom: '2020-01-01' })),
      housingBenefit({ householdId: 'h-wedel', ags: WEDEL, validFrom: '2020-01-01', householdSize: 5 }),
    ]);
    const def = catalogue.byId('housing_benefit_persons_pct')!;
    const period = resolvePeriod('2023', resolvePeriod('2025-06-30').stichtag);
    const [wedel] = e.valuesFor(def, [WEDEL], period);
    expect([wedel.counts, wedel.units, wedel.value]).toEqual([[5, 20], [1], 25]);
    const [published] = publishIndicatorValues(def, [wedel], { ...ctx('2023'), reference: () => null });
    expect(published).toMatchObject({ value: null, suppressed: true, reason: 'primary' });
    // a count measure has no units of its own: population's values carry none
    expect(e.valuesFor(catalogue.byId('population')!, [WEDEL], period)[0].units).toEqual([]);
  });

  it('marks a zero denominator', () => {
    const [appen] = publish('births_per_1000', '2023', ['01056001']);
    expect(appen).toMatchObject({ value: null, suppressed: false, reason: 'denominator_zero' });
  });

  it('picks the comparison value of the greatest recordId when two records name the same year', () => {
    const e = new IndicatorEngine();
    e.apply([
      referenceValue({ recordId: 'r-b', indicatorId: 'population', regionCode: 'DG', year: 2023, value: 2 }),
      referenceValue({ recordId: 'r-a', indicatorId: 'population', regionCode: 'DG', year: 2023, value: 1 }),
      population({ personId: 'p', ags: ELMSHORN, validFrom: '2020-01-01' }),
    ]);
    expect(e.references.get('population', 'DG', 2023)).toBe(2);
    e.apply([{ source: 'reference_values', recordId: 'r-b', deleted: true }]);
    expect(e.references.get('population', 'DG', 2023)).toBe(1);
    expect(e.references.get('population', '01', 2023)).toBeNull();
  });
});
