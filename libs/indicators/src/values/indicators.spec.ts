import { defaultCatalogue } from '../catalogue/catalogue';
import { IndicatorEngine } from '../engine/indicator-engine';
import { EXPECTED_2023, handComputedWorld } from '../testing/hand-computed-world';
import { COUNTY, ELMSHORN, PINNEBERG, population, sgb2, WEDEL } from '../testing/lake-fixtures';
import { resolvePeriod } from '../time/period';

// Every indicator of the catalogue pinned against the hand-computed world (derivations in
// testing/hand-computed-world.ts).
describe('every indicator against hand-computed values (2023)', () => {
  const catalogue = defaultCatalogue();
  const engine = new IndicatorEngine();
  const result = engine.apply(handComputedWorld());
  const period = resolvePeriod('2023');

  it('accepts every fixture record', () => {
    expect(result.rejected).toEqual([]);
  });

  it('has an expectation for every active formula indicator (the index is computed from published values)', () => {
    const formulas = catalogue.active().filter((d) => d.kind === 'formula');
    expect(Object.keys(EXPECTED_2023).sort()).toEqual(formulas.map((d) => d.id).sort());
  });

  it.each(Object.entries(EXPECTED_2023))('%s', (id, [elmshorn, county]) => {
    const def = catalogue.byId(id)!;
    const [a, c] = engine.valuesFor(def, [ELMSHORN, COUNTY], period);
    expect(a.value).toBe(elmshorn);
    expect(c.value).toBe(county);
  });

  it('counts the receiving municipality of an internal move, and the year before', () => {
    const v = (id: string) => engine.valuesFor(catalogue.byId(id)!, [PINNEBERG], period)[0];
    expect(v('population').value).toBe(3);
    expect(v('population_change_pct').value).toBe(50); // (3 − 2) / 2
    expect(v('in_migration_per_1000').value).toBe(333.33); // a9 / 3 · 1000
    expect(v('out_migration_per_1000').value).toBe(0);
    expect(v('housing_benefit_persons_pct').value).toBe(33.33); // 1/3
  });

  it('keeps the counts each value is computed from, in formula order', () => {
    const [v] = engine.valuesFor(catalogue.byId('dependency_ratio')!, [ELMSHORN], period);
    expect(v.measures).toEqual(['P(<20)', 'P(>=65)', 'P(20-64)']);
    expect(v.counts).toEqual([5, 2, 2]);
    expect(v.exactValue).toBe(350);
    const [m] = engine.valuesFor(catalogue.byId('mean_age')!, [COUNTY], period);
    expect(m.counts).toEqual([12]);
    expect(m.exact).toEqual({ n: 379n, d: 12n });
  });

  it('evaluates population_change_pct with P() one year back', () => {
    const [v] = engine.valuesFor(catalogue.byId('population_change_pct')!, [ELMSHORN], period);
    expect(v.measures).toEqual(['P()', 'P() at d-1y']);
    expect(v.counts).toEqual([9, 10]);
  });

  it('gives null with denominator_zero for a region without inhabitants', () => {
    const [v] = engine.valuesFor(catalogue.byId('births_per_1000')!, ['01056001'], period);
    expect(v).toMatchObject({ value: null, exactValue: null, reason: 'denominator_zero', counts: [0, 0] });
    const [count] = engine.valuesFor(catalogue.byId('births')!, ['01056001'], period);
    expect(count.value).toBe(0);
  });
});

describe('a source without any record: no_data, not zero', () => {
  const catalogue = defaultCatalogue();
  const period = resolvePeriod('2023');
  const value = (engine: IndicatorEngine, id: string, region = ELMSHORN) =>
    engine.valuesFor(catalogue.byId(id)!, [region], period)[0];
  const resident = population({ personId: 'p-1', ags: ELMSHORN, validFrom: '2010-01-01' });

  it('publishes neither a count nor a rate of an empty source, and says why', () => {
    const engine = new IndicatorEngine();
    expect(value(engine, 'population')).toMatchObject({
      value: null,
      exactValue: null,
      reason: 'no_data',
      counts: [0],
    });
    const result = engine.apply([resident]);
    expect(result.sources).toEqual(['population']);
    expect(value(engine, 'population')).toMatchObject({ value: 1, counts: [1] });
    expect(value(engine, 'population').reason).toBeUndefined();
    // A municipality without inhabitants has a real zero once the source has records.
    expect(value(engine, 'population', WEDEL)).toMatchObject({ value: 0, counts: [0] });
    // sgb2_rate_pct reads population and sgb2: sgb2 is still empty, so the counts of population mean nothing.
    expect(value(engine, 'sgb2_rate_pct')).toMatchObject({ value: null, reason: 'no_data', counts: [0, 0] });
  });

  it('reports a source only when it gets its first record or loses its last, in any order', () => {
    const engine = new IndicatorEngine();
    const other = population({ personId: 'p-2', ags: WEDEL, validFrom: '2012-01-01' });
    expect(engine.apply([resident, other]).sources).toEqual(['population']);
    expect(
      engine.apply([sgb2({ personId: 'p-1', householdId: 'h-1', ags: ELMSHORN, validFrom: '2020-01-01' })]).sources,
    ).toEqual(['sgb2']);
    expect(engine.apply([{ ...resident, validFrom: '2011-01-01' }]).sources).toEqual([]);
    const retract = (r: typeof resident) => ({ source: r.source, recordId: r.recordId, deleted: true as const });
    expect(engine.apply([retract(resident)]).sources).toEqual([]);
    expect(engine.hasRecordsOf('population')).toBe(true);
    expect(engine.apply([retract(other)]).sources).toEqual(['population']);
    expect(engine.hasRecordsOf('population')).toBe(false);
    expect(value(engine, 'population', WEDEL).reason).toBe('no_data');
    // Added and retracted in one batch: nothing changed.
    expect(engine.apply([resident, retract(resident)]).sources).toEqual([]);
  });
});
