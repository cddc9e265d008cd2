import { anonymize, EVENT_TYPES, SOURCES, TOPICS, sourceDeclaration, validateRecord } from '@sozialmonitor/contracts';
import { createKafka, EventPublisher, type ConsumedEvent } from '@sozialmonitor/messaging';
import { parseKeyRing, Pseudonymizer, RecordSealer, sealingAad } from '@sozialmonitor/privacy';
import { CloudEvent, Kafka as CeKafka } from 'cloudevents';
import type { Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  bodyOf,
  CONTENT_TYPES,
  gzip,
  isolatedMongoUrl,
  keyRing,
  post,
  sampleOf,
  token,
  type Format,
} from './support/fixtures';
import { freePort } from '@sozialmonitor/testing/free-port';
import { startService, type RunningService } from './support/running-service';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import { TopicTail } from './support/topic-tail';

/**
 * The protected zone end to end, as real processes on real Kafka and MongoDB: ingestion → raw topic →
 * anonymization → lake topic (or dead-letter topic). Proves that every source in every format arrives
 * anonymized, that corrections, deletions and repeated deliveries behave, and — with canary values in
 * every PII field — that nothing personal leaves the zone: not in the lake, the dead letters, the logs,
 * the metrics or MongoDB.
 */
describe('protected zone: ingestion → anonymization → lake', () => {
  const run = randomUUID().slice(0, 8);
  const rawKeys = keyRing(`it-raw-${run}`);
  const pseudonymKeys = keyRing(`it-ps-${run}`);
  const pseudonymizer = new Pseudonymizer(parseKeyRing(pseudonymKeys, 'PSEUDONYM_KEYS'));
  const ingestToken = token();
  const adminToken = token();
  const database = `sm_pipeline_it_${run}`;
  const groupId = `anonymization-it-${run}`;
  let kafka: Kafka;
  let ingestion: RunningService;
  let anonymization: RunningService;
  let topics: PrivateTopics<'raw' | 'lake' | 'control'>;
  let lake: TopicTail;
  let deadLetters: TopicTail;

  const id = (name: string) => `${run}-${name}`;
  const lakeOf = (source: string, recordId: string) => (e: ConsumedEvent) => e.key === `${source}:${recordId}`;
  const valueOf = (e: ConsumedEvent) => JSON.parse(e.value!.toString('utf8'));
  const deliver = (source: string, records: Record<string, unknown>[], format: Format, zipped = false) => {
    const body = bodyOf(source, records, format);
    return post(`${ingestion.url}/api/v1/sources/${source}/records`, zipped ? gzip(body) : body, {
      'content-type': CONTENT_TYPES[format],
      authorization: `Bearer ${ingestToken}`,
      ...(zipped ? { 'content-encoding': 'gzip' } : {}),
    });
  };
  /** What the lake must carry for a delivered record: the declaration-driven anonymization of its normalized form. */
  const expectedLake = (source: string, record: Record<string, unknown>) => {
    const declaration = sourceDeclaration(source)!;
    const checked = validateRecord(declaration, record, { index: 0 });
    if (!checked.ok) throw new Error('fixture invalid');
    return anonymize(declaration, checked.record, pseudonymizer);
  };

  beforeAll(async () => {
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'pipeline-it', log: () => undefined });
    // The run's own raw, lake and control topics: the services see only this run, and nothing of it
    // reaches the shared topics but dead letters (the dead-letter topic is shared by design).
    topics = await createPrivateTopics(kafka, `test.pipeline-${run}`, ['raw', 'lake', 'control']);
    lake = await TopicTail.start(kafka, topics.names.lake);
    deadLetters = await TopicTail.start(kafka, TOPICS.deadLetter);
    const [ingestionPort, anonymizationPort] = [await freePort(), await freePort()];
    const common = { KAFKA_BROKERS: process.env.KAFKA_BROKERS!, RAW_ENCRYPTION_KEYS: rawKeys, LOG_LEVEL: 'debug' };
    [ingestion, anonymization] = await Promise.all([
      startService(
        'ingestion',
        {
          ...common,
          MONGO_URL: isolatedMongoUrl(process.env.MONGO_URL!, database),
          API_TOKENS: JSON.stringify([{ name: 'pipeline-feed', token: ingestToken, roles: ['ingest'] }]),
          INGESTION_PORT: String(ingestionPort),
          RAW_TOPIC: topics.names.raw,
          CONTROL_TOPIC: topics.names.control,
        },
        ingestionPort,
      ),
      startService(
        'anonymization',
        {
          ...common,
          PSEUDONYM_KEYS: pseudonymKeys,
          ANONYMIZATION_GROUP_ID: groupId,
          ANONYMIZATION_PORT: String(anonymizationPort),
          RAW_TOPIC: topics.names.raw,
          LAKE_TOPIC: topics.names.lake,
          API_TOKENS: JSON.stringify([{ name: 'pipeline-admin', token: adminToken, roles: ['admin'] }]),
        },
        anonymizationPort,
      ),
    ]);
  });

  afterAll(async () => {
    await Promise.all([lake?.stop(), deadLetters?.stop(), ingestion?.stop(), anonymization?.stop()]);
    await topics?.remove();
    const connection = await mongoose.createConnection(isolatedMongoUrl(process.env.MONGO_URL!, database)).asPromise();
    await connection.dropDatabase();
    await connection.close();
  });

  it('every source in every format reaches the lake topic anonymized, as a CloudEvent any SDK reads', async () => {
    const sent: { source: string; record: Record<string, unknown> }[] = [];
    for (const { name: source } of SOURCES) {
      for (const [format, zipped] of [
        ['json', false],
        ['ndjson', false],
        ['csv', false],
        ['csv', true],
      ] as const) {
        const record = sampleOf(source, id(`${source}-${format}${zipped ? '-gz' : ''}`));
        const res = await deliver(source, [record], format, zipped);
        expect([source, format, res.status, res.json.accepted]).toEqual([source, format, 202, 1]);
        sent.push({ source, record });
      }
    }
    for (const { source, record } of sent) {
      const [event] = await lake.waitFor(lakeOf(source, record.recordId as string));
      expect(valueOf(event)).toEqual(expectedLake(source, record));
      expect(event).toMatchObject({
        type: EVENT_TYPES.lakeRecord,
        source: '/sozialmonitor/anonymization',
        specversion: '1.0',
        subject: source,
        contentType: 'application/json',
      });
      const ce = CeKafka.toEvent({
        key: event.key!,
        headers: event.headers,
        value: event.value,
        body: event.value,
      } as unknown as Parameters<typeof CeKafka.toEvent>[0]) as CloudEvent<unknown>;
      expect(ce.id).toBe(event.id);
      expect(ce.type).toBe(EVENT_TYPES.lakeRecord);
    }
    const personLake = valueOf((await lake.waitFor(lakeOf('population', id('population-json'))))[0]);
    expect(personLake.pseudonymKeyId).toBe(`it-ps-${run}`);
    expect(Object.keys(personLake)).not.toEqual(
      expect.arrayContaining([
        'firstName',
        'lastName',
        'street',
        'houseNumber',
        'postalCode',
        'birthDate',
        'nationality',
      ]),
    );
  });

  it('a correction replaces, a deletion retracts; both flow through to the lake', async () => {
    const recordId = id('flow');
    await deliver('sgb2', [sampleOf('sgb2', recordId)], 'json');
    await deliver('sgb2', [sampleOf('sgb2', recordId, { employable: false, ags: '01056002' })], 'csv');
    await deliver('sgb2', [{ recordId, deleted: true }], 'ndjson');
    const events = await lake.waitFor(lakeOf('sgb2', recordId), 3);
    expect(events.map(valueOf).map((v) => [v.employable, v.ags, v.deleted])).toEqual([
      [true, '01056015', undefined],
      [false, '01056002', undefined],
      [undefined, undefined, true],
    ]);
    expect(valueOf(events[2])).toEqual({ source: 'sgb2', recordId, deleted: true });
    expect(new Set(events.map((e) => e.id)).size).toBe(3);
  });

  it('a repeated delivery yields identical lake messages (key, value, ce_id and every header)', async () => {
    const records = [sampleOf('childcare', id('again-1')), sampleOf('unemployment', id('again-2'))];
    await deliver('childcare', [records[0]], 'json');
    await deliver('unemployment', [records[1]], 'ndjson');
    const first = [
      (await lake.waitFor(lakeOf('childcare', id('again-1'))))[0],
      (await lake.waitFor(lakeOf('unemployment', id('again-2'))))[0],
    ];
    await deliver('childcare', [records[0]], 'csv');
    await deliver('unemployment', [records[1]], 'json');
    const second = [
      (await lake.waitFor(lakeOf('childcare', id('again-1')), 2))[1],
      (await lake.waitFor(lakeOf('unemployment', id('again-2')), 2))[1],
    ];
    for (let i = 0; i < 2; i++) {
      expect(second[i].key).toBe(first[i].key);
      expect(second[i].value!.equals(first[i].value!)).toBe(true);
      expect(second[i].headers).toEqual(first[i].headers);
      expect(second[i].id).toBe(first[i].id);
    }
  });

  it('the anonymization service reports its consumer group to admins only', async () => {
    const url = `${anonymization.url}/api/v1/admin/consumer-groups`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${ingestToken}` } })).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { groupId: string; service: string; partitions: { topic: string }[] };
    expect(body).toMatchObject({ groupId, service: 'anonymization' });
    expect(body.partitions.every((p) => p.topic === topics.names.raw)).toBe(true);
  });

  it('a raw message that cannot be opened goes to the dead-letter topic still sealed, with the reason', async () => {
    const stranger = new RecordSealer(parseKeyRing(keyRing('unknown-key'), 'X'));
    const key = `population:${id('poison')}`;
    const plaintext = Buffer.from(JSON.stringify(sampleOf('population', id('poison'), { lastName: `Giftig${run}` })));
    const { keyId, sealed } = stranger.seal(plaintext, sealingAad(topics.names.raw, key));
    const publisher = new EventPublisher(kafka);
    await publisher.publish([
      {
        topic: topics.names.raw,
        key,
        id: `poison-${run}`,
        type: EVENT_TYPES.rawRecord,
        source: '/sozialmonitor/ingestion',
        data: sealed,
        headers: { sm_key_id: keyId },
      },
    ]);
    await publisher.disconnect();
    const [dead] = await deadLetters.waitFor((e) => e.key === key);
    expect(dead.value!.equals(sealed)).toBe(true);
    expect(dead.headers).toMatchObject({
      sm_key_id: 'unknown-key',
      sm_dlq_topic: topics.names.raw,
      sm_dlq_service: 'anonymization',
      sm_dlq_error: 'UnknownKeyIdError: no key with id unknown-key is configured',
      sm_original_ce_id: `poison-${run}`,
    });
    expect(lake.matching((e) => e.key === key)).toEqual([]);
  });

  it('canary: planted PII appears nowhere after the raw topic — lake, dead letters, logs, metrics, MongoDB — nor its plain hashes', async () => {
    const canaries: string[] = [];
    const numeric: string[] = [];
    let n = 0;
    const plant = (source: string, recordId: string) => {
      const declaration = sourceDeclaration(source)!;
      const record: Record<string, unknown> = sampleOf(source, recordId);
      for (const f of declaration.fields) {
        n++;
        const kind = f.privacy.kind;
        if (kind === 'attribute' || (kind === 'quasi' && f.name !== 'birthDate')) continue;
        let value: string;
        if (f.name === 'birthDate')
          value = `19${20 + (n % 70)}-${String(1 + (n % 12)).padStart(2, '0')}-${String(13 + (n % 15))}`;
        else if (f.name === 'postalCode') value = String(10000 + randomBytes(2).readUInt16BE() + n);
        else if (f.name === 'houseNumber') value = `H${randomBytes(4).toString('hex').slice(0, 7)}`;
        else value = `Kanarien${f.name}${run}${randomBytes(3).toString('hex')}`;
        record[f.name] = value;
        (f.name === 'postalCode' ? numeric : canaries).push(value);
      }
      return record;
    };
    const formats: Format[] = ['json', 'ndjson', 'csv'];
    const delivered: [string, string][] = [];
    const planted: Record<string, unknown>[] = [];
    for (const { name: source } of SOURCES) {
      for (const format of formats) {
        const ok = plant(source, id(`canary-${source}-${format}`));
        if (source === 'population') ok.validFrom = '2010-01-01';
        const rejected = plant(source, id(`canary-bad-${source}-${format}`));
        // rejected (its PII must not show up in the answer either)
        if (source === 'reference_values') rejected.year = 1800;
        else rejected.ags = '99999999';
        planted.push(ok, rejected);
        const res = await deliver(source, [ok, rejected], format);
        expect([source, format, res.status, res.json.accepted, res.json.rejected]).toEqual([source, format, 202, 1, 1]);
        const answer = JSON.stringify(res.json);
        for (const c of canaries) expect(answer).not.toContain(c);
        delivered.push([source, ok.recordId as string]);
      }
    }
    // A poison message carrying canaries in a field outside the allow-list, sealed with the real key.
    const sealer = new RecordSealer(parseKeyRing(rawKeys, 'RAW_ENCRYPTION_KEYS'));
    const poisonKey = `sgb2:${id('canary-poison')}`;
    const poisonName = `Kanarienpoison${run}`;
    canaries.push(poisonName);
    const poison = sealer.seal(
      Buffer.from(JSON.stringify({ ...sampleOf('sgb2', id('canary-poison')), nickname: poisonName })),
      sealingAad(topics.names.raw, poisonKey),
    );
    const publisher = new EventPublisher(kafka);
    await publisher.publish([
      {
        topic: topics.names.raw,
        key: poisonKey,
        id: `poison2-${run}`,
        type: EVENT_TYPES.rawRecord,
        source: '/sozialmonitor/ingestion',
        data: poison.sealed,
        headers: { sm_key_id: poison.keyId },
      },
    ]);
    await publisher.disconnect();

    for (const [source, recordId] of delivered) await lake.waitFor(lakeOf(source, recordId));
    const [dead] = await deadLetters.waitFor((e) => e.key === poisonKey);
    expect(dead.headers.sm_dlq_error).toBe(
      'RawRecordRejectedError: the record breaks rules of source sgb2: nickname (unknown_field)',
    );

    const dump = (events: ConsumedEvent[]) =>
      events
        .map((e) =>
          [
            e.key,
            JSON.stringify(e.headers),
            e.value?.toString('utf8'),
            e.value?.toString('latin1'),
            e.value?.toString('hex'),
          ].join('\n'),
        )
        .join('\n');
    const mongo = await mongoose.createConnection(isolatedMongoUrl(process.env.MONGO_URL!, database)).asPromise();
    const collections = await mongo.db!.listCollections().toArray();
    const documents: string[] = [];
    for (const c of collections) {
      for (const d of await mongo.db!.collection(c.name).find().toArray()) {
        documents.push(
          JSON.stringify(d),
          ...Object.values(d).map((v) =>
            v instanceof mongoose.mongo.Binary ? Buffer.from(v.buffer).toString('latin1') : '',
          ),
        );
      }
    }
    await mongo.close();
    expect(collections.map((c) => c.name)).toContain('ingestion_record_versions');
    expect(documents.length).toBeGreaterThan(24);

    // Only this run's messages: other producers on the shared broker (other tests, a benchmark) may put
    // their own messages on these topics, whose offsets and numbers could look like a planted postal code.
    const ours = (e: ConsumedEvent) => e.key?.includes(run) === true;
    const places: Record<string, string> = {
      'lake topic': dump(lake.events.filter(ours)),
      'dead-letter topic': dump(deadLetters.events.filter(ours)),
      'ingestion log': ingestion.output(),
      'anonymization log': anonymization.output(),
      'ingestion metrics': await (await fetch(`${ingestion.url}/metrics`)).text(),
      'anonymization metrics': await (await fetch(`${anonymization.url}/metrics`)).text(),
      'ingestion MongoDB': documents.join('\n'),
    };
    expect(places['lake topic'].length).toBeGreaterThan(1000);
    expect(places['ingestion log']).toContain('delivery accepted');
    expect(places['anonymization log']).toContain('dead-lettered');
    const forms = (v: string) => [
      v,
      createHash('sha256').update(v).digest('hex'),
      createHash('sha256').update(v).digest('base64'),
      createHash('sha256').update(v).digest('base64url'),
      createHash('sha1').update(v).digest('hex'),
      createHash('md5').update(v).digest('hex'),
      Buffer.from(v).toString('base64'),
      Buffer.from(v).toString('hex'),
    ];
    const leaksIn = (place: string, text: string) => {
      const found: string[] = [];
      const lower = text.toLowerCase();
      for (const c of canaries)
        for (const f of forms(c)) if (lower.includes(f.toLowerCase())) found.push(`${place}: ${c}`);
      for (const c of numeric)
        if (new RegExp(`(?<![0-9])${c}(?![0-9])`).test(text)) found.push(`${place}: postal code ${c}`);
      return found;
    };
    // Control: the search finds the canaries where they are (the delivered records, and their hashes).
    expect(leaksIn('control', JSON.stringify(planted)).length).toBe(canaries.length - 1 + numeric.length);
    expect(leaksIn('control', createHash('md5').update(canaries[3]).digest('hex'))).toHaveLength(1);
    expect(Object.entries(places).flatMap(([place, text]) => leaksIn(place, text))).toEqual([]);
    expect(canaries.length).toBeGreaterThan(60);
  });
});
