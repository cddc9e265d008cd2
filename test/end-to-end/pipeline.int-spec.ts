import { KafkaEnvironment } from '@sozialmonitor/config';
import { EVENT_TYPES, kpiValueKey, topicSettings, TOPICS, type KpiValuePayload } from '@sozialmonitor/contracts';
import { ConsumerGroupAdmin, createKafka, ensureTopics, readTopic, type ConsumedEvent } from '@sozialmonitor/messaging';
import {
  KEY_ID_HEADER,
  parseKeyRing,
  Pseudonymizer,
  recordPseudonymDomain,
  RecordSealer,
  sealingAad,
} from '@sozialmonitor/privacy';
import { COUNTY_CODE, MUNICIPALITIES } from '@sozialmonitor/regions';
import Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncApiViolation, messageKeyPattern } from '../../docs/asyncapi-schemas';
import { deliverFile, filesToDeliver, resendOn503, type DeliveryAnswer } from '../../tools/demo/src/delivery-client';
import { parseDay } from '../../tools/generator/src/dates';
import { generate, type Manifest } from '../../tools/generator/src/generate';
import { isolatedMongoUrl, keyRing, token } from '../protected-zone/support/fixtures';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import { freePort } from '@sozialmonitor/testing/free-port';
import { startService, type RunningService } from '../protected-zone/support/running-service';
import { TopicTail } from '../protected-zone/support/topic-tail';

/**
 * The whole pipeline as real processes on real Kafka, FerretDB and Redis: a small synthetic Kreis
 * Pinneberg from tools/generator is delivered through ingestion's HTTP API like the source systems
 * would, and what publication answers is checked against the generator's truth; every raw, lake and
 * KPI message the services produced is checked against docs/asyncapi.yaml.
 *
 * Isolation: every service runs on topics (RAW_TOPIC, LAKE_TOPIC, …), groups, databases and a Redis
 * prefix of this run; only the dead-letter topic is shared. kpi-calculation starts once anonymization
 * has written the whole lake, so its first round sees all of it and every value is published exactly
 * once.
 */
const SCALE = 0.005; // ≈ 1,700 inhabitants, ≈ 7,500 records
const SEED = 1;
const FIRST_YEAR = 2015;
const SUPPRESSION_THRESHOLD = 3;
const ELMSHORN = MUNICIPALITIES.find((m) => m.shortName === 'Elmshorn')!.ags;
const REGION_CODES = [...MUNICIPALITIES.map((m) => m.ags), COUNTY_CODE];

interface ApiValue {
  region: { code: string; name: string; level: string };
  period: string;
  value: number | null;
  suppressed: boolean;
  reason?: string;
  comparison: { county?: number | null; state: number | null; germany: number | null };
  revised: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jsonOfEvent = (e: ConsumedEvent) => JSON.parse(e.value!.toString('utf8')) as Record<string, unknown>;

/** Polls `check` (true = reached, a string = how far it is) until reached; the error says how far it got. */
async function waitFor(what: string, timeoutMs: number, check: () => Promise<true | string>, logs?: () => string) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = await check().catch((e: Error) => `check failed: ${e.message}`);
    if (state === true) return;
    if (Date.now() > end) {
      const tail = logs ? `\nlast log lines:\n${logs().slice(-3000)}` : '';
      throw new Error(`${what}: not reached within ${timeoutMs / 1000} s (${state})${tail}`);
    }
    await sleep(500);
  }
}

