import type { LakeRecord } from '@sozialmonitor/contracts';
import { compileFormula } from '../expression/compile';
import { evaluateFormula } from '../expression/evaluate';
import {
  APPEN,
  COUNTY,
  ELMSHORN,
  PINNEBERG,
  WEDEL,
  housingBenefit,
  population,
  sgb2,
  youthWelfare,
} from '../testing/lake-fixtures';
import { parseDay } from '../time/day';
import { resolvePeriod } from '../time/period';
import { CountingEngine } from './counting-engine';
import { IndicatorEngine } from './indicator-engine';

/** The value of a one-measure formula (e.g. `P(>=23)`) in a region at a Stichtag or period. */
function count(engine: IndicatorEngine, formula: string, region: string, at: string): number {
  const compiled = compileFormula(formula);
  const stichtag = /^\d{4}$/.test(at) || at === 'current' ? resolvePeriod(at).stichtag : parseDay(at);
  const values = engine.measuresAt(region, stichtag, compiled.calls);
  return Number(evaluateFormula(compiled, values)!.n);
}

const engineWith = (records: LakeRecord[]): IndicatorEngine => {
  const e = new IndicatorEngine();
  expect(e.apply(records).rejected).toEqual([]);
  return e;
};

describe('spell validity: validFrom <= d < validTo', () => {
  const e = engineWith([population({ personId: 'x', ags: ELMSHORN, validFrom: '2023-03-01', validTo: '2023-06-30' })]);

  it('counts from the first day on', () => {
    expect(count(e, 'P()', ELMSHORN, '2023-02-28')).toBe(0);
    expect(count(e, 'P()', ELMSHORN, '2023-03-01')).toBe(1);
  });

  it('does not count a spell ending on the Stichtag', () => {
    expect(count(e, 'P()', ELMSHORN, '2023-06-29')).toBe(1);
    expect(count(e, 'P()', ELMSHORN, '2023-06-30')).toBe(0);
    expect(count(e, 'P()', COUNTY, '2023-06-30')).toBe(0);
  });
});

describe('age by birth month', () => {
  // Born June 2000: the birthday counts as 1 June.
  const e = engineWith([population({ personId: 'x', birthMonth: '2000-06', ags: ELMSHORN, validFrom: '2010-01-01' })]);

  it('is one year older from the first day of the birth month (birthday in the Stichtag month)', () => {
    expect(count(e, 'P(>=23)', ELMSHORN, '2023-05-31')).toBe(0);
    expect(count(e, 'P(22-22)', ELMSHORN, '2023-05-31')).toBe(1);
    expect(count(e, 'P(>=23)', ELMSHORN, '2023-06-01')).toBe(1);
    expect(count(e, 'P(>=23)', ELMSHORN, '2023-06-30')).toBe(1);
    expect(count(e, 'P(<23)', ELMSHORN, '2023-06-01')).toBe(0);
  });

  it('handles births on 29 February (birth month February) and Stichtage on 29 February', () => {
    const leap = engineWith([
      population({
        personId: 'l',
        birthMonth: '2004-02',
        ags: ELMSHORN,
        validFrom: '2004-02-29',
        startReason: 'birth',
      }),
    ]);
    expect(count(leap, 'P(19-19)', ELMSHORN, '2023-02-28')).toBe(1); // February: birthday month reached
    expect(count(leap, 'P(18-18)', ELMSHORN, '2023-01-31')).toBe(1);
    expect(count(leap, 'P(20-20)', ELMSHORN, '2024-02-29')).toBe(1);
    expect(count(leap, 'P()', ELMSHORN, '2004-02-28')).toBe(0);
    expect(count(leap, 'P()', ELMSHORN, '2004-02-29')).toBe(1);
  });
});

