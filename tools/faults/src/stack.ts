import { topicSettings } from '@sozialmonitor/contracts';
import { createKafka, ensureTopics } from '@sozialmonitor/messaging';
import { freePort } from '@sozialmonitor/testing/free-port';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import type { Kafka } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ManagedProcess, serverProcess, serviceProcess } from './processes';

export type App = 'ingestion' | 'anonymization' | 'kpi-calculation' | 'publication';
export const APPS: App[] = ['ingestion', 'anonymization', 'kpi-calculation', 'publication'];

/** Kafka, FerretDB and Redis of the suite alone, on free ports and data under its temp folder. */
export class PrivateInfra {
  private constructor(
    readonly kafka: ManagedProcess,
    readonly ferretdb: ManagedProcess,
    readonly redis: ManagedProcess,
    readonly ports: { kafka: number; mongo: number; redis: number },
  ) {}

  static async start(dir: string): Promise<PrivateInfra> {
    const [kafka, controller, mongo, redis] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const infra = new PrivateInfra(
      serverProcess('kafka', join(dir, 'kafka'), [kafka, controller], dir),
      serverProcess('ferretdb', join(dir, 'ferretdb'), [mongo], dir),
      serverProcess('redis', join(dir, 'redis'), [redis], dir),
      { kafka, mongo, redis },
    );
    await Promise.all([infra.kafka.start(), infra.ferretdb.start(), infra.redis.start()]);
    // The contract's topics (the dead-letter topic is shared by all scenarios) exist before any service.
    const client = infra.client('faults-setup');
    await ensureTopics(client, topicSettings(), { partitions: 3, replicationFactor: 1 });
    return infra;
  }

  get brokers(): string {
    return `127.0.0.1:${this.ports.kafka}`;
  }

  mongoUrl(database: string): string {
    return `mongodb://127.0.0.1:${this.ports.mongo}/${database}`;
  }

  get redisUrl(): string {
    return `redis://127.0.0.1:${this.ports.redis}`;
  }

  client(clientId: string): Kafka {
    return createKafka({ brokers: this.brokers, clientId, log: () => undefined });
  }

  async stop(): Promise<void> {
    for (const p of [this.redis, this.ferretdb, this.kafka]) {
      await p.stop('SIGTERM', 20_000);
      p.close();
    }
  }
}

export interface Secrets {
  raw: string;
  pseudonym: string;
  ingest: string;
  admin: string;
  analyst: string;
  /** publication's token of the role `internal` for kpi-calculation's on-demand values (api.md). */
  internal: string;
}

export function newSecrets(): Secrets {
  const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
  return { raw: key('faults-raw'), pseudonym: key('faults-ps'), ingest: randomBytes(24).toString('base64url'), admin: randomBytes(24).toString('base64url'), analyst: randomBytes(24).toString('base64url'), internal: randomBytes(24).toString('base64url') };
}

export interface StackOptions {
  infra: PrivateInfra;
  secrets: Secrets;
  /** Names topics, groups, databases and the cache prefix of this scenario. */
  prefix: string;
  logDir: string;
  today: string;
  firstYear: number;
  suppressionThreshold: number;
  /** ingestion's MongoDB when it is not the shared private FerretDB (the read-only store scenario). */
  ingestionMongoUrl?: string;
  /** Instances per service (2 for the scaling scenario). */
  instances?: Partial<Record<App, number>>;
  /** Variables that replace or add to a service's environment (the benchmark's defaults and rate limit). */
  environment?: Partial<Record<App, Record<string, string>>>;
}

export interface ServiceInstance {
  app: App;
  name: string;
  url: string;
  process: ManagedProcess;
}

/** The four services of one scenario as child processes, on topics, groups and databases of the scenario. */
export class Stack {
  readonly services: ServiceInstance[] = [];
  private constructor(
    readonly options: StackOptions,
    readonly topics: PrivateTopics<'raw' | 'lake' | 'kpiValues' | 'control'>,
    readonly kafka: Kafka,
  ) {}

