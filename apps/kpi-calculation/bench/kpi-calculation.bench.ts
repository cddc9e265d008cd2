/**
 * Benchmark of the kpi-calculation service (not a test; `npm run bench -- kpi-calculation`):
 * 1. bulk load: ≥ 1 million synthetic lake records on a lake topic of its own → the service stores them
 *    in MongoDB and counts them → records/s until the consumer group has committed everything, then
 *    the first publication of every value;
 * 2. latency: one corrected record → its changed kpi.values event (median of several);
 * 3. restart: loading the lake from MongoDB into the engine.
 * Topics, database and consumer groups are its own and are removed at the end.
 */
import { ceSource, EVENT_TYPES, lakeKey, type LakeRecord } from '@sozialmonitor/contracts';
import { decodeCloudEvent, deterministicId, type OutgoingEvent } from '@sozialmonitor/messaging';
import { randomUUID } from 'node:crypto';
import { syntheticLake } from '../../../bench/synthetic-lake';
import {
  createTopics,
  deleteTopics,
  dropDatabase,
  EventPublisher,
  isolatedEnvironment,
  startKpiCalculation,
  testKafka,
  waitForCatchUp,
} from '../test/support';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const seconds = (t0: number): number => (Date.now() - t0) / 1000;

async function main(): Promise<void> {
  const env = await isolatedEnvironment({ FIRST_YEAR: '2015', LOG_LEVEL: 'warn' });
  const kafka = testKafka();
  await createTopics(kafka, env);
  const publisher = new EventPublisher(kafka);
  let service: Awaited<ReturnType<typeof startKpiCalculation>> | undefined;
  try {
    // 1. produce the lake
    let t = Date.now();
    let produced = 0;
    let batch: OutgoingEvent[] = [];
    let sample: LakeRecord | undefined;
    const flush = async () => {
      await publisher.publish(batch);
      produced += batch.length;
      batch = [];
    };
    for (const r of syntheticLake({ records: RECORDS, seed: 7 })) {
      if (!sample && r.source === 'population' && r.validTo === null && r.startReason === 'initial') sample = r;
      const key = lakeKey(r.source, r.recordId);
      batch.push({
        topic: env.LAKE_TOPIC,
        key,
        id: deterministicId(key),
        type: EVENT_TYPES.lakeRecord,
        source: ceSource('bench'),
        data: r,
      });
      if (batch.length === 5000) await flush();
    }
    await flush();
    console.log(`produced ${fmt(produced)} lake records in ${fmt(seconds(t))} s`);

    // 2. bulk load through the service
    t = Date.now();
    service = await startKpiCalculation(env);
    await waitForCatchUp(kafka, env.KPI_CALCULATION_GROUP_ID, env.LAKE_TOPIC, 60 * 60_000);
    const loadSeconds = seconds(t);
    console.log(
      `bulk load: ${fmt(produced)} records stored and counted in ${fmt(loadSeconds)} s = ${fmt(produced / loadSeconds)} records/s`,
    );
    await new Promise((r) => setTimeout(r, 1000));
    await service.scheduler.idle();
    console.log(`first publication of every value done ${fmt(seconds(t))} s after start`);

    // 3. one corrected record → its kpi.values event
    const consumer = kafka.consumer({ groupId: `bench-tail-${randomUUID()}` });
    const arrivals: Array<{ key: string; at: number; value: unknown }> = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [env.KPI_VALUES_TOPIC], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const e = decodeCloudEvent(topic, partition, message);
        arrivals.push({ key: e.key ?? '', at: Date.now(), value: JSON.parse(e.value!.toString()).value });
      },
    });
    await new Promise((r) => setTimeout(r, 3000)); // the tail has joined its group
    const latencies: number[] = [];
    for (let i = 0; i < 7; i++) {
      const moved = i % 2 === 0 ? { ...sample!, ags: sample!.ags === '01056015' ? '01056039' : '01056015' } : sample!;
      const watched = `population:${i % 2 === 0 ? moved.ags : sample!.ags === '01056015' ? '01056039' : '01056015'}:current`;
      const from = arrivals.length;
      const sent = Date.now();
      const key = lakeKey(moved.source, moved.recordId);
      await publisher.publish([
        {
          topic: env.LAKE_TOPIC,
          key,
          id: deterministicId(key, String(i)),
          type: EVENT_TYPES.lakeRecord,
          source: ceSource('bench'),
          data: moved,
        },
      ]);
      for (;;) {
        const hit = arrivals.slice(from).find((a) => a.key === watched);
        if (hit) {
          latencies.push(hit.at - sent);
          break;
        }
        if (Date.now() - sent > 60_000) throw new Error('no kpi.values event within 60 s');
        await new Promise((r) => setTimeout(r, 5));
      }
      await service.scheduler.idle();
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `corrected record → changed kpi.values event: median ${latencies[3]} ms (min ${latencies[0]}, max ${latencies[6]})`,
    );
    await consumer.disconnect();

    // 4. restart: the lake from MongoDB into the engine
    await service.stop();
    service = undefined;
    t = Date.now();
    service = await startKpiCalculation(env);
    const loaded = seconds(t);
    console.log(
      `restart: lake loaded from MongoDB and ready in ${fmt(loaded)} s (${fmt(produced / loaded)} records/s)`,
    );
  } finally {
    await service?.stop();
    await publisher.disconnect();
    await deleteTopics(kafka, env);
    await dropDatabase(env.MONGO_URL);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