describe('event windows', () => {
  const e = engineWith([
    population({ personId: 'b1', ags: ELMSHORN, validFrom: '2024-02-29', startReason: 'birth' }),
    population({ personId: 'b2', ags: ELMSHORN, validFrom: '2023-01-01', startReason: 'birth' }),
    population({ personId: 'b3', ags: ELMSHORN, validFrom: '2023-12-31', startReason: 'birth' }),
  ]);

  it('year Y is Y-01-01 … Y-12-31, both included', () => {
    expect(count(e, 'B', ELMSHORN, '2023')).toBe(2);
    expect(count(e, 'B', ELMSHORN, '2022')).toBe(0);
  });

  it('any date d: from the day after d − 1y through d (29 February maps to 28 February)', () => {
    // 2024-02-29: window 2023-03-01 … 2024-02-29 → b3, b1
    expect(count(e, 'B', ELMSHORN, '2024-02-29')).toBe(2);
    // 2025-02-28: window 2024-02-29 … 2025-02-28 → b1 (its day is the first of the window)
    expect(count(e, 'B', ELMSHORN, '2025-02-28')).toBe(1);
    // 2024-02-28: window 2023-03-01 … 2024-02-28 → b3 only
    expect(count(e, 'B', ELMSHORN, '2024-02-28')).toBe(1);
    // 2023-12-31 as a date equals the year period
    expect(count(e, 'B', ELMSHORN, '2023-12-31')).toBe(2);
  });

  it('looks one year back at d − 1y, 29 February to 28 February', () => {
    const back = engineWith([
      population({ personId: 'y', ags: ELMSHORN, validFrom: '2023-02-28', validTo: '2023-03-01' }),
    ]);
    expect(count(back, 'P() at d-1y', ELMSHORN, '2024-02-29')).toBe(1);
    expect(count(back, 'P() at d-1y', ELMSHORN, '2024-03-01')).toBe(0);
  });
});

describe('moves', () => {
  const moveDay = '2023-05-15';
  const e = engineWith([
    population({ personId: 'm', ags: ELMSHORN, validFrom: '2010-01-01', validTo: moveDay, endReason: 'move_out' }),
    population({ personId: 'm', ags: PINNEBERG, validFrom: moveDay, startReason: 'move_in' }),
  ]);

  it('a move between two municipalities of the county on one day: the county counts neither in nor out', () => {
    expect(count(e, 'OUT', ELMSHORN, '2023')).toBe(1);
    expect(count(e, 'IN', PINNEBERG, '2023')).toBe(1);
    expect(count(e, 'IN', COUNTY, '2023')).toBe(0);
    expect(count(e, 'OUT', COUNTY, '2023')).toBe(0);
  });

  it('the person stays one inhabitant of the county throughout', () => {
    for (const d of ['2023-05-14', moveDay, '2023-12-31']) expect(count(e, 'P()', COUNTY, d)).toBe(1);
    expect(count(e, 'P()', ELMSHORN, moveDay)).toBe(0);
    expect(count(e, 'P()', PINNEBERG, moveDay)).toBe(1);
  });

  it('counts moves across the county border, and moves whose dates do not meet', () => {
    const x = engineWith([
      population({
        personId: 'o',
        ags: ELMSHORN,
        validFrom: '2010-01-01',
        validTo: '2023-03-01',
        endReason: 'move_out',
      }),
      population({ personId: 'o', ags: WEDEL, validFrom: '2023-03-02', startReason: 'move_in' }),
      population({ personId: 'i', ags: APPEN, validFrom: '2023-04-01', startReason: 'immigration' }),
      population({
        personId: 'e',
        ags: APPEN,
        validFrom: '2010-01-01',
        validTo: '2023-04-01',
        endReason: 'emigration',
      }),
    ]);
    expect(count(x, 'IN', COUNTY, '2023')).toBe(2); // o (a day later: not the same date), i
    expect(count(x, 'OUT', COUNTY, '2023')).toBe(2); // o, e
  });

  it('a spell that starts with an internal move and ends with a move out of the county counts as an out-move', () => {
    const x = engineWith([
      population({
        personId: 'c',
        ags: ELMSHORN,
        validFrom: '2010-01-01',
        validTo: '2019-06-02',
        endReason: 'move_out',
      }),
      population({
        personId: 'c',
        ags: PINNEBERG,
        validFrom: '2019-06-02',
        validTo: '2020-01-01',
        endReason: 'move_out',
        startReason: 'move_in',
      }),
    ]);
    expect(count(x, 'IN + OUT', COUNTY, '2019')).toBe(0);
    expect(count(x, 'OUT', COUNTY, '2020')).toBe(1);
    expect(count(x, 'OUT', PINNEBERG, '2020')).toBe(1);
  });

  it('an address change inside a municipality is no move', () => {
    const x = engineWith([
      population({
        personId: 'a',
        ags: ELMSHORN,
        validFrom: '2010-01-01',
        validTo: '2023-03-01',
        endReason: 'address_change',
      }),
      population({ personId: 'a', ags: ELMSHORN, validFrom: '2023-03-01', startReason: 'address_change' }),
    ]);
    expect(count(x, 'IN + OUT', ELMSHORN, '2023')).toBe(0);
    expect(count(x, 'P()', ELMSHORN, '2023-03-01')).toBe(1);
  });
});