  static async create(options: StackOptions): Promise<Stack> {
    const kafka = options.infra.client(options.prefix);
    const topics = await createPrivateTopics(kafka, options.prefix, ['raw', 'lake', 'kpiValues', 'control']);
    const stack = new Stack(options, topics, kafka);
    const ports = new Map<string, number>();
    for (const app of APPS)
      for (let i = 1; i <= (options.instances?.[app] ?? 1); i++) ports.set(`${app}-${i}`, await freePort());
    const kpiUrl = `http://127.0.0.1:${ports.get('kpi-calculation-1')}`;
    for (const [name, port] of ports) {
      const app = name.replace(/-\d+$/, '') as App;
      stack.services.push({
        app,
        name,
        url: `http://127.0.0.1:${port}`,
        process: serviceProcess(app, `${options.prefix}-${name}`, port, { ...stack.environment(app, port, kpiUrl), ...options.environment?.[app] }, options.logDir),
      });
    }
    return stack;
  }

  get groups() {
    const p = this.options.prefix;
    return { anonymization: `${p}-anonymization`, kpi: `${p}-kpi-calculation`, publication: `${p}-publication` };
  }

  private environment(app: App, port: number, kpiUrl: string): Record<string, string> {
    const { infra, secrets, prefix } = this.options;
    const database = (service: string) => `sm_${prefix}_${service}`.replace(/-/g, '_');
    const common = {
      KAFKA_BROKERS: infra.brokers,
      FIRST_YEAR: String(this.options.firstYear),
      API_TOKENS: JSON.stringify([
        { name: 'faults-sources', token: secrets.ingest, roles: ['ingest'] },
        { name: 'faults-admin', token: secrets.admin, roles: ['admin'] },
        { name: 'faults-analyst', token: secrets.analyst, roles: ['analyst'] },
        { name: 'faults-publication', token: secrets.internal, roles: ['internal'] },
      ]),
    };
    const t = this.topics.names;
    switch (app) {
      case 'ingestion':
        return { ...common, MONGO_URL: this.options.ingestionMongoUrl ?? infra.mongoUrl(database('ingestion')), RAW_ENCRYPTION_KEYS: secrets.raw, INGESTION_PORT: String(port), RAW_TOPIC: t.raw, CONTROL_TOPIC: t.control };
      case 'anonymization':
        return {
          ...common,
          RAW_ENCRYPTION_KEYS: secrets.raw,
          PSEUDONYM_KEYS: secrets.pseudonym,
          ANONYMIZATION_GROUP_ID: this.groups.anonymization,
          ANONYMIZATION_PORT: String(port),
          RAW_TOPIC: t.raw,
          LAKE_TOPIC: t.lake,
        };
      case 'kpi-calculation':
        return {
          ...common,
          MONGO_URL: infra.mongoUrl(database('kpi')),
          KPI_CALCULATION_GROUP_ID: this.groups.kpi,
          LAKE_TOPIC: t.lake,
          KPI_VALUES_TOPIC: t.kpiValues,
          CONTROL_TOPIC: t.control,
          KPI_TODAY: this.options.today,
          RECOMPUTE_DELAY_MS: '500',
          PUBLISHER_LEASE_MS: '6000',
          SUPPRESSION_THRESHOLD: String(this.options.suppressionThreshold),
          KPI_CALCULATION_PORT: String(port),
        };
      case 'publication':
        return {
          ...common,
          MONGO_URL: infra.mongoUrl(database('publication')),
          REDIS_URL: infra.redisUrl,
          KPI_CALCULATION_URL: kpiUrl,
          KPI_CALCULATION_TOKEN: secrets.internal,
          PUBLICATION_KPI_TOPIC: t.kpiValues,
          PUBLICATION_CONSUMER_GROUP: this.groups.publication,
          PUBLICATION_CACHE_PREFIX: `faults:${prefix}:publication`,
          PUBLICATION_PORT: String(port),
        };
    }
  }

  instances(app: App): ServiceInstance[] {
    return this.services.filter((s) => s.app === app);
  }

  first(app: App): ServiceInstance {
    return this.instances(app)[0];
  }

  /** A running instance (the one asked by the API checks). */
  live(app: App): ServiceInstance {
    const found = this.instances(app).find((s) => s.process.running);
    if (!found) throw new Error(`no ${app} instance runs`);
    return found;
  }

  async start(): Promise<void> {
    await Promise.all(this.services.map((s) => s.process.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.process.stop('SIGTERM', 15_000)));
    for (const s of this.services) s.process.close();
  }
}
