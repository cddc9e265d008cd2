import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadEnvironment } from '@sozialmonitor/config';
import { ceSource, EVENT_TYPES, kpiValueKey, type KpiValuePayload } from '@sozialmonitor/contracts';
import { createKafka, deterministicId, EventPublisher, KafkaHealthIndicator } from '@sozialmonitor/messaging';
import { createHttpService } from '@sozialmonitor/platform';
import { computedRegions } from '@sozialmonitor/regions';
import Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublicationEnvironment } from '../src/publication.environment';
import { PublicationModule } from '../src/publication.module';

export const ANALYST_TOKEN = 'analyst-token-for-tests-0123456789';
export const INGEST_TOKEN = 'ingest-token-for-tests-0123456789';
export const API_TOKENS = JSON.stringify([
  { name: 'test-analyst', token: ANALYST_TOKEN, roles: ['analyst'] },
  { name: 'test-ingest', token: INGEST_TOKEN, roles: ['ingest'] },
]);

export const REGIONS = computedRegions();
export const MUNICIPALITY_CODES = REGIONS.filter((r) => r.level === 'municipality').map((r) => r.code);
export const ELMSHORN = '01056015';
export const COUNTY = '01056';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitUntil<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  ms = 30_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > end) throw new Error(`not reached in time: ${what}`);
    await sleep(50);
  }
}

/** A KPI value as kpi-calculation publishes it (comparison values by region level). */
export function kpiValue(
  over: Partial<KpiValuePayload> & { indicatorId: string; regionCode: string; period: string },
): KpiValuePayload {
  const region = REGIONS.find((r) => r.code === over.regionCode)!;
  const { regionCode: _r, ...rest } = over;
  return {
    indicatorVersion: 1,
    region: { code: region.code, level: region.level, name: region.name },
    unit: '‰',
    value: 1,
    suppressed: false,
    comparison:
      region.level === 'municipality' ? { county: 8.12, state: 7.9, germany: 8.2 } : { state: 7.9, germany: 8.2 },
    computedAt: new Date().toISOString(),
    ...rest,
  };
}

/** The token publication presents to kpi-calculation (KPI_CALCULATION_TOKEN); the fake insists on it. */
export const INTERNAL_TOKEN = 'publication-it-internal-token-0123';

/** A fake kpi-calculation service for on-demand Stichtage: every region, a value derived from the date. */
export class FakeKpiCalculation {
  calls = 0;
  failing = false;
  delayMs = 0;
  /** Values to answer instead of the generated ones (indicator → payloads). */
  readonly overrides = new Map<string, unknown[]>();
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const m = /^\/internal\/v1\/indicators\/([^/]+)\/values\?date=(\d{4}-\d{2}-\d{2})$/.exec(req.url ?? '');
    this.calls++;
    if (this.delayMs) await sleep(this.delayMs);
    if (this.failing) return void res.writeHead(503).end();
    if (req.headers.authorization !== `Bearer ${INTERNAL_TOKEN}`) return void res.writeHead(401).end();
    if (!m) return void res.writeHead(404).end();
    const [, id, date] = m;
    const values =
      this.overrides.get(id) ??
      REGIONS.map((r, i) =>
        kpiValue({
          indicatorId: id,
          regionCode: r.code,
          period: date,
          value: Number(`${date.slice(5, 7)}.${String(i).padStart(2, '0')}`),
          comparison:
            r.level === 'municipality' ? { county: 5, state: null, germany: null } : { state: null, germany: null },
        }),
      );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(values));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

export interface PublicationUnderTest {
  app: NestFastifyApplication;
  url: string;
  env: Record<string, string>;
  prefix: string;
  topic: string;
  close(): Promise<void>;
}

/** Names private to one test file: topic, consumer group, database and Redis prefix. */
export function isolatedNames(label: string) {
  const id = `${label}-${randomUUID().slice(0, 8)}`;
  return {
    topic: `test.publication.${id}`,
    group: `test-publication-${id}`,
    database: `test_publication_${id.replace(/-/g, '_')}`,
    prefix: `test:publication:${id}`,
  };
}

/** Starts the service as main.ts does (HTTP + batch consumer), on a free port. */
export async function startPublication(env: Record<string, string>): Promise<PublicationUnderTest> {
  const config = loadEnvironment(PublicationEnvironment, env);
  const app = await createHttpService(PublicationModule.forRoot(env), {
    ...PublicationModule.httpOptions(config),
    // The docs page needs @fastify/static, whose ESM dependency jest cannot load; the document itself is
    // built in the test from the same controllers.
    openApi: undefined,
  });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    env,
    prefix: config.PUBLICATION_CACHE_PREFIX,
    topic: config.PUBLICATION_KPI_TOPIC,
    close: async () => {
      // KafkaHealthIndicator keeps the admin client of /health/ready connected (no shutdown hook there).
      const health = app.get(KafkaHealthIndicator) as unknown as { admin?: { disconnect(): Promise<void> } };
      await app.close();
      await health.admin?.disconnect().catch(() => undefined);
    },
  };
}

