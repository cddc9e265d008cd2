import type { KpiValuePayload, LakeRecord } from '@sozialmonitor/contracts';
import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import { COUNTY, ELMSHORN, PINNEBERG, referenceValue } from '@sozialmonitor/indicators/testing/lake-fixtures';
import {
  ANALYST_TOKEN,
  DeadLetterTail,
  internalAuth,
  type KpiTestbed,
  publishLake,
  type RunningKpiCalculation,
  startTestbed,
  waitForCatchUp,
} from './support';

// Records through the real Kafka and MongoDB (topics, database and groups of this file only):
// values are computed, disclosure-controlled and published once; a correction publishes only the
// values it changes; a restart with a replay of the whole lake topic publishes nothing and changes nothing.
describe('kpi-calculation service', () => {
  let bed: KpiTestbed | undefined;
  /** The running instance (the restart below replaces it). */
  let service: RunningKpiCalculation | undefined;
  const world = handComputedWorld();
  const periods = ['2022', '2023', 'current'];
  const allKeys = 44 * 50 * periods.length;

  const value = (key: string): KpiValuePayload | undefined => bed!.tail.latest().get(key);
  const countOf = (key: string) =>
    bed!.tail.payloads().filter((p) => `${p.indicatorId}:${p.region.code}:${p.period}` === key).length;
  const onDemand = async (path: string) => {
    const r = await fetch(`${service!.url}${path}`, { headers: internalAuth });
    return { status: r.status, body: await r.json() };
  };

  beforeAll(async () => {
    // "today" fixed: years 2022 and 2023 are complete, `current` is 2024-06-30.
    bed = await startTestbed({ FIRST_YEAR: '2022', KPI_TODAY: '2024-06-30' }, [
      ...world,
      referenceValue({ indicatorId: 'population', regionCode: 'DG', year: 2023, value: 84_669_326 }),
    ]);
    service = bed.service;
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it('publishes every indicator for every region and period once, disclosure-controlled', async () => {
    const { tail } = bed!;
    await tail.waitUntil(() => tail.latest().size === allKeys, `${allKeys} values`);
    await service!.scheduler.idle();
    expect(tail.events.length).toBe(allKeys);
    const elmshorn = value(`population:${ELMSHORN}:2023`)!;
    expect(elmshorn).toMatchObject({
      indicatorVersion: 1,
      value: 9,
      suppressed: false,
      unit: 'persons',
      comparison: { county: 12, state: null, germany: 84669326 },
    });
    expect(value(`population:${COUNTY}:2023`)).toMatchObject({
      value: 12,
      comparison: { state: null, germany: 84669326 },
    });
    expect(value(`population:${COUNTY}:2022`)).toMatchObject({ value: 12, comparison: { state: null, germany: null } });
    expect(value(`sgb2_households:${ELMSHORN}:2023`)).toMatchObject({ value: 3, suppressed: false });
    expect(value(`births:${ELMSHORN}:2023`)).toMatchObject({ value: null, suppressed: true, reason: 'primary' });
    expect(value(`population_change_pct:${ELMSHORN}:2023`)).toMatchObject({
      value: null,
      suppressed: true,
      reason: 'secondary',
    });
    expect(value(`mean_age:${COUNTY}:2023`)).toMatchObject({ value: 31.58 });
    expect(value(`population:${ELMSHORN}:current`)).toMatchObject({
      value: 9,
      comparison: { state: null, germany: null },
    });
    // the envelope: CloudEvents binary mode, key = indicator:region:period
    const event = tail.events.find((e) => e.key === `population:${ELMSHORN}:2023`)!;
    expect(event).toMatchObject({
      type: 'de.sozialmonitor.kpi.value.v1',
      source: '/sozialmonitor/kpi-calculation',
      specversion: '1.0',
      contentType: 'application/json',
    });
    expect(Object.keys(JSON.parse(event.value!.toString()))).not.toContain('counts');
  });

  it('answers any Stichtag on demand, disclosure-controlled, for the publication service', async () => {
    const { status, body } = await onDemand('/internal/v1/indicators/population/values?date=2023-12-31');
    expect(status).toBe(200);
    expect(body).toHaveLength(50);
    const elmshorn = (body as KpiValuePayload[]).find((v) => v.region.code === ELMSHORN)!;
    expect(elmshorn).toMatchObject({
      period: '2023-12-31',
      value: 9,
      comparison: { county: 12, state: null, germany: null },
    });
    const births = (await onDemand('/internal/v1/indicators/births/values?date=2023-12-31')).body as KpiValuePayload[];
    expect(births.find((v) => v.region.code === ELMSHORN)).toMatchObject({ value: null, suppressed: true });
    expect((await onDemand('/internal/v1/indicators/nonsense/values?date=2023-12-31')).status).toBe(404);
    expect((await onDemand('/internal/v1/indicators/population/values?date=2023-02-30')).status).toBe(400);
    expect((await onDemand('/health/ready')).status).toBe(200);
  });

  it('answers exact values of a day only to a token with the role internal, and no day after today', async () => {
    const path = '/internal/v1/indicators/population/values?date=2023-12-31';
    const status = async (p: string, token?: string) =>
      (await fetch(`${service!.url}${p}`, token ? { headers: { authorization: `Bearer ${token}` } } : {})).status;
    // privacy.md §3: consecutive days subtracted single out events; this port must not void the analyst rule
    expect(await status(path)).toBe(401);
    expect(await status(path, 'not-a-configured-token-at-all')).toBe(401);
    expect(await status(path, ANALYST_TOKEN)).toBe(403);
    expect(await status('/internal/v1/indicators')).toBe(401);
    const anonymous = await fetch(`${service!.url}${path}`);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // "today" is 2024-06-30 here (KPI_TODAY): today answers, the day after does not
    expect((await onDemand('/internal/v1/indicators/population/values?date=2024-06-30')).status).toBe(200);
    const future = await onDemand('/internal/v1/indicators/population/values?date=2024-07-01');
    expect(future.status).toBe(400);
    expect(future.body).toMatchObject({ errors: [{ parameter: 'date' }] });
    expect((await onDemand('/internal/v1/indicators/population/values?date=2100-01-01')).status).toBe(400);
  });

  it('publishes only the values a corrected record changes', async () => {
    const { env, publisher, tail } = bed!;
    const before = tail.events.length;
    const a12 = world.find((r) => r.source === 'population' && r.personId === 'a12') as LakeRecord;
    // a12 (80, female) really lived in Pinneberg: Elmshorn 8, Pinneberg 4, the county stays 12.
    await publishLake(publisher, env.LAKE_TOPIC, [{ ...a12, ags: PINNEBERG }]);
    await tail.waitUntil(
      () => value(`population:${ELMSHORN}:2023`)?.value === 8 && value(`population:${PINNEBERG}:2023`)?.value === 4,
      'the corrected values',
    );
    await service!.scheduler.idle();
    expect(countOf(`population:${COUNTY}:2023`)).toBe(1);
    expect(countOf(`population:${ELMSHORN}:2022`)).toBe(2); // a12 lived in Pinneberg in 2022 as well
    const changed = tail.events.slice(before).map((e) => e.key);
    expect(changed.every((k) => !k!.startsWith('population:01056:'))).toBe(true);
    expect(changed.length).toBeLessThan(allKeys / 4);
  });

  it('a deletion removes the record from every value', async () => {
    const { env, publisher, tail } = bed!;
    const a2 = world.find((r) => r.source === 'population' && r.personId === 'a2') as LakeRecord;
    await publishLake(publisher, env.LAKE_TOPIC, [{ source: 'population', recordId: a2.recordId, deleted: true }]);
    await tail.waitUntil(() => value(`births:${COUNTY}:2023`)?.value === 0, 'births without a2');
    expect(value(`population:${ELMSHORN}:2023`)?.value).toBe(7);
  });

  it('a source that loses its last record publishes no_data for its indicators, not zero, until records return', async () => {
    const { env, publisher, tail } = bed!;
    const cases = world.filter((r) => r.source === 'youth_welfare') as LakeRecord[];
    const before = value(`youth_welfare_cases:${COUNTY}:2023`)!;
    expect(before.value).toBeGreaterThan(0);
    await publishLake(
      publisher,
      env.LAKE_TOPIC,
      cases.map((r) => ({ source: r.source, recordId: r.recordId, deleted: true as const })),
    );
    const keys = ['youth_welfare_cases', 'youth_welfare_per_1000_under_21'].flatMap((id) =>
      [ELMSHORN, PINNEBERG, COUNTY].flatMap((region) => periods.map((p) => `${id}:${region}:${p}`)),
    );
    await tail.waitUntil(() => keys.every((k) => value(k)?.reason === 'no_data'), 'no_data for youth welfare');
    expect(value(keys[0])).toMatchObject({ value: null, suppressed: false, reason: 'no_data' });
    expect(value(`population:${ELMSHORN}:2023`)?.value).toBe(7); // other sources keep their figures
    await publishLake(publisher, env.LAKE_TOPIC, cases);
    // Waited for on the tail (a value the scheduler published may not have reached the test's consumer yet).
    await tail.waitUntil(
      () =>
        value(`youth_welfare_cases:${COUNTY}:2023`)?.value === before.value &&
        keys.every((k) => value(k)?.reason !== 'no_data'),
      'the youth welfare figures back everywhere',
    );
    await service!.scheduler.idle();
  });

  it('sends a malformed lake message to the dead-letter topic and goes on', async () => {
    const { env, kafka, publisher, tail } = bed!;
    const deadLetters = await DeadLetterTail.start(kafka);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: env.LAKE_TOPIC,
      messages: [{ key: 'population:broken-1', value: '{"source": "population", "recordId": ' }],
    });
    await producer.disconnect();
    const a3 = world.find((r) => r.source === 'population' && r.personId === 'a3') as LakeRecord;
    await publishLake(publisher, env.LAKE_TOPIC, [{ ...a3, ags: PINNEBERG }]);
    await tail.waitUntil(() => value(`population:${ELMSHORN}:2023`)?.value === 6, 'the record after the malformed one');
    await deadLetters.waitFor((h) => h.sm_dlq_topic === env.LAKE_TOPIC && h.sm_dlq_service === 'kpi-calculation');
    await deadLetters.stop();
  });

  it('after a restart and a replay of the lake topic from the beginning publishes nothing new and changes no value', async () => {
    const { env, kafka, tail } = bed!;
    await waitForCatchUp(kafka, env.KPI_CALCULATION_GROUP_ID, env.LAKE_TOPIC);
    await service!.scheduler.idle();
    const before = tail.events.length;
    const answerBefore = (await onDemand('/internal/v1/indicators/dependency_ratio/values?date=2023-06-30'))
      .body as KpiValuePayload[];
    await service!.stop();
    service = undefined;

    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: env.KPI_CALCULATION_GROUP_ID, topic: env.LAKE_TOPIC, earliest: true });
    await admin.disconnect();

    service = await bed!.startInstance();
    await waitForCatchUp(kafka, env.KPI_CALCULATION_GROUP_ID, env.LAKE_TOPIC);
    await service.scheduler.idle();
    await new Promise((r) => setTimeout(r, 1500));
    expect(tail.events.length).toBe(before);
    const answerAfter = (await onDemand('/internal/v1/indicators/dependency_ratio/values?date=2023-06-30'))
      .body as KpiValuePayload[];
    const strip = (vs: KpiValuePayload[]) => vs.map(({ computedAt: _c, ...rest }) => rest);
    expect(strip(answerAfter)).toEqual(strip(answerBefore));
    expect(value(`population:${ELMSHORN}:2023`)?.value).toBe(6);
  });
});
