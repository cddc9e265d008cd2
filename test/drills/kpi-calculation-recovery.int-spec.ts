import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import mongoose from 'mongoose';
import {
  internalAuth,
  type KpiTestbed,
  type RunningKpiCalculation,
  startTestbed,
  waitForCatchUp,
} from '../../apps/kpi-calculation/test/support';

// The recovery drills of docs/operations.md for kpi-calculation, on topics, group and database of this file:
// its lake log, then its whole database, are dropped and rebuilt by a replay of the lake topic. Each ends
// with the same values (on demand and on the KPI topic) and without a new KPI event.
describe('recovery drills: kpi-calculation', () => {
  let bed: KpiTestbed | undefined;
  let service: RunningKpiCalculation | undefined;
  let answerBefore: unknown;

  const strip = (vs: { computedAt?: string }[]) => vs.map(({ computedAt: _c, ...rest }) => rest);
  const onDemand = async () =>
    strip(
      (await (
        await fetch(`${service!.url}/internal/v1/indicators/dependency_ratio/values?date=2023-06-30`, {
          headers: internalAuth,
        })
      ).json()) as { computedAt?: string }[],
    );
  const published = () => JSON.stringify([...bed!.tail.latest()].sort(([a], [b]) => (a < b ? -1 : 1)));

  /** The runbook's steps: stop, drop, reset the group to the earliest offsets, start; then wait until caught up. */
  async function rebuild(drop: (db: mongoose.mongo.Db) => Promise<unknown>): Promise<void> {
    const { env, kafka } = bed!;
    await service!.stop();
    const connection = await mongoose.createConnection(env.MONGO_URL).asPromise();
    await drop(connection.db!);
    await connection.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: env.KPI_CALCULATION_GROUP_ID, topic: env.LAKE_TOPIC, earliest: true });
    await admin.disconnect();
    service = await bed!.startInstance();
    await waitForCatchUp(kafka, env.KPI_CALCULATION_GROUP_ID, env.LAKE_TOPIC);
    await service.scheduler.idle();
    await new Promise((r) => setTimeout(r, 1500)); // a round it might wrongly start would have published by now
    await service.scheduler.idle();
    await tailAtEnd();
  }

  /** Until the test's tail has read the KPI topic up to its current end (the publisher may still publish). */
  async function tailAtEnd(): Promise<void> {
    const { kafka, env, tail } = bed!;
    await tail.waitUntil(() => tail.events.length > 0, 'the first publication');
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (;;) {
        const ends = await admin.fetchTopicOffsets(env.KPI_VALUES_TOPIC);
        const read = new Map<number, bigint>();
        for (const e of tail.events) read.set(e.partition, BigInt(e.offset) + 1n);
        if (ends.every((e) => BigInt(e.high) <= (read.get(e.partition) ?? BigInt(e.low)))) return;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await admin.disconnect();
    }
  }

  const lakeLogSize = async () => {
    const connection = await mongoose.createConnection(bed!.env.MONGO_URL).asPromise();
    try {
      return await connection.db!.collection('kpi_lake_log').countDocuments();
    } finally {
      await connection.close();
    }
  };

  beforeAll(async () => {
    bed = await startTestbed({ FIRST_YEAR: '2023', KPI_TODAY: '2024-06-30' }, handComputedWorld());
    service = bed.service;
    await waitForCatchUp(bed.kafka, bed.env.KPI_CALCULATION_GROUP_ID, bed.env.LAKE_TOPIC);
    // every indicator for every region in 2023 and `current` (the first rounds may still be running)
    await bed.tail.waitUntil(() => bed!.tail.latest().size === 45 * 50 * 2, 'every value published');
    await service.scheduler.idle();
    await tailAtEnd();
    answerBefore = await onDemand();
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it('lake log dropped and replayed: the same values, no new KPI event', async () => {
    const events = bed!.tail.events.length;
    const values = published();
    await rebuild((db) => db.collection('kpi_lake_log').drop());
    expect(await lakeLogSize()).toBeGreaterThan(0);
    expect(await onDemand()).toEqual(answerBefore);
    expect(bed!.tail.events.length).toBe(events);
    expect(published()).toBe(values);
  });

  it('whole database dropped and replayed: what was published is taken from the KPI topic, no new KPI event', async () => {
    const events = bed!.tail.events.length;
    const values = published();
    await rebuild((db) => db.dropDatabase());
    expect(await lakeLogSize()).toBeGreaterThan(0);
    expect(await onDemand()).toEqual(answerBefore);
    expect(bed!.tail.events.length).toBe(events);
    expect(published()).toBe(values);
  });
});