export function baseEnv(
  names: ReturnType<typeof isolatedNames>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const mongo = new URL(process.env.MONGO_URL!);
  mongo.pathname = `/${names.database}`;
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    MONGO_URL: mongo.toString(),
    REDIS_URL: process.env.REDIS_URL!,
    API_TOKENS,
    KPI_CALCULATION_TOKEN: INTERNAL_TOKEN,
    TOPIC_PARTITIONS: '3',
    PUBLICATION_KPI_TOPIC: names.topic,
    CATALOGUE_TOPIC: `${names.topic}.catalogue`,
    PUBLICATION_CONSUMER_GROUP: names.group,
    PUBLICATION_CACHE_PREFIX: names.prefix,
    CONSUMER_MAX_RETRIES: '1',
    ...extra,
  };
}

/** Publishes KPI values to a topic as kpi-calculation does (CloudEvents, key `<indicator>:<region>:<period>`). */
export class KpiProducer {
  readonly kafka: Kafka;
  readonly publisher: EventPublisher;
  constructor(private readonly topic: string) {
    this.kafka = createKafka({
      brokers: process.env.KAFKA_BROKERS!,
      clientId: 'publication-test',
      log: () => undefined,
    });
    this.publisher = new EventPublisher(this.kafka);
  }

  async publish(values: readonly (KpiValuePayload | Record<string, unknown>)[]): Promise<void> {
    await this.publisher.publish(
      values.map((v) => {
        const key = kpiValueKey(v as KpiValuePayload);
        return {
          topic: this.topic,
          key,
          id: deterministicId(key, JSON.stringify(v)),
          type: EVENT_TYPES.kpiValue,
          source: ceSource('kpi-calculation'),
          subject: key,
          time: (v as KpiValuePayload).computedAt,
          data: v,
        };
      }),
    );
  }

  disconnect(): Promise<void> {
    return this.publisher.disconnect();
  }
}

/** Drops what a test file created in Kafka (its topic and consumer group), MongoDB and Redis. */
export async function cleanUp(env: Record<string, string>, prefix: string): Promise<void> {
  const admin = createKafka({
    brokers: env.KAFKA_BROKERS,
    clientId: 'publication-test-cleanup',
    log: () => undefined,
  }).admin();
  await admin.connect();
  await admin.deleteGroups([env.PUBLICATION_CONSUMER_GROUP, `${env.PUBLICATION_CONSUMER_GROUP}.webhooks`]).catch(() => undefined);
  await admin.deleteTopics({ topics: [env.PUBLICATION_KPI_TOPIC, env.CATALOGUE_TOPIC] }).catch(() => undefined);
  await admin.disconnect();
  const connection = await mongoose.createConnection(env.MONGO_URL).asPromise();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  const redis = new Redis(env.REDIS_URL);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: <T = Record<string, unknown>>() => T;
  ms: number;
}

export async function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(base + path, { headers });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
    ms: performance.now() - started,
  };
}

export interface ValuesAnswer {
  indicator: { id: string; unit: string; version: number };
  asOf?: string;
  values: {
    region: { code: string; name: string; level: string };
    period: string;
    value: number | null;
    suppressed: boolean;
    reason?: string;
    comparison: Record<string, number | null>;
    revised: boolean;
  }[];
}

/**
 * A report draft of the report tests: one section with one figure — births_per_1000 of Elmshorn and the
 * county over the two years before this one, as bars — and one recommendation (id `kita-ausbau`).
 */
export function reportDraft(id: string, title: string, status: 'proposed' | 'decided' = 'proposed') {
  const year = new Date().getFullYear();
  return {
    id,
    title,
    summary: 'Die wichtigsten Entwicklungen.',
    sections: [
      {
        field: 'Kinder und Familie',
        title: 'Geburten',
        text: 'Die Geburtenrate im Kreis.',
        figures: [
          {
            id: 'geburten',
            title: 'Geburtenrate',
            indicator: 'births_per_1000',
            regions: [ELMSHORN, COUNTY],
            periods: [String(year - 2), String(year - 1)],
            chart: 'bar',
          },
        ],
        recommendations: [{ id: 'kita-ausbau', text: 'Kita-Plätze in Elmshorn ausbauen', status }],
      },
    ],
  };
}
