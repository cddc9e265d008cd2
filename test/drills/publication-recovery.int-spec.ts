import { createKafka } from '@sozialmonitor/messaging';
import mongoose from 'mongoose';
import Redis from 'ioredis';
import {
  baseEnv,
  cleanUp,
  FakeKpiCalculation,
  get,
  isolatedNames,
  KpiProducer,
  kpiValue,
  type PublicationUnderTest,
  REGIONS,
  startPublication,
  type ValuesAnswer,
  waitUntil,
} from '../../apps/publication/test/harness';

// The recovery drills of docs/operations.md for publication's stores, on a topic, group, database and Redis
// prefix of this file: its database is wiped and rebuilt from the KPI topic; its Redis cache is wiped.
// Both end with the same answers as before, and the KPI topic gets no new event.
const BIRTHS = 'births_per_1000';
const T1 = '2026-01-05T08:00:00.000Z';
const T2 = '2026-02-05T08:00:00.000Z';

describe('recovery drills: publication', () => {
  const names = isolatedNames('drill');
  const fake = new FakeKpiCalculation();
  let env: Record<string, string>;
  let svc: PublicationUnderTest | undefined;
  let producer: KpiProducer;
  const kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'drill-test', log: () => undefined });
  const answer = async () => (await get(svc!.url, `/api/v1/indicators/${BIRTHS}/values?from=2022&to=2023`)).json<ValuesAnswer>();
  const topicEnd = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(names.topic)).map((p) => `${p.partition}:${p.high}`).sort().join(',');
    } finally {
      await admin.disconnect();
    }
  };
  let before: ValuesAnswer;

  beforeAll(async () => {
    await fake.start();
    env = baseEnv(names, { KPI_CALCULATION_URL: fake.url });
    svc = await startPublication(env);
    producer = new KpiProducer(svc.topic);
    // every region, two years, then a revision of 2023 (so that values carry history and `revised`)
    const first = REGIONS.flatMap((r, i) =>
      ['2022', '2023'].map((period) => kpiValue({ indicatorId: BIRTHS, regionCode: r.code, period, value: 5 + i / 100, computedAt: T1 })),
    );
    const revision = REGIONS.map((r, i) => kpiValue({ indicatorId: BIRTHS, regionCode: r.code, period: '2023', value: 6 + i / 100, computedAt: T2 }));
    await producer.publish(first);
    await producer.publish(revision);
    await waitUntil(async () => (await answer()).values.filter((v) => v.revised).length === REGIONS.length, 'every value published and revised');
    before = await answer();
  });

  afterAll(async () => {
    await svc?.close();
    await producer?.disconnect();
    await fake.stop();
    await cleanUp(env, names.prefix);
  });

  it('publication database wiped: rebuilt from the KPI topic, the same answers, no new KPI event', async () => {
    const end = await topicEnd();
    // runbook: stop publication, drop its database, reset its group to the earliest offsets, start it
    await svc!.close();
    svc = undefined;
    const connection = await mongoose.createConnection(env.MONGO_URL).asPromise();
    await connection.dropDatabase();
    expect((await connection.db!.listCollections().toArray()).length).toBe(0);
    await connection.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: env.PUBLICATION_CONSUMER_GROUP, topic: env.PUBLICATION_KPI_TOPIC, earliest: true });
    await admin.disconnect();
    svc = await startPublication(env);
    await waitUntil(async () => JSON.stringify(await answer()) === JSON.stringify(before), 'the same answers as before the wipe', 60_000);
    expect(await answer()).toEqual(before);
    expect(await topicEnd()).toBe(end);
  });

  it('Redis wiped: the same answers, the cache fills again, no new KPI event', async () => {
    const end = await topicEnd();
    await answer(); // cached
    const redis = new Redis(env.REDIS_URL);
    try {
      const keys = await redis.keys(`${names.prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
      expect(await redis.keys(`${names.prefix}:*`)).toEqual([]);
      expect(await answer()).toEqual(before);
      await waitUntil(async () => (await redis.keys(`${names.prefix}:*`)).length > 0, 'the cache filled again');
      expect(await answer()).toEqual(before);
    } finally {
      redis.disconnect();
    }
    expect(await topicEnd()).toBe(end);
  });
});
