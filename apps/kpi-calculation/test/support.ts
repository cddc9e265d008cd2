import type { INestApplication } from '@nestjs/common';
import {
  ceSource,
  EVENT_TYPES,
  type KpiValuePayload,
  lakeKey,
  type LakeMessage,
  TOPICS,
} from '@sozialmonitor/contracts';
import {
  type ConsumedEvent,
  createKafka,
  decodeCloudEvent,
  deterministicId,
  EventPublisher,
} from '@sozialmonitor/messaging';
import { createHttpService } from '@sozialmonitor/platform';
import type { Consumer, Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { KpiCalculationRuntime } from '../src/adapters/kpi-calculation.lifecycle';
import { RecomputeScheduler } from '../src/application/recompute-scheduler';
import { KpiCalculationEnvironment } from '../src/kpi-calculation.environment';
import { KpiCalculationModule } from '../src/kpi-calculation.module';
import { loadEnvironment } from '@sozialmonitor/config';
import { freePort } from '@sozialmonitor/testing/free-port';

/** The token with the role `internal` every test service accepts (api.md: the on-demand endpoint needs it). */
export const INTERNAL_TOKEN = 'kpi-it-internal-token-0123456789';
export const ANALYST_TOKEN = 'kpi-it-analyst-token-0123456789';
/** Headers of a call to the internal endpoint, as publication makes it. */
export const internalAuth = { authorization: `Bearer ${INTERNAL_TOKEN}` };

/** Topics, database and groups of their own: nothing another test or a running stack sees or sends. */
export async function isolatedEnvironment(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const run = randomUUID().slice(0, 8);
  const mongo = new URL(process.env.MONGO_URL!);
  mongo.pathname = `/kpi_it_${run}`;
  return {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    MONGO_URL: mongo.toString(),
    KPI_CALCULATION_GROUP_ID: `kpi-it-${run}`,
    LAKE_TOPIC: `test.kpi-${run}.lake`,
    KPI_VALUES_TOPIC: `test.kpi-${run}.values`,
    CONTROL_TOPIC: `test.kpi-${run}.control`,
    CATALOGUE_TOPIC: `test.kpi-${run}.catalogue`,
    KPI_CALCULATION_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    RECOMPUTE_DELAY_MS: '50',
    API_TOKENS: JSON.stringify([
      { name: 'publication', token: INTERNAL_TOKEN, roles: ['internal'] },
      { name: 'analyst', token: ANALYST_TOKEN, roles: ['analyst'] },
    ]),
    ...extra,
  };
}

export async function createTopics(kafka: Kafka, env: Record<string, string>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: env.LAKE_TOPIC, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        {
          topic: env.KPI_VALUES_TOPIC,
          numPartitions: 3,
          configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
        },
        { topic: env.CONTROL_TOPIC, numPartitions: 1 },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, env: Record<string, string>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [env.LAKE_TOPIC, env.KPI_VALUES_TOPIC, env.CONTROL_TOPIC, env.CATALOGUE_TOPIC] });
  } catch {
    // best effort
  } finally {
    await admin.disconnect();
  }
}

export function testKafka(): Kafka {
  return createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'kpi-calculation-test', log: () => undefined });
}

/** Publishes lake messages as the anonymization service does (key `<source>:<recordId>`). */
export async function publishLake(
  publisher: EventPublisher,
  topic: string,
  messages: readonly LakeMessage[],
): Promise<void> {
  await publisher.publish(
    messages.map((m) => {
      const key = lakeKey(m.source, m.recordId);
      return {
        topic,
        key,
        id: deterministicId(key, JSON.stringify(m)),
        type: EVENT_TYPES.lakeRecord,
        source: ceSource('anonymization'),
        data: m,
      };
    }),
  );
}

export interface RunningKpiCalculation {
  app: INestApplication;
  url: string;
  runtime: KpiCalculationRuntime;
  scheduler: RecomputeScheduler;
  stop(): Promise<void>;
}

/** Runs the service in this process and waits until the lake is loaded and the consumers run. */
export async function startKpiCalculation(env: Record<string, string>): Promise<RunningKpiCalculation> {
  const config = loadEnvironment(KpiCalculationEnvironment, env);
  // Without the OpenAPI page: @fastify/static does not load under jest's module system.
  const app = await createHttpService(KpiCalculationModule.forRoot(env), {
    ...KpiCalculationModule.httpOptions(config),
    openApi: undefined,
  });
  await app.listen(config.KPI_CALCULATION_PORT, '127.0.0.1');
  const runtime = app.get(KpiCalculationRuntime, { strict: false });
  await runtime.whenStarted();
  return {
    app,
    url: `http://127.0.0.1:${config.KPI_CALCULATION_PORT}`,
    runtime,
    scheduler: app.get(RecomputeScheduler, { strict: false }),
    stop: () => app.close(),
  };
}

