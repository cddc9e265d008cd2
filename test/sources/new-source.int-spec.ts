import { KafkaEnvironment } from '@sozialmonitor/config';
import { topicSettings, TOPICS, type SourceDeclarationJson } from '@sozialmonitor/contracts';
import { defaultCatalogueDocument } from '@sozialmonitor/indicators';
import { createKafka, ensureTopics, type ConsumedEvent } from '@sozialmonitor/messaging';
import { deleteGroupsStartingWith } from '@sozialmonitor/testing/consumer-groups';
import { deleteRedisKeysUnder, dropMongoDatabases } from '@sozialmonitor/testing/clean-up';
import { freePort } from '@sozialmonitor/testing/free-port';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import Redis from 'ioredis';
import type { Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvCell } from '@sozialmonitor/contracts/sources/sample-records';
import { bodyOf, isolatedMongoUrl, keyRing, token } from '../protected-zone/support/fixtures';
import { startService, type RunningService } from '../protected-zone/support/running-service';
import { TopicTail } from '../protected-zone/support/topic-tail';

/**
 * Issue 14 over the real stack, all four services started once and never restarted: a new dataset
 * (`care_dependency`, docs/sources/care-dependency.json) is registered through ingestion's admin API,
 * delivered as CSV and NDJSON, anonymized (canaries planted in its personal fields appear nowhere after
 * the raw topic), used by two new catalogue indicators activated through kpi-calculation's catalogue
 * admin, and read back through publication — the values recomputed here from the delivered records.
 * Small data (a few dozen records), own topics, groups, databases and Redis prefix.
 */
const ELMSHORN = '01056015';
const WEDEL = '01056050';
const COUNTY = '01056';
const STICHTAG_2023 = '2023-12-31';
const declaration = () =>
  JSON.parse(readFileSync(join(__dirname, '../../docs/sources/care-dependency.json'), 'utf8')) as SourceDeclarationJson;

