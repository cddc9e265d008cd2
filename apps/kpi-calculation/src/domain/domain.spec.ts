import { ChangeSet, defaultCatalogue, parseDay, resolvePeriod } from '@sozialmonitor/indicators';
import { lakeEntryOf, MalformedLakeMessageError } from './lake-entry';
import { LakeVersions } from './lake-versions';
import { publishedPeriods } from './period-plan';
import { recomputePlan } from './recompute-plan';

describe('lake versions', () => {
  it('accepts a newer, different version; skips the same content and older offsets', () => {
    const v = new LakeVersions();
    expect(v.isNew('population:r1', 5, 111)).toBe(true);
    v.set('population:r1', 5, 111);
    expect(v.isNew('population:r1', 9, 111)).toBe(false); // same content again
    expect(v.isNew('population:r1', 3, 222)).toBe(false); // an older version (replay)
    expect(v.isNew('population:r1', 9, 222)).toBe(true);
    for (let i = 0; i < 5000; i++) v.set(`k${i}`, i, i);
    expect(v.size).toBe(5001);
    expect(v.offsetOf('k4999')).toBe(4999);
    expect(v.offsetOf('population:r1')).toBe(5);
  });
});

describe('lake entries', () => {
  it('keys messages, reduces deletion markers, and rejects malformed envelopes by rule only', () => {
    const e = lakeEntryOf({ source: 'population', recordId: 'r-1', ags: '01056015' }, 7, '0@7');
    expect(e).toMatchObject({ key: 'population:r-1', offset: 7 });
    const d = lakeEntryOf({ source: 'population', recordId: 'r-1', deleted: true, personId: 'secret' }, 8, '0@8');
    expect(d.message).toEqual({ source: 'population', recordId: 'r-1', deleted: true });
    const bad = (v: unknown) => () => lakeEntryOf(v, 1, '2@1');
    expect(bad([])).toThrow(MalformedLakeMessageError);
    expect(bad({ source: 'population' })).toThrow('lake message 2@1: recordId is missing or malformed');
    expect(bad({ source: 'Pop ulation', recordId: 'x' })).toThrow('source is missing or malformed');
    expect(bad({ source: 'population', recordId: 'secret value with spaces' })).not.toThrow('secret');
  });
});

describe('periods', () => {
  it('publishes every completed year from the first year, and current', () => {
    const periods = publishedPeriods(2021, parseDay('2024-03-15'));
    expect(periods.map((p) => p.period)).toEqual(['2021', '2022', '2023', 'current']);
    expect(periods[3].stichtag).toBe(parseDay('2024-03-15'));
  });
});

describe('recompute plan', () => {
  const active = defaultCatalogue().active();
  const periods = ['2021', '2022', '2023'].map((p) => resolvePeriod(p));
  const none = { references: [], indicators: new Set<string>(), sources: new Set<string>(), everything: false };
  const ids = (tasks: ReturnType<typeof recomputePlan>) =>
    [...new Set(tasks.map((t) => `${t.indicator.id}@${t.period.period}`))].sort();

  it('recomputes the indicators of the changed families in the periods the changed days reach', () => {
    const counts = new ChangeSet();
    counts.families.add('housing_benefit');
    counts.addRange('01056015', parseDay('2022-03-01'), parseDay('2022-04-01'));
    const tasks = recomputePlan(active, periods, { ...none, counts });
    expect(ids(tasks)).toEqual([
      'housing_benefit_households@2022',
      'housing_benefit_households_per_1000@2022',
      'housing_benefit_persons_pct@2022',
    ]);
  });

  it('reaches one year further for indicators looking back (d − 1y) and for event windows', () => {
    const counts = new ChangeSet();
    counts.families.add('population');
    counts.addRange('01056015', parseDay('2021-12-01'), parseDay('2021-12-02'));
    const tasks = recomputePlan(active, periods, { ...none, counts });
    expect(ids(tasks)).toContain('population@2021');
    expect(ids(tasks)).toContain('population_change_pct@2022');
    expect(ids(tasks)).not.toContain('population@2022');
    expect(ids(tasks)).not.toContain('population_change_pct@2023');
  });

  it('recomputes a year whose comparison value changed, whole indicators, or everything', () => {
    expect(
      ids(
        recomputePlan(active, periods, {
          ...none,
          counts: new ChangeSet(),
          references: [{ indicatorId: 'births', year: 2022 }],
        }),
      ),
    ).toEqual(['births@2022']);
    expect(
      recomputePlan(active, periods, { ...none, counts: new ChangeSet(), indicators: new Set(['mean_age']) }),
    ).toHaveLength(3);
    expect(recomputePlan(active, periods, { ...none, counts: new ChangeSet(), everything: true })).toHaveLength(45 * 3);
    expect(recomputePlan(active, periods, { ...none, counts: new ChangeSet() })).toHaveLength(0);
  });

  it('recomputes an index with its inputs: a changed input definition, or its counts', () => {
    const byInput = recomputePlan(active, periods, {
      ...none,
      counts: new ChangeSet(),
      indicators: new Set(['unemployment_rate_pct']),
    });
    expect(ids(byInput)).toEqual(
      ['2021', '2022', '2023'].flatMap((y) => [`social_status_index@${y}`, `unemployment_rate_pct@${y}`]).sort(),
    );
    const counts = new ChangeSet();
    counts.families.add('basic_income_elderly');
    counts.addRange('01056015', parseDay('2023-03-01'), parseDay('2023-04-01'));
    expect(ids(recomputePlan(active, periods, { ...none, counts }))).toEqual([
      'basic_income_elderly_persons@2023',
      'basic_income_elderly_rate_pct@2023',
      'social_status_index@2023',
    ]);
  });

  it('recomputes every period of the indicators reading a source that got its first record or lost its last', () => {
    const tasks = recomputePlan(active, periods, { ...none, counts: new ChangeSet(), sources: new Set(['sgb2']) });
    const reading = active.filter((d) => d.sources.includes('sgb2')).map((d) => d.id);
    expect(reading).toEqual(expect.arrayContaining(['sgb2_rate_pct', 'child_poverty_rate_pct']));
    expect(reading).not.toContain('population');
    expect(ids(tasks)).toEqual(reading.flatMap((id) => periods.map((p) => `${id}@${p.period}`)).sort());
  });
});
