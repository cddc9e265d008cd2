/**
 * Benchmark of the publication service (not a test; `npm run bench -- publication`):
 * 1. first publication: every value of the catalogue (indicators × regions × periods, as kpi-calculation
 *    publishes them after a bulk load) on a KPI topic of its own → values/s until the service has
 *    consumed them all (its consumer group has committed the end of the topic);
 * 2. a revision round: every value again with a new figure → values/s;
 * 3. start of a second instance: loading the publication log into memory, and its heap;
 * 4. reads: answers/s of one values query (from the Redis cache, and with `asOf`, which bypasses it).
 * Topic, consumer group, database and cache keys are its own and are removed at the end.
 */
import { defaultCatalogue } from '@sozialmonitor/indicators';
import { computedRegions } from '@sozialmonitor/regions';
import { createKafka } from '@sozialmonitor/messaging';
import type { KpiValuePayload } from '@sozialmonitor/contracts';
import { baseEnv, cleanUp, get, isolatedNames, KpiProducer, kpiValue, startPublication } from '../test/harness';

const YEARS = Number(process.env.BENCH_YEARS ?? 12);
const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const seconds = (t0: number): number => (Date.now() - t0) / 1000;
const mib = (bytes: number): string => fmt(bytes / 1024 / 1024);

function allValues(round: number): KpiValuePayload[] {
  const ids = defaultCatalogue()
    .active()
    .map((i) => i.id);
  const periods = [...Array.from({ length: YEARS }, (_, i) => String(2015 + i)), 'current'];
  const computedAt = new Date(Date.UTC(2026, 0, 1 + round)).toISOString();
  const out: KpiValuePayload[] = [];
  for (const indicatorId of ids)
    for (const region of computedRegions())
      for (const period of periods)
        out.push(
          kpiValue({ indicatorId, regionCode: region.code, period, value: round + out.length / 1000, computedAt }),
        );
  return out;
}

async function waitForCommitted(env: Record<string, string>): Promise<void> {
  const admin = createKafka({
    brokers: env.KAFKA_BROKERS,
    clientId: 'publication-bench',
    log: () => undefined,
  }).admin();
  await admin.connect();
  try {
    for (;;) {
      const ends = await admin.fetchTopicOffsets(env.PUBLICATION_KPI_TOPIC);
      const [committed] = await admin.fetchOffsets({
        groupId: env.PUBLICATION_CONSUMER_GROUP,
        topics: [env.PUBLICATION_KPI_TOPIC],
      });
      const at = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
      if (ends.every((e) => (at.get(e.partition) ?? -1) >= Number(e.high))) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const names = isolatedNames('bench');
  const env = baseEnv(names, { TOPIC_PARTITIONS: '3' });
  const producer = new KpiProducer(names.topic);
  const first = await startPublication(env);
  let second: Awaited<ReturnType<typeof startPublication>> | undefined;
  try {
    for (const [round, label] of [
      [0, 'first publication'],
      [1, 'revision of every value'],
    ] as const) {
      const values = allValues(round);
      const t = Date.now();
      for (let i = 0; i < values.length; i += 2000) await producer.publish(values.slice(i, i + 2000));
      const produced = seconds(t);
      await waitForCommitted(env);
      const s = seconds(t);
      console.log(
        `${label}: ${fmt(values.length)} values produced in ${fmt(produced)} s, consumed in ${fmt(s)} s = ${fmt(values.length / s)} values/s`,
      );
    }

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t = Date.now();
    second = await startPublication(env); // same deployment: loads the log, consumes nothing again
    global.gc?.();
    console.log(
      `second instance: started (publication log loaded) in ${fmt(seconds(t))} s; heap +${mib(process.memoryUsage().heapUsed - heapBefore)} MiB for its read model and app`,
    );

    await second.close();
    second = undefined;

    const path = '/api/v1/indicators/births_per_1000/values?from=2015&to=2026';
    for (const [label, query] of [
      ['from the cache', ''],
      ['asOf, past the cache', '&asOf=2099-01-01T00:00:00Z'],
    ] as const) {
      await get(first.url, path + query);
      const n = 300;
      const t0 = Date.now();
      for (let i = 0; i < n; i++) await get(first.url, path + query);
      console.log(
        `reads (${label}, one client, ${n} requests, 12 years × 50 regions): ${fmt(n / seconds(t0))} answers/s`,
      );
    }
  } finally {
    await second?.close();
    await first.close();
    await producer.disconnect();
    await cleanUp(env, names.prefix);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