/** Topics and a database of their own, a tail on the values topic, and the service started on `lake`. */
export interface KpiTestbed {
  env: Record<string, string>;
  kafka: Kafka;
  publisher: EventPublisher;
  tail: ValueTail;
  /** The instance started first. */
  service: RunningKpiCalculation;
  /**
   * Starts one more instance on the same topics and database (`extra` changes its environment; without
   * a port of its own it takes the testbed's, free once `service` has stopped: a restart).
   */
  startInstance(extra?: Record<string, string>): Promise<RunningKpiCalculation>;
  /** Stops every instance still running and the tail, removes the topics and the database. */
  stop(): Promise<void>;
}

export async function startTestbed(extra: Record<string, string>, lake: readonly LakeMessage[]): Promise<KpiTestbed> {
  const env = await isolatedEnvironment(extra);
  const kafka = testKafka();
  const publisher = new EventPublisher(kafka);
  let tail: ValueTail | undefined;
  const running = new Set<RunningKpiCalculation>();
  const startInstance = async (more: Record<string, string> = {}): Promise<RunningKpiCalculation> => {
    const started = await startKpiCalculation({ ...env, ...more });
    const instance: RunningKpiCalculation = {
      ...started,
      stop: async () => {
        running.delete(instance);
        await started.stop();
      },
    };
    running.add(instance);
    return instance;
  };
  const stop = async () => {
    for (const instance of [...running]) await instance.stop();
    await tail?.stop();
    await publisher.disconnect();
    await deleteTopics(kafka, env);
    await dropDatabase(env.MONGO_URL);
  };
  try {
    await createTopics(kafka, env);
    await publishLake(publisher, env.LAKE_TOPIC, lake);
    tail = await ValueTail.start(kafka, env.KPI_VALUES_TOPIC);
    const service = await startInstance();
    return { env, kafka, publisher, tail, service, startInstance, stop };
  } catch (error) {
    // what started is stopped here: the caller's afterAll has no testbed to stop
    await stop().catch(() => undefined);
    throw error;
  }
}

/** Everything published to a topic since `start` (from the beginning of a fresh test topic). */
export class ValueTail {
  readonly events: ConsumedEvent[] = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka, topic: string): Promise<ValueTail> {
    const consumer = kafka.consumer({ groupId: `kpi-it-tail-${randomUUID()}`, allowAutoTopicCreation: false });
    const tail = new ValueTail(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic: t, partition, message }) =>
        void tail.events.push(decodeCloudEvent(t, partition, message)),
    });
    return tail;
  }

  payloads(): KpiValuePayload[] {
    return this.events.map((e) => JSON.parse(e.value!.toString('utf8')) as KpiValuePayload);
  }

  /** The last published payload per key. */
  latest(): Map<string, KpiValuePayload> {
    const out = new Map<string, KpiValuePayload>();
    for (const p of this.payloads()) out.set(`${p.indicatorId}:${p.region.code}:${p.period}`, p);
    return out;
  }

  async waitUntil(condition: () => boolean, what: string, timeoutMs = 90_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${this.events.length} events so far)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Headers of the dead letters published after `start` (the dead-letter topic is shared: filter!). */
export class DeadLetterTail {
  readonly headers: Array<Record<string, string>> = [];
  private constructor(private readonly consumer: Consumer) {}

  static async start(kafka: Kafka): Promise<DeadLetterTail> {
    const consumer = kafka.consumer({ groupId: `kpi-it-dlq-${randomUUID()}`, allowAutoTopicCreation: false });
    const tail = new DeadLetterTail(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPICS.deadLetter], fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) =>
        void tail.headers.push(decodeCloudEvent(topic, partition, message).headers),
    });
    return tail;
  }

  async waitFor(match: (headers: Record<string, string>) => boolean, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!this.headers.some(match)) {
      if (Date.now() > end) throw new Error('no matching dead letter arrived');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Waits until the service's group has committed every message of the lake topic. */
export async function waitForCatchUp(kafka: Kafka, groupId: string, topic: string, timeoutMs = 90_000): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const high = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = high.some((h) => {
        const c = committed.partitions.find((p) => p.partition === h.partition);
        return Number(h.high) > 0 && (!c || Number(c.offset) < Number(h.high));
      });
      if (!behind) return;
      if (Date.now() > end) throw new Error('the service did not catch up with the lake topic');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

export async function dropDatabase(mongoUrl: string): Promise<void> {
  const { default: mongoose } = await import('mongoose');
  const c = await mongoose.createConnection(mongoUrl).asPromise();
  await c.dropDatabase();
  await c.close();
}

export { EventPublisher };
