/**
 * Example subscriber for another system: reads `sozialmonitor.kpi.values.v1` from the beginning with the
 * CloudEvents SDK and keeps a current table of published values. Copy this file; it needs only
 * `kafkajs` and `cloudevents` — nothing of the Sozialmonitor code base.
 *
 *   node tools/run-ts.js examples/subscriber/subscriber.ts --brokers 127.0.0.1:9092 [--indicator births_per_1000]
 *
 * The topic is compacted: reading it from the beginning gives the full current state, then every change.
 */
import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';

export interface KpiValue {
  indicatorId: string;
  indicatorVersion: number;
  region: { code: string; level: string; name: string };
  period: string;
  unit: string;
  value: number | null;
  suppressed: boolean;
  comparison: { county?: number | null; state: number | null; germany: number | null };
  computedAt: string;
}

export interface SubscriberOptions {
  brokers: string[];
  topic?: string;
  /** A group of your own: Kafka remembers how far it read. A new group starts at the beginning. */
  groupId: string;
  onChange?: (value: KpiValue, table: Map<string, KpiValue>) => void;
}

/** Turns a Kafka message into a CloudEvent with the SDK (binary content mode of the Kafka binding). */
export function toCloudEvent(message: KafkaMessage): CloudEvent<KpiValue> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = String(Array.isArray(v) ? v[0] : v);
  const kafkaMessage = { key: message.key?.toString() ?? '', value: message.value, headers, body: message.value };
  return CloudEventsKafka.toEvent(kafkaMessage as unknown as Parameters<typeof CloudEventsKafka.toEvent>[0]) as CloudEvent<KpiValue>;
}

export async function subscribe(options: SubscriberOptions): Promise<{ table: Map<string, KpiValue>; stop: () => Promise<void> }> {
  const kafka = new Kafka({ clientId: 'kpi-subscriber-example', brokers: options.brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: options.groupId });
  const table = new Map<string, KpiValue>();
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic ?? 'sozialmonitor.kpi.values.v1', fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = toCloudEvent(message);
      if (event.type !== 'de.sozialmonitor.kpi.value.v1' || !event.data) return;
      // The message key is `<indicatorId>:<regionCode>:<period>`; the latest message of a key is current.
      const value = typeof event.data === 'string' ? (JSON.parse(event.data) as KpiValue) : event.data;
      table.set(message.key!.toString(), value);
      options.onChange?.(value, table);
    },
  });
  return { table, stop: () => consumer.disconnect() };
}

function printTable(table: Map<string, KpiValue>, indicator?: string): void {
  const rows = [...table.values()]
    .filter((v) => !indicator || v.indicatorId === indicator)
    .sort((a, b) => a.indicatorId.localeCompare(b.indicatorId) || a.region.code.localeCompare(b.region.code) || a.period.localeCompare(b.period));
  console.table(
    rows.map((v) => ({
      indicator: v.indicatorId,
      region: v.region.name,
      period: v.period,
      value: v.suppressed ? '(suppressed)' : v.value,
      county: v.comparison.county ?? '',
      state: v.comparison.state ?? '',
      germany: v.comparison.germany ?? '',
    })),
  );
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help')) {
    console.log('usage: subscriber.ts --brokers host:port[,…] [--group id] [--indicator id] [--topic name]');
    process.exit(0);
  }
  const indicator = arg('indicator');
  let timer: NodeJS.Timeout | undefined;
  void subscribe({
    brokers: (arg('brokers') ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    topic: arg('topic'),
    groupId: arg('group') ?? `kpi-subscriber-example-${process.pid}`,
    // Print once the burst of the initial state has been read, then after each change.
    onChange: (_v, table) => {
      clearTimeout(timer);
      timer = setTimeout(() => printTable(table, indicator), 500);
    },
  }).then(({ stop }) => {
    for (const s of ['SIGINT', 'SIGTERM'] as const) process.once(s, () => void stop().then(() => process.exit(0)));
  });
}
