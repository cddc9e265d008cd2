import { createKafka } from '@sozialmonitor/messaging';
import { deleteRedisKeysUnder, dropMongoDatabases } from '@sozialmonitor/testing/clean-up';
import { deleteGroupsStartingWith } from '@sozialmonitor/testing/consumer-groups';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import { freePort } from '@sozialmonitor/testing/free-port';
import type { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isolatedMongoUrl, keyRing, token } from '../protected-zone/support/fixtures';
import { startService, type RunningService } from '../protected-zone/support/running-service';

export type ServiceName = 'ingestion' | 'anonymization' | 'kpi-calculation' | 'publication';
export const SERVICE_NAMES: readonly ServiceName[] = ['ingestion', 'anonymization', 'kpi-calculation', 'publication'];

/** The four services as real processes, each on a free port with this run's topics, groups, databases and Redis prefix. */
export interface ContractStack {
  readonly services: Readonly<Record<ServiceName, RunningService>>;
  /** A token with every role (ingest for all sources, analyst, admin). */
  readonly allRoles: string;
  /** A token with the analyst role only (no admin): for operations the fuzzer must not run as admin. */
  readonly analyst: string;
  stop(): Promise<void>;
}

/**
 * Starts ingestion, anonymization, kpi-calculation and publication against the shared Kafka, FerretDB
 * and Redis (KAFKA_BROKERS, MONGO_URL, REDIS_URL) in isolation: nothing of it touches the contract
 * topics except the shared dead-letter and control topics, which every service reads by design.
 */
export async function startContractStack(
  run = randomUUID().slice(0, 8),
  /** More API_TOKENS entries every service accepts (the auth matrix's tokens of each role and source). */
  extraTokens: readonly object[] = [],
): Promise<ContractStack> {
  const prefix = `contract-${run}`;
  const kafka: Kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: prefix, log: () => undefined });
  const topics: PrivateTopics<'raw' | 'lake' | 'kpiValues' | 'control' | 'sources'> = await createPrivateTopics(
    kafka,
    `test.${prefix}`,
    ['raw', 'lake', 'kpiValues', 'control', 'sources'],
    1,
  );
  const databases = {
    ingestion: `sm_${prefix}_ingestion`.replace(/-/g, '_'),
    kpi: `sm_${prefix}_kpi`.replace(/-/g, '_'),
    publication: `sm_${prefix}_publication`.replace(/-/g, '_'),
  };
  const redisPrefix = `test:${prefix}:publication`;
  const mongoUrl = (database: string) => isolatedMongoUrl(process.env.MONGO_URL!, database);
  const rawKeys = keyRing(`${prefix}-raw`);
  const allRoles = token();
  const analyst = token();
  const internal = token();
  const API_TOKENS = JSON.stringify([
    { name: `${prefix}-publication`, token: internal, roles: ['internal'] },
    { name: `${prefix}-all`, token: allRoles, roles: ['ingest', 'analyst', 'admin'] },
    { name: `${prefix}-analyst`, token: analyst, roles: ['analyst'] },
    ...extraTokens,
  ]);
  const ports = {
    ingestion: await freePort(),
    anonymization: await freePort(),
    kpi: await freePort(),
    publication: await freePort(),
  };
  // The fuzzer's request rate is not a client's: the per-client limit (429) is tested in libs/platform.
  const common = {
    KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
    LOG_LEVEL: 'warn',
    API_TOKENS,
    FIRST_YEAR: '2015',
    HTTP_RATE_LIMIT_PER_MINUTE: '1000000',
    // the fuzzer calls the source admin API as admin: what it might register stays in this run
    SOURCES_TOPIC: topics.names.sources,
  };
  // A page in place of the Vite build (which this test does not run): GET / answers 200 with it.
  const webDir = mkdtempSync(join(tmpdir(), 'sm-contract-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><html lang="de"><title>Sozialmonitor</title></html>');
  const started: RunningService[] = [];
  const start = async (app: ServiceName, env: Record<string, string>, port: number) => {
    const s = await startService(app, { ...common, ...env }, port);
    started.push(s);
    return s;
  };
  const cleanUp = async () => {
    const failures: string[] = [];
    const steps: Array<() => Promise<unknown>> = [
      () => Promise.all(started.map((s) => s.stop())),
      () => topics.remove(),
      () => dropMongoDatabases(Object.values(databases).map(mongoUrl)),
      () => deleteRedisKeysUnder(process.env.REDIS_URL!, redisPrefix),
      // Longer than the end-to-end test waits: the fuzzer starts real replays (of this run's groups), and a
      // consumer restarted by one while its service shut down stays a member until its session times out.
      () => deleteGroupsStartingWith(kafka, prefix, 120),
    ];
    for (const step of steps) await step().catch((e: Error) => failures.push(e.message));
    if (failures.length) throw new Error(`clean-up failed: ${failures.join('; ')}`);
  };
  try {
    const [ingestion, anonymization, kpi] = await Promise.all([
      start(
        'ingestion',
        {
          MONGO_URL: mongoUrl(databases.ingestion),
          RAW_ENCRYPTION_KEYS: rawKeys,
          INGESTION_PORT: String(ports.ingestion),
          RAW_TOPIC: topics.names.raw,
          CONTROL_TOPIC: topics.names.control,
        },
        ports.ingestion,
      ),
      start(
        'anonymization',
        {
          RAW_ENCRYPTION_KEYS: rawKeys,
          PSEUDONYM_KEYS: keyRing(`${prefix}-ps`),
          ANONYMIZATION_GROUP_ID: `${prefix}-anonymization`,
          ANONYMIZATION_PORT: String(ports.anonymization),
          RAW_TOPIC: topics.names.raw,
          LAKE_TOPIC: topics.names.lake,
        },
        ports.anonymization,
      ),
      start(
        'kpi-calculation',
        {
          MONGO_URL: mongoUrl(databases.kpi),
          KPI_CALCULATION_GROUP_ID: `${prefix}-kpi-calculation`,
          LAKE_TOPIC: topics.names.lake,
          KPI_VALUES_TOPIC: topics.names.kpiValues,
          CONTROL_TOPIC: topics.names.control,
          KPI_CALCULATION_PORT: String(ports.kpi),
        },
        ports.kpi,
      ),
    ]);
    const publication = await start(
      'publication',
      {
        MONGO_URL: mongoUrl(databases.publication),
        REDIS_URL: process.env.REDIS_URL!,
        KPI_CALCULATION_URL: kpi.url,
        KPI_CALCULATION_TOKEN: internal,
        PUBLICATION_WEB_DIR: webDir,
        PUBLICATION_KPI_TOPIC: topics.names.kpiValues,
        PUBLICATION_CONSUMER_GROUP: `${prefix}-publication`,
        PUBLICATION_CACHE_PREFIX: redisPrefix,
        PUBLICATION_PORT: String(ports.publication),
      },
      ports.publication,
    );
    return {
      services: { ingestion, anonymization, 'kpi-calculation': kpi, publication },
      allRoles,
      analyst,
      stop: cleanUp,
    };
  } catch (e) {
    await cleanUp().catch(() => undefined);
    throw e;
  }
}