describe('distinct persons', () => {
  it('two overlapping spells of one person in one region count once', () => {
    const e = engineWith([
      population({ personId: 'o', ags: ELMSHORN, validFrom: '2020-01-01' }),
      population({ personId: 'o', ags: ELMSHORN, validFrom: '2022-01-01' }),
    ]);
    expect(count(e, 'P()', ELMSHORN, '2023-01-01')).toBe(1);
    expect(count(e, 'P()', COUNTY, '2023-01-01')).toBe(1);
  });

  it('overlapping spells with different attributes count once, with the later-starting spell', () => {
    const e = engineWith([
      population({ personId: 'o', ags: ELMSHORN, validFrom: '2020-01-01', nationalityGroup: 'foreign' }),
      population({ personId: 'o', ags: ELMSHORN, validFrom: '2022-01-01', nationalityGroup: 'german' }),
    ]);
    expect(count(e, 'P(foreign)', ELMSHORN, '2021-06-30')).toBe(1);
    expect(count(e, 'P(foreign)', ELMSHORN, '2023-01-01')).toBe(0);
    expect(count(e, 'P(german)', ELMSHORN, '2023-01-01')).toBe(1);
    expect(count(e, 'P()', ELMSHORN, '2023-01-01')).toBe(1);
  });

  it('a person valid in two municipalities at once counts in each, and once in the county', () => {
    const e = engineWith([
      population({ personId: 'two', ags: ELMSHORN, validFrom: '2020-01-01' }),
      population({ personId: 'two', ags: WEDEL, validFrom: '2021-01-01' }),
    ]);
    expect(count(e, 'P()', ELMSHORN, '2022-01-01') + count(e, 'P()', WEDEL, '2022-01-01')).toBe(2);
    expect(count(e, 'P()', COUNTY, '2022-01-01')).toBe(1);
  });

  it('youth welfare counts cases, not persons', () => {
    const e = engineWith([
      youthWelfare({ personId: 'y', ags: ELMSHORN, validFrom: '2022-01-01', paragraph: '33' }),
      youthWelfare({ personId: 'y', ags: ELMSHORN, validFrom: '2022-01-01', paragraph: '33' }),
    ]);
    expect(count(e, 'H()', ELMSHORN, '2023')).toBe(2);
  });

  it('BG counts benefit units; WP sums household sizes', () => {
    const e = engineWith([
      sgb2({ personId: 'p1', householdId: 'h', ags: ELMSHORN, validFrom: '2022-01-01' }),
      sgb2({ personId: 'p2', householdId: 'h', ags: ELMSHORN, validFrom: '2022-06-01' }),
      housingBenefit({ householdId: 'w1', ags: ELMSHORN, validFrom: '2022-01-01', householdSize: 3 }),
      housingBenefit({ householdId: 'w2', ags: ELMSHORN, validFrom: '2022-01-01', householdSize: 2 }),
    ]);
    expect(count(e, 'S()', ELMSHORN, '2023')).toBe(2);
    expect(count(e, 'BG', ELMSHORN, '2023')).toBe(1);
    expect(count(e, 'W', ELMSHORN, '2023')).toBe(2);
    expect(count(e, 'WP', ELMSHORN, '2023')).toBe(5);
  });
});