/** What the admin and public answers carry that the test reads. */
interface Answer {
  errors?: Array<{ path: string; message: string }>;
  entries?: Array<{ outcome: string }>;
  sources?: Array<{ name: string }>;
  changes?: { added: string[] };
  values?: Array<{ region: { code: string }; value: number | null }>;
  [field: string]: unknown;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(what: string, timeoutMs: number, check: () => Promise<true | string>) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const state = await check().catch((e: Error) => `check failed: ${e.message}`);
    if (state === true) return;
    if (Date.now() > end) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s (${state})`);
    await sleep(300);
  }
}

/** Completed years at `day` with the birthday on the first of the birth month (indicators.md). */
function ageAt(birthDate: string, day: string): number {
  const [by, bm] = birthDate.split('-').map(Number);
  const [y, m] = day.split('-').map(Number);
  return y - by - (m < bm ? 1 : 0);
}
const validAt = (r: { validFrom: string; validTo: string | null }, day: string) =>
  r.validFrom <= day && (r.validTo === null || day < r.validTo);
const round2 = (x: number) => Math.sign(x) * Math.round(Math.abs(x) * 100 + Number.EPSILON) / 100;

describe('a new dataset registered at run time, from ingestion to publication (issue 14)', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `src-${run}`;
  const secrets = {
    raw: keyRing(`${prefix}-raw`),
    pseudonym: keyRing(`${prefix}-ps`),
    ingest: token(),
    admin: token(),
    internal: token(),
  };
  const databases = ['ingestion', 'kpi', 'publication'].map((s) => `sm_${prefix}_${s}`.replace(/-/g, '_'));
  const redisPrefix = `test:${prefix}:publication`;
  const mongoUrl = (database: string) => isolatedMongoUrl(process.env.MONGO_URL!, database);

  let kafka: Kafka;
  let topics: PrivateTopics<'raw' | 'lake' | 'kpiValues' | 'control' | 'catalogue' | 'sources'>;
  const tails: Record<string, TopicTail> = {};
  const services: Partial<Record<'ingestion' | 'anonymization' | 'kpi-calculation' | 'publication', RunningService>> = {};
  const answers: string[] = [];

  // The input: residents (population) and care spells, two municipalities.
  type Care = { recordId: string; personId: string; birthDate: string; sex: string; ags: string; validFrom: string; validTo: string | null; careLevel: number; setting: string };
  type Resident = Record<string, unknown> & { birthDate: string; ags: string; validFrom: string; validTo: string | null };
  const residents: Resident[] = [];
  const care: Care[] = [];
  const canaries: string[] = [];
  const resident = (ags: string, birthDate: string) =>
    residents.push({
      recordId: `pop-${run}-${residents.length}`,
      personId: `einw-${run}-${residents.length}`,
      birthDate,
      sex: residents.length % 2 ? 'f' : 'm',
      nationality: 'DE',
      ags,
      validFrom: '2020-01-01',
      validTo: null,
      startReason: 'initial',
      endReason: null,
    });
  const careSpell = (ags: string, birthDate: string, careLevel: number, validTo: string | null = null) => {
    const i = care.length;
    const c: Care = {
      recordId: `KanarienRec-${run}-${i}`,
      personId: `Kanarie-${run}-${i}-Pflegekasse`,
      birthDate,
      sex: i % 2 ? 'f' : 'm',
      ags,
      validFrom: '2021-03-01',
      validTo,
      careLevel,
      setting: i % 3 ? 'home' : 'residential',
    };
    care.push(c);
    canaries.push(c.recordId, c.personId, c.birthDate);
  };
  for (let i = 0; i < 6; i++) resident(ELMSHORN, `193${i}-0${i + 1}-15`);
  for (let i = 0; i < 6; i++) resident(ELMSHORN, `1983-0${i + 1}-15`);
  for (let i = 0; i < 5; i++) resident(WEDEL, `193${i}-1${i % 3}-15`);
  for (let i = 0; i < 5; i++) resident(WEDEL, `1990-0${i + 1}-15`);
  // Canary birth dates: days no other date of the data has (spells start and end on the 1st).
  for (let i = 0; i < 4; i++) careSpell(ELMSHORN, `193${i}-0${i + 2}-1${i + 3}`, 3 + (i % 3));
  for (let i = 0; i < 3; i++) careSpell(ELMSHORN, `1963-0${i + 4}-2${i + 3}`, 2);
  careSpell(ELMSHORN, '1970-11-19', 1, '2023-06-01'); // ended before the Stichtag
  for (let i = 0; i < 3; i++) careSpell(WEDEL, `193${i + 2}-0${i + 3}-2${i + 7}`, 4, null);

  async function call(service: 'ingestion' | 'kpi-calculation' | 'publication', method: string, path: string, body?: unknown, auth: string | null = secrets.admin) {
    const res = await fetch(`${services[service]!.url}${path}`, {
      method,
      headers: { ...(auth ? { authorization: `Bearer ${auth}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Answer };
  }

  async function deliver(source: string, records: Record<string, unknown>[], format: 'csv' | 'ndjson') {
    const res = await fetch(`${services.ingestion!.url}/api/v1/sources/${source}/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.ingest}`, 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
      body:
        source === 'care_dependency' && format === 'csv'
          ? // the test process does not know the registered source: columns from its declaration
            Buffer.from(
              [
                declaration().fields.map((f) => f.name),
                ...records.map((r) => declaration().fields.map((f) => csvCell(r[f.name]))),
              ]
                .map((row) => row.join(','))
                .join('\r\n') + '\r\n',
            )
          : bodyOf(source, records, format),
    });
    const text = await res.text();
    answers.push(text);
    return { status: res.status, body: JSON.parse(text) as { accepted: number; rejected: number; errors?: unknown[] } };
  }

  beforeAll(async () => {
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: prefix, log: () => undefined });
    await ensureTopics(kafka, topicSettings(), { partitions: new KafkaEnvironment().TOPIC_PARTITIONS, replicationFactor: 1 });
    topics = await createPrivateTopics(kafka, `test.${prefix}`, ['raw', 'lake', 'kpiValues', 'control', 'catalogue', 'sources']);
    for (const name of ['raw', 'lake', 'kpiValues', 'catalogue', 'sources'] as const)
      tails[name] = await TopicTail.start(kafka, topics.names[name], `${prefix}-tail-${name}`);
    tails.deadLetter = await TopicTail.start(kafka, TOPICS.deadLetter, `${prefix}-tail-deadletter`);

    const ports = { ingestion: await freePort(), anonymization: await freePort(), kpi: await freePort(), publication: await freePort() };
    const common = {
      KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
      LOG_LEVEL: 'info',
      FIRST_YEAR: '2023',
      SOURCES_TOPIC: topics.names.sources,
    };
    [services.ingestion, services.anonymization, services['kpi-calculation'], services.publication] = await Promise.all([
      startService(
        'ingestion',
        {
          ...common,
          MONGO_URL: mongoUrl(databases[0]),
          RAW_ENCRYPTION_KEYS: secrets.raw,
          API_TOKENS: JSON.stringify([
            { name: `${prefix}-sources`, token: secrets.ingest, roles: ['ingest'] },
            { name: 'planning-office', token: secrets.admin, roles: ['admin'] },
          ]),
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
          ANONYMIZATION_GROUP_ID: `${prefix}-anonymization`,
          ANONYMIZATION_PORT: String(ports.anonymization),
          RAW_TOPIC: topics.names.raw,
          LAKE_TOPIC: topics.names.lake,
        },
        ports.anonymization,
      ),
      startService(
        'kpi-calculation',
        {
          ...common,
          MONGO_URL: mongoUrl(databases[1]),
          KPI_CALCULATION_GROUP_ID: `${prefix}-kpi-calculation`,
          LAKE_TOPIC: topics.names.lake,
          KPI_VALUES_TOPIC: topics.names.kpiValues,
          CONTROL_TOPIC: topics.names.control,
          CATALOGUE_TOPIC: topics.names.catalogue,
          KPI_TODAY: '2024-06-30',
          RECOMPUTE_DELAY_MS: '200',
          SUPPRESSION_THRESHOLD: '3',
          KPI_CALCULATION_PORT: String(ports.kpi),
          API_TOKENS: JSON.stringify([
            { name: `${prefix}-publication`, token: secrets.internal, roles: ['internal'] },
            { name: 'planning-office', token: secrets.admin, roles: ['admin'] },
          ]),
        },
        ports.kpi,
      ),
      startService(
        'publication',
        {
          ...common,
          MONGO_URL: mongoUrl(databases[2]),
          REDIS_URL: process.env.REDIS_URL!,
          KPI_CALCULATION_URL: `http://127.0.0.1:${ports.kpi}`,
          KPI_CALCULATION_TOKEN: secrets.internal,
          PUBLICATION_KPI_TOPIC: topics.names.kpiValues,
          CATALOGUE_TOPIC: topics.names.catalogue,
          PUBLICATION_CONSUMER_GROUP: `${prefix}-publication`,
          PUBLICATION_CACHE_PREFIX: redisPrefix,
          PUBLICATION_PORT: String(ports.publication),
        },
        ports.publication,
      ),
    ]);
    const population = await deliver('population', residents, 'ndjson');
    expect(population.body).toMatchObject({ accepted: residents.length, rejected: 0 });
  }, 300_000);

  afterAll(async () => {
    const steps: Array<() => Promise<unknown>> = [
      () => Promise.all(Object.values(services).map((s) => s.stop())),
      () => Promise.all(Object.values(tails).map((t) => t.stop())),
      () => topics?.remove(),
      () => deleteGroupsStartingWith(kafka, prefix),
      () => dropMongoDatabases(databases.map(mongoUrl)),
      () => deleteRedisKeysUnder(process.env.REDIS_URL!, redisPrefix),
    ];
    const failures: string[] = [];
    for (const step of steps) await step().catch((e: Error) => failures.push(e.message));
    if (failures.length) throw new Error(`clean-up failed: ${failures.join('; ')}`);
  }, 120_000);

  it('refuses the source admin API without the admin role, and refuses bad declarations naming field and reason', async () => {
    expect((await call('ingestion', 'GET', '/api/v1/admin/sources', undefined, null)).status).toBe(401);
    expect((await call('ingestion', 'POST', '/api/v1/admin/sources', { document: declaration(), reason: 'x' }, secrets.ingest)).status).toBe(403);
    // not known before it is registered
    expect((await deliver('care_dependency', care.slice(0, 1), 'ndjson')).status).toBe(404);

    const refused = async (change: (d: SourceDeclarationJson) => void) => {
      const d = declaration();
      change(d);
      const answer = await call('ingestion', 'POST', '/api/v1/admin/sources', { document: d, reason: 'test' });
      expect(answer.status).toBe(422);
      return answer.body.errors!.map((e) => `${e.path}: ${e.message}`);
    };
    expect(await refused((d) => d.fields.push({ name: 'insuranceNumber', type: { kind: 'string', minLength: 1, maxLength: 20 }, required: false, description: 'x' } as never))).toEqual([
      'fields[9] (insuranceNumber).role: has no role: every field must declare one (identifier, direct, quasi or attribute) — undeclared fields are denied',
    ]);
    expect(await refused((d) => (d.fields[2].role = { kind: 'quasi', rule: 'birthYear' }))).toEqual([
      "fields[2] (birthDate).role: names the unknown generalization rule 'birthYear' (known: birthMonth, nationalityGroup)",
    ]);
    expect(await refused((d) => (d.measures.families[0].filters as string[]).push('careGrade'))).toEqual([
      "measures.families[0] (care_dependency).filters[4]: names 'careGrade', which is not a declared field of care_dependency",
    ]);
    expect(await refused((d) => (d.fields[1].role = { kind: 'identifier' } as never))).toEqual([
      'fields[1] (personId).role: is an identifier without a domain: name the pseudonym domain (person or household) so one subject links across sources',
    ]);
    expect(await refused((d) => (d.measures.symbols[0] = { ...d.measures.symbols[0], symbol: 'P' }))).toEqual(['measures.symbols (P): is a measure of source population']);
    const audit = await call('ingestion', 'GET', '/api/v1/admin/sources/audit');
    expect(audit.body.entries!.filter((e) => e.outcome === 'refused')).toHaveLength(5);
  });

  it('registers care_dependency at run time; ingestion accepts it as CSV and NDJSON; anonymization writes only the allow-list', async () => {
    const registered = await call('ingestion', 'POST', '/api/v1/admin/sources', { document: declaration(), reason: 'Pflegestatistik für die Sozialplanung' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      name: 'care_dependency',
      version: 1,
      action: 'register',
      createdBy: 'planning-office',
      lakeFields: ['source', 'recordId', 'pseudonymKeyId', 'personId', 'birthMonth', 'sex', 'ags', 'validFrom', 'validTo', 'careLevel', 'setting'],
      measures: ['PF'],
    });
    const again = await call('ingestion', 'POST', '/api/v1/admin/sources', { document: declaration(), reason: 'twice' });
    expect(again.status).toBe(409);
    // a new version that would re-interpret stored records is refused, naming the replay it needs
    const v2 = declaration();
    v2.version = 2;
    v2.fields[1].role = { kind: 'identifier', domain: 'household' };
    const reinterpret = await call('ingestion', 'POST', '/api/v1/admin/sources/care_dependency/versions', { document: v2, reason: 'other domain' });
    expect(reinterpret.status).toBe(422);
    expect(reinterpret.body.errors).toEqual([
      {
        path: 'fields (personId).role',
        message:
          'changes from identifier (person) to identifier (household): the lake holds the old form; replay the raw topic through anonymization (from earliest) after registering, or register a new source [needs: anonymization replay]',
      },
    ]);

    const listed = await call('ingestion', 'GET', '/api/v1/sources', undefined, null);
    expect(listed.body.sources!.map((s) => s.name)).toContain('care_dependency');

    const csv = await deliver('care_dependency', care.filter((c) => c.ags === ELMSHORN), 'csv');
    const ndjson = await deliver('care_dependency', care.filter((c) => c.ags === WEDEL), 'ndjson');
    expect([csv.status, csv.body.accepted, ndjson.status, ndjson.body.accepted]).toEqual([202, 8, 202, 3]);
    const bad = await deliver('care_dependency', [{ ...care[0], recordId: `bad-${run}`, careLevel: 7 }], 'ndjson');
    expect(bad.body).toMatchObject({ accepted: 0, rejected: 1, errors: [expect.objectContaining({ field: 'careLevel', rule: 'range' })] });

    const lake = await tails.lake.waitFor((e) => e.key?.startsWith('care_dependency:') ?? false, care.length, 60_000);
    const records = lake.map((e) => JSON.parse(e.value!.toString('utf8')) as Record<string, unknown>);
    for (const r of records) {
      expect(Object.keys(r)).toEqual(['source', 'recordId', 'pseudonymKeyId', 'personId', 'birthMonth', 'sex', 'ags', 'validFrom', 'validTo', 'careLevel', 'setting']);
      expect(r.birthMonth).toMatch(/^\d{4}-\d{2}$/);
    }
    expect(records.map((r) => r.birthMonth).sort()).toEqual(care.map((c) => c.birthDate.slice(0, 7)).sort());
  }, 120_000);

  it('a catalogue indicator over the new measure is published; publication answers what the input gives', async () => {
    const base = defaultCatalogueDocument();
    const entry = (id: string, de: string, formula: string) => ({
      id,
      version: 1,
      status: 'active',
      category: 'social_benefits',
      names: { de, en: id },
      description: { de, en: id },
      unit: '%',
      decimals: 2,
      formula,
      measures: ['PF', 'P'],
      sources: ['care_dependency', 'population'],
      share: false,
    });
    const draft = {
      ...base,
      indicators: [
        ...base.indicators,
        entry('care_rate_pct', 'Pflegequote', 'PF() / P() * 100'),
        entry('care_rate_80_plus_pct', 'Pflegequote ab 80 Jahren', 'PF(>=80) / P(>=80) * 100'),
      ],
    };
    const activated = await call('kpi-calculation', 'POST', '/api/v1/admin/catalogue/activate', { document: draft, reason: 'Pflegequote' });
    expect([activated.status, activated.body.changes?.added]).toEqual([201, ['care_rate_pct', 'care_rate_80_plus_pct']]);

    // Recomputed from the input: persons valid at the Stichtag, by municipality and the county.
    const count = (list: Array<{ ags: string; birthDate: string; validFrom: string; validTo: string | null }>, code: string, minAge = 0) =>
      list.filter((r) => (code === COUNTY || r.ags === code) && validAt(r, STICHTAG_2023) && ageAt(r.birthDate, STICHTAG_2023) >= minAge).length;
    const expected = (code: string, minAge: number) => round2((count(care, code, minAge) / count(residents, code, minAge)) * 100);
    const want = {
      care_rate_pct: [ELMSHORN, WEDEL, COUNTY].map((code) => [code, expected(code, 0)]),
      care_rate_80_plus_pct: [ELMSHORN, WEDEL, COUNTY].map((code) => [code, expected(code, 80)]),
    };
    expect(want.care_rate_pct).toEqual([[ELMSHORN, 58.33], [WEDEL, 30], [COUNTY, 45.45]]); // the hand count agrees

    for (const [id, values] of Object.entries(want)) {
      let got: Array<[string, unknown]> = [];
      await waitFor(`${id} 2023 through publication`, 60_000, async () => {
        const res = await call('publication', 'GET', `/api/v1/indicators/${id}/values?from=2023&to=2023`, undefined, null);
        if (res.status !== 200) return `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
        const byCode = new Map(res.body.values!.map((v) => [v.region.code, v.value]));
        got = values.map(([code]) => [code as string, byCode.get(code as string)]);
        return JSON.stringify(got) === JSON.stringify(values) || JSON.stringify(got);
      });
      expect(got).toEqual(values);
    }
  }, 120_000);

  it('canaries planted in its personal fields appear in no topic after the raw one, no collection, cache, log or answer', async () => {
    const forms = (v: string) => [
      v,
      createHash('sha256').update(v).digest('hex'),
      createHash('sha256').update(v).digest('base64url'),
      createHash('sha1').update(v).digest('hex'),
      createHash('md5').update(v).digest('hex'),
      Buffer.from(v).toString('base64'),
    ];
    const dump = (events: readonly ConsumedEvent[]) =>
      events.map((e) => `${e.key}\n${JSON.stringify(e.headers)}\n${e.value?.toString('latin1') ?? ''}`).join('\n');
    const mongoText = async (database: string) => {
      const connection = await mongoose.createConnection(mongoUrl(database)).asPromise();
      const out: string[] = [];
      for (const c of await connection.db!.listCollections().toArray())
        for (const d of await connection.db!.collection(c.name).find().toArray()) out.push(JSON.stringify(d));
      await connection.close();
      return out.join('\n');
    };
    const redis = new Redis(process.env.REDIS_URL!);
    const cache: string[] = [];
    for (const key of await redis.keys(`${redisPrefix}*`)) {
      const type = await redis.type(key);
      cache.push(key, type === 'string' ? ((await redis.get(key)) ?? '') : type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : ((await redis.dump(key)) ?? ''));
    }
    await redis.quit();
    const ours = (e: ConsumedEvent) => e.headers.sm_dlq_topic === topics.names.raw || e.headers.sm_dlq_topic === topics.names.lake;
    const places: Record<string, string> = {
      'lake topic': dump(tails.lake.events),
      'KPI topic': dump(tails.kpiValues.events),
      'catalogue topic': dump(tails.catalogue.events),
      'source topic': dump(tails.sources.events),
      'dead-letter topic': dump(tails.deadLetter.events.filter(ours)),
      'anonymization log': services.anonymization!.output(),
      'kpi-calculation log': services['kpi-calculation']!.output(),
      'publication log': services.publication!.output(),
      'kpi-calculation MongoDB': await mongoText(databases[1]),
      'publication MongoDB': await mongoText(databases[2]),
      'publication Redis cache': cache.join('\n'),
      'answers': answers.join('\n'),
    };
    expect(places['lake topic']).toContain('care_dependency');
    expect(places['KPI topic']).toContain('care_rate_pct');
    expect(places['source topic']).toContain('care_dependency');
    // control: the search finds the canaries where they are (the raw topic holds them sealed, so not there)
    const found = (text: string) => canaries.filter((c) => forms(c).some((f) => text.toLowerCase().includes(f.toLowerCase())));
    expect(found(JSON.stringify(care))).toEqual(canaries);
    expect(Object.entries(places).flatMap(([place, text]) => found(text).map((c) => `${place}: ${c}`))).toEqual([]);
  });
});
