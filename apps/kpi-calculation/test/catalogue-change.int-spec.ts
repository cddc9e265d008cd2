import { ceSource, EVENT_TYPES } from '@sozialmonitor/contracts';
import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import { COUNTY, ELMSHORN } from '@sozialmonitor/indicators/testing/lake-fixtures';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { internalAuth, type KpiTestbed, startTestbed } from './support';

// A catalogue change (new version, new indicator, retirement) announced on the control topic
// recomputes the affected indicators from the lake; no source delivers again.
describe('kpi-calculation catalogue changes', () => {
  let bed: KpiTestbed | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'kpi-catalogue-'));
  const file = join(dir, 'catalogue.json');
  const v1 = JSON.parse(readFileSync(join(__dirname, '../../../libs/indicators/catalogue/catalogue.v1.json'), 'utf8'));

  beforeAll(async () => {
    writeFileSync(file, JSON.stringify(v1));
    bed = await startTestbed(
      { FIRST_YEAR: '2023', KPI_TODAY: '2024-06-30', CATALOGUE_FILE: file },
      handComputedWorld(),
    );
    const { tail, service } = bed;
    await tail.waitUntil(() => tail.latest().size === 44 * 50 * 2, 'the first publication');
    await service.scheduler.idle();
  });

  afterAll(async () => {
    await bed?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('recomputes a new version and a new indicator everywhere, and stops publishing a retired one', async () => {
    const { env, publisher, tail, service } = bed!;
    const births = v1.indicators.find((i: { id: string }) => i.id === 'births');
    const population = v1.indicators.find((i: { id: string }) => i.id === 'population');
    const next = {
      ...v1,
      catalogueVersion: 2,
      indicators: [
        ...v1.indicators.map((i: { id: string }) => (i.id === 'mean_age' ? { ...i, status: 'retired' } : i)),
        { ...births, version: 2, formula: 'B(sex=f)' },
        {
          ...population,
          id: 'female_population',
          formula: 'P(sex=f)',
          names: { de: 'Einwohnerinnen', en: 'Female inhabitants' },
        },
      ],
    };
    writeFileSync(file, JSON.stringify(next));
    const before = tail.events.length;
    await publisher.publish([
      {
        topic: env.CONTROL_TOPIC,
        key: 'catalogue',
        id: 'catalogue-v2',
        type: EVENT_TYPES.catalogueChanged,
        source: ceSource('admin'),
        data: { catalogueVersion: 2 },
      },
    ]);

    await tail.waitUntil(
      () =>
        tail.latest().get(`births:${COUNTY}:2023`)?.indicatorVersion === 2 &&
        tail.latest().has(`female_population:${ELMSHORN}:current`),
      'the values of the new catalogue',
    );
    await service.scheduler.idle();
    const latest = tail.latest();
    // B(sex=f): the only birth of 2023 (a2) is a boy
    expect(latest.get(`births:${ELMSHORN}:2023`)).toMatchObject({ indicatorVersion: 2, value: 0, suppressed: false });
    expect(latest.get(`female_population:${COUNTY}:2023`)).toMatchObject({ indicatorVersion: 1, value: 7 });
    // Pinneberg has one woman (primary), so Elmshorn, the other municipality with women, is hidden too
    expect(latest.get(`female_population:${ELMSHORN}:2023`)).toMatchObject({
      value: null,
      suppressed: true,
      reason: 'secondary',
    });
    const after = tail.payloads().slice(before);
    expect(after.filter((p) => p.indicatorId === 'births')).toHaveLength(100); // every region, both periods
    expect(after.some((p) => p.indicatorId === 'mean_age')).toBe(false);
    expect(after.every((p) => ['births', 'female_population'].includes(p.indicatorId))).toBe(true);

    const list = (await (await fetch(`${service.url}/internal/v1/indicators`, { headers: internalAuth })).json()) as Array<{
      id: string;
      version: number;
      status: string;
    }>;
    expect(list.find((i) => i.id === 'births')).toMatchObject({ version: 2, status: 'active' });
    expect(list.find((i) => i.id === 'mean_age')).toMatchObject({ status: 'retired' });
    // a retired indicator stays queryable with its last version
    const retired = await fetch(`${service.url}/internal/v1/indicators/mean_age/values?date=2023-12-31`, { headers: internalAuth });
    expect(retired.status).toBe(200);
  });

  it('keeps the catalogue in use when the new file is invalid', async () => {
    const { env, publisher, tail, service } = bed!;
    writeFileSync(file, JSON.stringify({ ...v1, indicators: [{ ...v1.indicators[0], formula: 'P( / 2' }] }));
    const before = tail.events.length;
    await publisher.publish([
      {
        topic: env.CONTROL_TOPIC,
        key: 'catalogue',
        id: 'catalogue-broken',
        type: EVENT_TYPES.catalogueChanged,
        source: ceSource('admin'),
        data: {},
      },
    ]);
    await new Promise((r) => setTimeout(r, 3000));
    await service.scheduler.idle();
    expect(tail.events.length).toBe(before);
    const list = (await (await fetch(`${service.url}/internal/v1/indicators`, { headers: internalAuth })).json()) as Array<{ id: string }>;
    expect(list.some((i) => i.id === 'female_population')).toBe(true);
  });
});