/** Every message once (a redelivered copy has the same key, ce_id and ce_time). */
function distinctOf(events: readonly ConsumedEvent[]): ConsumedEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const id = `${e.key}\n${e.id}\n${e.time}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Deletes every consumer group whose name starts with `prefix`; a group whose members are still leaving is tried again. */
async function deleteGroupsStartingWith(kafka: Kafka, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      const ours = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      if (ours.length === 0) return;
      try {
        await admin.deleteGroups(ours);
        return;
      } catch (e) {
        // Groups already gone drop out of the next listing; non-empty ones get another try (a consumer
        // cut off by a service's forced exit stays a member until its session times out, 30 s).
        const failed = (e as { groups?: { groupId: string; error?: { type?: string } }[] }).groups ?? [];
        if (attempt >= 45)
          throw new Error(
            `consumer groups not deleted: ${failed.map((g) => `${g.groupId} (${g.error?.type})`).join(', ')}`,
          );
        await sleep(1000);
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Every violation of docs/asyncapi.yaml by consumed messages of one message kind: payload, headers, key. */
function contractViolations(message: string, events: readonly ConsumedEvent[], payload: boolean): string[] {
  const keyPattern = messageKeyPattern(message);
  return events.flatMap((e) => {
    const where = `${e.topic}/${e.partition}@${e.offset} (${e.key})`;
    const found = [
      asyncApiViolation(`messages/${message}/headers`, e.headers),
      payload ? asyncApiViolation(`messages/${message}/payload`, jsonOfEvent(e)) : null,
      keyPattern.test(e.key ?? '') ? null : `key does not match ${keyPattern}`,
    ];
    return found.filter((v): v is string => v !== null).map((v) => `${where}: ${v}`);
  });
}

describe('pipeline end to end: generated county → ingestion → anonymization → kpi-calculation → publication', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `e2e-${run}`;
  const names = {
    anonymizationGroup: `${prefix}-anonymization`,
    kpiGroup: `${prefix}-kpi-calculation`,
    publicationGroup: `${prefix}-publication`,
    databases: [`sm_${prefix}_ingestion`, `sm_${prefix}_kpi`, `sm_${prefix}_publication`].map((d) =>
      d.replace(/-/g, '_'),
    ),
    redisPrefix: `test:${prefix}:publication`,
  };
  const rawKeyId = `${prefix}-raw`;
  const pseudonymKeyId = `${prefix}-ps`;
  const secrets = { raw: keyRing(rawKeyId), pseudonym: keyRing(pseudonymKeyId), ingest: token(), internal: token() };
  // "today" in the county's time zone: the generator's last day and kpi-calculation's `current`.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
  const lastYear = Number(today.slice(0, 4)) - 1;
  const years = Array.from({ length: lastYear - FIRST_YEAR + 1 }, (_, i) => String(FIRST_YEAR + i));
  const dataDir = mkdtempSync(join(tmpdir(), 'sm-e2e-'));

  let kafka: Kafka;
  let topics: PrivateTopics<'raw' | 'lake' | 'kpiValues' | 'control'>;
  let manifest: Manifest;
  let raw: TopicTail;
  let lake: TopicTail;
  let deadLetters: TopicTail;
  const services: Partial<Record<'ingestion' | 'anonymization' | 'kpi-calculation' | 'publication', RunningService>> =
    {};
  const answers: { file: string; records: number; answer: DeliveryAnswer }[] = [];
  let rawMessages: ConsumedEvent[] = [];
  let lakeMessages: ConsumedEvent[] = [];
  let kpiMessages: ConsumedEvent[] = [];
  let activeIndicators: string[] = [];

  const mongoUrl = (database: string) => isolatedMongoUrl(process.env.MONGO_URL!, database);

  async function api(path: string): Promise<ApiValue[]> {
    const res = await fetch(`${services.publication!.url}${path}`);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
    return ((await res.json()) as { values: ApiValue[] }).values;
  }

  async function onDemand(indicator: string, date: string): Promise<KpiValuePayload[]> {
    const path = `/internal/v1/indicators/${indicator}/values?date=${date}`;
    const res = await fetch(`${services['kpi-calculation']!.url}${path}`, {
      headers: { authorization: `Bearer ${secrets.internal}` },
    });
    if (res.status !== 200) throw new Error(`kpi-calculation GET ${path} answered ${res.status}`);
    return (await res.json()) as KpiValuePayload[];
  }

  /** The value published on the KPI topic for a key (each is published once; see the test). */
  const published = (key: string) => {
    const e = kpiMessages.find((m) => m.key === key);
    if (!e) throw new Error(`no KPI message with key ${key}`);
    return jsonOfEvent(e) as unknown as KpiValuePayload;
  };

  beforeAll(async () => {
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: prefix, log: () => undefined });
    // The contract's topics as the services create them (on a fresh broker this test may run before any
    // service did: the dead-letter topic is shared), and the run's own topics for everything else.
    await ensureTopics(kafka, topicSettings(), {
      partitions: new KafkaEnvironment().TOPIC_PARTITIONS,
      replicationFactor: 1,
    });
    topics = await createPrivateTopics(kafka, `test.${prefix}`, ['raw', 'lake', 'kpiValues', 'control']);
    [raw, lake, deadLetters] = await Promise.all([
      TopicTail.start(kafka, topics.names.raw, `${prefix}-tail-raw`),
      TopicTail.start(kafka, topics.names.lake, `${prefix}-tail-lake`),
      TopicTail.start(kafka, TOPICS.deadLetter, `${prefix}-tail-deadletter`),
    ]);

    manifest = await generate({
      scale: SCALE,
      seed: SEED,
      out: dataDir,
      from: parseDay(`${FIRST_YEAR}-01-01`)!,
      today: parseDay(today)!,
      todayFromClock: false,
      formats: ['csv', 'ndjson', 'json'],
    });

    const ports = {
      ingestion: await freePort(),
      anonymization: await freePort(),
      kpi: await freePort(),
      publication: await freePort(),
    };
    const common = { KAFKA_BROKERS: process.env.KAFKA_BROKERS!, LOG_LEVEL: 'warn', FIRST_YEAR: String(FIRST_YEAR) };
    const [databaseOfIngestion, databaseOfKpi, databaseOfPublication] = names.databases;
    [services.ingestion, services.anonymization, services.publication] = await Promise.all([
      startService(
        'ingestion',
        {
          ...common,
          MONGO_URL: mongoUrl(databaseOfIngestion),
          RAW_ENCRYPTION_KEYS: secrets.raw,
          API_TOKENS: JSON.stringify([{ name: `${prefix}-sources`, token: secrets.ingest, roles: ['ingest'] }]),
          INGESTION_PORT: String(ports.ingestion),
          RAW_TOPIC: topics.names.raw,
          CONTROL_TOPIC: topics.names.control,
        },
        ports.ingestion,
      ),
      startService(
        'anonymization',
        {
          ...common,
          RAW_ENCRYPTION_KEYS: secrets.raw,
          PSEUDONYM_KEYS: secrets.pseudonym,
          ANONYMIZATION_GROUP_ID: names.anonymizationGroup,
          ANONYMIZATION_PORT: String(ports.anonymization),
          RAW_TOPIC: topics.names.raw,
          LAKE_TOPIC: topics.names.lake,
        },
        ports.anonymization,
      ),
      startService(
        'publication',
        {
          ...common,
          MONGO_URL: mongoUrl(databaseOfPublication),
          REDIS_URL: process.env.REDIS_URL!,
          KPI_CALCULATION_URL: `http://127.0.0.1:${ports.kpi}`,
          KPI_CALCULATION_TOKEN: secrets.internal,
          PUBLICATION_KPI_TOPIC: topics.names.kpiValues,
          PUBLICATION_CONSUMER_GROUP: names.publicationGroup,
          PUBLICATION_CACHE_PREFIX: names.redisPrefix,
          PUBLICATION_PORT: String(ports.publication),
        },
        ports.publication,
      ),
    ]);

    // Deliver like the source systems: every file of delivery 1, then the corrections of delivery 2.
    for (const delivery of [1, 2]) {
      for (const file of filesToDeliver(manifest, delivery)) {
        const answer = await resendOn503(() =>
          deliverFile({
            baseUrl: services.ingestion!.url,
            token: secrets.ingest,
            source: file.source,
            file: join(dataDir, file.path),
            format: file.format,
          }),
        );
        answers.push({ file: file.path, records: file.records, answer });
      }
    }
    const accepted = answers.reduce((n, a) => n + a.answer.accepted, 0);

    await waitFor(`${accepted} raw messages of this run`, 60_000, async () => {
      rawMessages = distinctOf(raw.events);
      return rawMessages.length >= accepted || `${rawMessages.length} so far`;
    });
    await waitFor(
      `${accepted} lake messages of this run`,
      120_000,
      async () => {
        lakeMessages = distinctOf(lake.events);
        return lakeMessages.length >= accepted || `${lakeMessages.length} so far`;
      },
      () => services.anonymization!.output(),
    );

    services['kpi-calculation'] = await startService(
      'kpi-calculation',
      {
        ...common,
        MONGO_URL: mongoUrl(databaseOfKpi),
        KPI_CALCULATION_GROUP_ID: names.kpiGroup,
        LAKE_TOPIC: topics.names.lake,
        KPI_VALUES_TOPIC: topics.names.kpiValues,
        CONTROL_TOPIC: topics.names.control,
        KPI_TODAY: today,
        RECOMPUTE_DELAY_MS: '200',
        SUPPRESSION_THRESHOLD: String(SUPPRESSION_THRESHOLD),
        KPI_CALCULATION_PORT: String(ports.kpi),
        API_TOKENS: JSON.stringify([{ name: `${prefix}-publication`, token: secrets.internal, roles: ['internal'] }]),
      },
      ports.kpi,
    );
    const catalogue = (await (
      await fetch(`${services['kpi-calculation'].url}/internal/v1/indicators`, {
        headers: { authorization: `Bearer ${secrets.internal}` },
      })
    ).json()) as {
      id: string;
      status: string;
    }[];
    activeIndicators = catalogue.filter((i) => i.status === 'active').map((i) => i.id);
    const expectedValues = activeIndicators.length * REGION_CODES.length * (years.length + 1);

    // Settled: kpi-calculation has published a value for every indicator, region and period, and
    // publication has consumed (applied, then committed) every one of them.
    const groups = new ConsumerGroupAdmin(kafka);
    await waitFor(
      `${expectedValues} KPI values published and consumed by publication`,
      240_000,
      async () => {
        const lag = await groups.lag(names.publicationGroup, [topics.names.kpiValues]);
        const total = lag.reduce((n, p) => n + Number(p.end), 0);
        const behind = lag.reduce((n, p) => n + p.lag, 0);
        return (total >= expectedValues && behind === 0) || `${total} published, publication ${behind} behind`;
      },
      () => services['kpi-calculation']!.output(),
    );
    kpiMessages = await readTopic(kafka, topics.names.kpiValues, { timeoutMs: 120_000 });
  }, 600_000);

  afterAll(async () => {
    const steps: Array<() => Promise<unknown>> = [
      () => Promise.all(Object.values(services).map((s) => s.stop())),
      () => Promise.all([raw, lake, deadLetters].map((t) => t?.stop())),
      () => topics?.remove(),
      // Every group of this run: the services' (kpi-calculation adds per-instance ones) and the tails'.
      () => deleteGroupsStartingWith(kafka, prefix),
      () =>
        Promise.all(
          names.databases.map(async (database) => {
            const connection = await mongoose.createConnection(mongoUrl(database)).asPromise();
            await connection.dropDatabase();
            await connection.close();
          }),
        ),
      async () => {
        const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true });
        await redis.connect();
        try {
          const keys: string[] = [];
          for await (const batch of redis.scanStream({ match: `${names.redisPrefix}:*`, count: 500 }))
            keys.push(...(batch as string[]));
          if (keys.length) await redis.del(...keys);
        } finally {
          redis.disconnect();
        }
      },
      async () => rmSync(dataDir, { recursive: true, force: true }),
    ];
    const failures: string[] = [];
    for (const step of steps) await step().catch((e: Error) => failures.push(e.message));
    if (failures.length) throw new Error(`clean-up failed: ${failures.join('; ')}`);
  }, 120_000);

  it('ingestion accepts every generated record; each reaches the raw topic once and the lake once, under its key', () => {
    expect(answers.length).toBeGreaterThanOrEqual(8);
    expect(answers.map((a) => [a.file, a.answer.accepted, a.answer.rejected, a.answer.errors])).toEqual(
      answers.map((a) => [a.file, a.records, 0, []]),
    );
    const accepted = answers.reduce((n, a) => n + a.answer.accepted, 0);
    expect(rawMessages).toHaveLength(accepted);
    expect(lakeMessages).toHaveLength(accepted);
    // raw key: <source>:<keyed hash of the recordId>; lake key: <source>:<record pseudonym> (privacy.md §1–2)
    const sealer = new RecordSealer(parseKeyRing(secrets.raw, 'RAW_ENCRYPTION_KEYS'));
    const pseudonymizer = new Pseudonymizer(parseKeyRing(secrets.pseudonym, 'PSEUDONYM_KEYS'));
    const lakeKeyOfRaw = (e: ConsumedEvent) => {
      const { recordId } = JSON.parse(
        sealer.open(e.value!, e.headers[KEY_ID_HEADER], sealingAad(e.topic, e.key!)).toString('utf8'),
      ) as { recordId: string };
      return `${e.subject}:${pseudonymizer.pseudonymize(recordPseudonymDomain(e.subject!), recordId)}`;
    };
    expect(lakeMessages.map((e) => e.key).sort()).toEqual(rawMessages.map(lakeKeyOfRaw).sort());
  });

  it('every raw, lake and KPI message matches docs/asyncapi.yaml: headers, payload, key pattern', () => {
    expect(kpiMessages.length).toBeGreaterThan(0);
    const violations = [
      ...contractViolations('rawRecord', rawMessages, false),
      ...contractViolations('lakeRecord', lakeMessages, true),
      ...contractViolations('kpiValue', kpiMessages, true),
    ];
    expect(violations.slice(0, 20)).toEqual([]);
    // What the schemas cannot say: the key names the payload, and the producer is the right service.
    const mismatches = [
      // sealed: version byte 0x01, 12-byte nonce, ciphertext, 16-byte tag
      ...rawMessages.map(
        (e) =>
          (e.source === '/sozialmonitor/ingestion' &&
            e.key!.startsWith(`${e.subject}:`) &&
            e.value![0] === 0x01 &&
            e.value!.length > 1 + 12 + 16) ||
          e.key,
      ),
      ...lakeMessages.map((e) => {
        const p = jsonOfEvent(e);
        return (
          (e.source === '/sozialmonitor/anonymization' &&
            e.subject === p.source &&
            e.key === `${p.source}:${p.recordId}`) ||
          e.key
        );
      }),
      ...kpiMessages.map(
        (e) =>
          (e.source === '/sozialmonitor/kpi-calculation' &&
            e.type === EVENT_TYPES.kpiValue &&
            e.key === kpiValueKey(jsonOfEvent(e) as unknown as KpiValuePayload)) ||
          e.key,
      ),
    ].filter((r) => r !== true);
    expect(mismatches.slice(0, 20)).toEqual([]);
  });

  it('kpi-calculation publishes every active indicator for every region and period exactly once, from the complete lake', () => {
    const keys = kpiMessages.map((e) => e.key!);
    expect(activeIndicators.length).toBeGreaterThan(40);
    expect(new Set(keys).size).toBe(activeIndicators.length * REGION_CODES.length * (years.length + 1));
    expect(keys.length).toBe(new Set(keys).size);
  });

  it(`Elmshorn's birth rate ${FIRST_YEAR}–last year: every year, with county, state and Germany for comparison`, async () => {
    const query = `from=${FIRST_YEAR}&to=${lastYear}`;
    const elmshorn = await api(`/api/v1/indicators/births_per_1000/values?region=${ELMSHORN}&${query}`);
    const county = await api(`/api/v1/indicators/births_per_1000/values?region=${COUNTY_CODE}&${query}`);
    expect(elmshorn.map((v) => [v.region.code, v.period])).toEqual(years.map((y) => [ELMSHORN, y]));
    for (const v of elmshorn) {
      const countyValue = county.find((c) => c.period === v.period)!;
      expect(countyValue.suppressed).toBe(false);
      expect(v.comparison).toEqual({
        county: countyValue.value,
        state: expect.any(Number),
        germany: expect.any(Number),
      });
      expect(countyValue.comparison).toEqual({ state: v.comparison.state, germany: v.comparison.germany });
      // The API serves what kpi-calculation published, unrevised.
      const topic = published(`births_per_1000:${ELMSHORN}:${v.period}`);
      expect(v).toMatchObject({
        value: topic.value,
        suppressed: topic.suppressed,
        comparison: topic.comparison,
        revised: false,
      });
      if (v.suppressed) expect([v.value, ['primary', 'secondary'].includes(v.reason!)]).toEqual([null, true]);
      else expect(v.value).toEqual(expect.any(Number));
    }
  });

  it("the published population equals the generator's truth every year and today; a suppressed one is null with its reason", async () => {
    const values = [
      ...(await api(`/api/v1/indicators/population/values?from=${FIRST_YEAR}&to=${lastYear}`)),
      ...(await api(`/api/v1/indicators/population/values?date=today`)),
    ];
    const stichtage = [...years.map((y) => `${y}-12-31`), today];
    expect(values).toHaveLength(stichtage.length * REGION_CODES.length);
    const wrong: unknown[] = [];
    for (const stichtag of stichtage) {
      const truth = manifest.populationAtStichtag[stichtag];
      const period = stichtag === today ? today : stichtag.slice(0, 4);
      const ofPeriod = values.filter((v) => v.period === period);
      for (const v of ofPeriod) {
        const n = truth[v.region.code];
        const primary = n > 0 && n < SUPPRESSION_THRESHOLD;
        const ok = v.suppressed
          ? v.value === null &&
            (primary ? v.reason === 'primary' : v.reason === 'secondary' && v.region.code !== COUNTY_CODE)
          : !primary && v.value === n;
        if (!ok) wrong.push({ stichtag, region: v.region.code, truth: n, published: v });
      }
      // A primary-suppressed municipality must not be derivable as county minus the published rest.
      const suppressed = ofPeriod.filter((v) => v.suppressed).length;
      if (ofPeriod.some((v) => v.reason === 'primary')) expect([stichtag, suppressed >= 2]).toEqual([stichtag, true]);
    }
    expect(wrong).toEqual([]);
    // The tiny county has municipalities below the threshold: suppression was exercised, not just allowed.
    expect(values.some((v) => v.reason === 'primary')).toBe(true);
  });

  it('no published value carries a number where it is suppressed or undefined, and each says why', () => {
    const bad = kpiMessages
      .map((e) => jsonOfEvent(e) as unknown as KpiValuePayload)
      .filter((p) =>
        p.suppressed
          ? p.value !== null || !['primary', 'secondary'].includes(p.reason!)
          : p.value === null
            ? !['denominator_zero', 'no_data'].includes(p.reason!)
            : p.reason !== undefined,
      );
    expect(bad.slice(0, 10)).toEqual([]);
    expect(kpiMessages.some((e) => jsonOfEvent(e).suppressed === true)).toBe(true);
  });

  it("a year's published values equal kpi-calculation's on-demand answer for its 31 December (and `current` for today)", async () => {
    const differences: unknown[] = [];
    for (const indicator of ['population', 'births_per_1000', 'sgb2_households']) {
      for (const period of [...years, 'current']) {
        const answer = await onDemand(indicator, period === 'current' ? today : `${period}-12-31`);
        expect(answer).toHaveLength(REGION_CODES.length);
        for (const computed of answer) {
          const topic = published(`${indicator}:${computed.region.code}:${period}`);
          const form = (p: KpiValuePayload) => [p.value, p.suppressed, p.reason ?? null, p.comparison.county ?? null];
          if (JSON.stringify(form(computed)) !== JSON.stringify(form(topic)))
            differences.push({
              indicator,
              period,
              region: computed.region.code,
              onDemand: form(computed),
              published: form(topic),
            });
        }
      }
    }
    expect(differences.slice(0, 10)).toEqual([]);
  });

  it('nothing of this run was dead-lettered', () => {
    const ours = deadLetters.matching((e) =>
      [topics.names.raw, topics.names.lake, topics.names.kpiValues].includes(e.headers.sm_dlq_topic),
    );
    expect(ours.map((e) => e.headers)).toEqual([]);
  });
});