describe('corrections and deletions', () => {
  it('a new version replaces the old one; a deletion removes it; a repeat changes nothing', () => {
    const e = new IndicatorEngine();
    const r = population({ personId: 'c', ags: ELMSHORN, validFrom: '2020-01-01' });
    e.apply([r]);
    expect(count(e, 'P()', ELMSHORN, '2023')).toBe(1);

    const moved = { ...r, ags: WEDEL };
    const corrected = e.apply([moved]);
    expect(count(e, 'P()', ELMSHORN, '2023')).toBe(0);
    expect(count(e, 'P()', WEDEL, '2023')).toBe(1);
    expect(count(e, 'P()', COUNTY, '2023')).toBe(1);
    expect([...corrected.changes.regions.keys()].sort()).toEqual([ELMSHORN, WEDEL]); // county unchanged

    expect(e.apply([moved]).changes.isEmpty).toBe(true);

    e.apply([{ source: 'population', recordId: r.recordId, deleted: true }]);
    expect(count(e, 'P()', COUNTY, '2023')).toBe(0);
    expect(e.recordCount).toBe(0);
  });

  it('reports uncountable records by field and rule only, and does not count them', () => {
    const e = new IndicatorEngine();
    const bad = population({ personId: 'secret-person', ags: '01055001', validFrom: '2020-01-01' });
    const { rejected } = e.apply([bad]);
    expect(rejected).toEqual([
      { source: 'population', recordId: bad.recordId, field: 'ags', rule: 'not a municipality of the county' },
    ]);
    expect(JSON.stringify(rejected)).not.toContain('secret-person');
    expect(JSON.stringify(rejected)).not.toContain('01055001');
    expect(count(e, 'P()', COUNTY, '2023')).toBe(0);
  });

  it('reports which days changed: a closed spell touches only its own interval', () => {
    const e = new IndicatorEngine();
    const { changes } = e.apply([
      population({ personId: 'k', ags: ELMSHORN, validFrom: '2019-03-01', validTo: '2019-09-01' }),
    ]);
    expect(changes.families).toEqual(new Set(['population', 'moves_out']));
    expect(changes.affects(ELMSHORN, resolvePeriod('2018').stichtag)).toBe(false);
    expect(changes.affects(ELMSHORN, parseDay('2019-06-30'))).toBe(true);
    expect(changes.affects(ELMSHORN, resolvePeriod('2019').stichtag)).toBe(true); // the move-out event
    expect(changes.affects(ELMSHORN, resolvePeriod('2020').stichtag)).toBe(true); // the event, one year back
    expect(changes.affects(ELMSHORN, resolvePeriod('2022').stichtag)).toBe(false);
    expect(changes.affects(PINNEBERG, resolvePeriod('2019').stichtag)).toBe(false);
  });
});

describe('CountingEngine.applySubject', () => {
  const p = compileFormula('P()').calls[0];
  const at = (e: CountingEngine, region: string, day: string) => e.measure(p, region, parseDay(day)).value;

  it('replaces a subject, is idempotent, and reports the regions and days it touched', () => {
    const e = new CountingEngine();
    const spell = population({ personId: 's', ags: ELMSHORN, validFrom: '2020-01-01', validTo: '2022-01-01' });
    const first = e.applySubject('population:s', [spell]);
    expect(at(e, ELMSHORN, '2021-06-30')).toBe(1);
    expect(first.changes.regions.get(ELMSHORN)).toEqual({
      from: parseDay('2020-01-01'),
      to: parseDay('2022-01-01') + 1,
    }); // + the move-out day
    expect(e.applySubject('population:s', [spell]).changes.isEmpty).toBe(true);
    const moved = e.applySubject('population:s', [{ ...spell, ags: WEDEL }]);
    expect([...moved.changes.regions.keys()].sort()).toEqual([ELMSHORN, WEDEL]);
    expect(at(e, WEDEL, '2021-06-30')).toBe(1);
    expect(at(e, COUNTY, '2021-06-30')).toBe(1);
    e.applySubject('population:s', []);
    expect(at(e, COUNTY, '2021-06-30')).toBe(0);
    expect(e.subjectCount).toBe(0);
  });

  it('refuses records of another subject', () => {
    const e = new CountingEngine();
    const { rejected } = e.applySubject('population:s', [
      population({ personId: 'other', ags: ELMSHORN, validFrom: '2020-01-01' }),
    ]);
    expect(rejected).toEqual([expect.objectContaining({ field: 'personId', rule: 'not of this subject' })]);
    expect(() => e.applySubject('weather:x', [])).toThrow(RangeError);
  });
});
