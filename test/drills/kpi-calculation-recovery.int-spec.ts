import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import mongoose from 'mongoose';
import { type KpiTestbed, type RunningKpiCalculation, startTestbed, waitForCatchUp } from '../../apps/kpi-calculation/test/support';

// The recovery drill of docs/operations.md for kpi-calculation's lake log, on topics, group and database of
// this file: the lake log is dropped and rebuilt by a replay of the lake topic; the values stay the same and
// no KPI event is published.
describe('recovery drill: kpi-calculation lake log', () => {
  let bed: KpiTestbed | undefined;
  let service: RunningKpiCalculation | undefined;

  beforeAll(async () => {
    bed = await startTestbed({ FIRST_YEAR: '2023', KPI_TODAY: '2024-06-30' }, handComputedWorld());
    service = bed.service;
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it('lake log dropped and replayed: the same values on demand, no new KPI event', async () => {
    const { env, kafka, tail } = bed!;
    await waitForCatchUp(kafka, env.KPI_CALCULATION_GROUP_ID, env.LAKE_TOPIC);
    await service!.scheduler.idle();
    await tail.waitUntil(() => tail.events.length > 0, 'the first publication');
    const onDemand = async () =>
      (await (await fetch(`${service!.url}/internal/v1/indicators/dependency_ratio/values?date=2023-06-30`)).json()) as { computedAt?: string }[];
    const strip = (vs: { computedAt?: string }[]) => vs.map(({ computedAt: _c, ...rest }) => rest);
    const answerBefore = strip(await onDemand());
    const eventsBefore = tail.events.length;

    await service!.stop();
    const connection = await mongoose.createConnection(env.MONGO_URL).asPromise();
    await connection.db!.collection('kpi_lake_log').drop();
    await connection.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: env.KPI_CALCULATION_GROUP_ID, topic: env.LAKE_TOPIC, earliest: true });
    await admin.disconnect();

    service = await bed!.startInstance();
    await waitForCatchUp(kafka, env.KPI_CALCULATION_GROUP_ID, env.LAKE_TOPIC);
    await service.scheduler.idle();
    await new Promise((r) => setTimeout(r, 1500)); // a round it might wrongly start would have published by now
    const rebuilt = await mongoose.createConnection(env.MONGO_URL).asPromise();
    expect(await rebuilt.db!.collection('kpi_lake_log').countDocuments()).toBeGreaterThan(0);
    await rebuilt.close();
    expect(strip(await onDemand())).toEqual(answerBefore);
    expect(tail.events.length).toBe(eventsBefore);
  });
});
