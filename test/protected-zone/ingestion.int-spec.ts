import type { SourceRecord } from '@sozialmonitor/contracts';
import { createKafka, type ConsumedEvent } from '@sozialmonitor/messaging';
import { parseKeyRing, RecordSealer, sealingAad } from '@sozialmonitor/privacy';
import type { Kafka } from 'kafkajs';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { bodyOf, CONTENT_TYPES, gzip, isolatedMongoUrl, keyRing, post, sampleOf, token } from './support/fixtures';
import { createPrivateTopics, type PrivateTopics } from '@sozialmonitor/testing/private-topics';
import { freePort } from '@sozialmonitor/testing/free-port';
import { startService, type RunningService } from './support/running-service';
import { TopicTail } from './support/topic-tail';

/**
 * The ingestion service as a real process against real Kafka and MongoDB (FerretDB): deliveries in
 * every format, exact validation errors, auth, limits, snapshots and the drop folder. What reaches the
 * raw topic (the run's own, RAW_TOPIC) is opened with the test's key and compared.
 */
describe('ingestion service', () => {
  const run = randomUUID().slice(0, 8);
  const rawKeys = keyRing(`it-${run}`);
  const sealer = new RecordSealer(parseKeyRing(rawKeys, 'RAW_ENCRYPTION_KEYS'));
  const tokens = { all: token(), population: token(), analyst: token() };
  const database = `sm_ingestion_it_${run}`;
  const limit = 256 * 1024;
  let dropFolder: string;
  let service: RunningService;
  let kafka: Kafka;
  let raw: TopicTail;
  let topics: PrivateTopics<'raw' | 'control'>;

  const id = (name: string) => `${run}-${name}`;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const deliver = (
    source: string,
    body: Buffer,
    format: keyof typeof CONTENT_TYPES,
    headers: Record<string, string> = {},
    query = '',
  ) =>
    post(`${service.url}/api/v1/sources/${source}/records${query}`, body, {
      'content-type': CONTENT_TYPES[format],
      ...auth(tokens.all),
      ...headers,
    });
  const open = (e: ConsumedEvent): SourceRecord =>
    JSON.parse(sealer.open(e.value!, e.headers.sm_key_id, sealingAad(e.topic, e.key!)).toString('utf8'));
  // the raw key is `<source>:<keyed hash of the recordId>` (privacy.md §1): a record is found by its sealed content
  const rawOf = (recordId: string) => (e: ConsumedEvent) => open(e).recordId === recordId;

  beforeAll(async () => {
    dropFolder = await mkdtemp(join(tmpdir(), 'sm-drop-'));
    const port = await freePort();
    kafka = createKafka({ brokers: process.env.KAFKA_BROKERS!, clientId: 'ingestion-it', log: () => undefined });
    topics = await createPrivateTopics(kafka, `test.ingestion-${run}`, ['raw', 'control']);
    service = await startService(
      'ingestion',
      {
        KAFKA_BROKERS: process.env.KAFKA_BROKERS!,
        MONGO_URL: isolatedMongoUrl(process.env.MONGO_URL!, database),
        RAW_ENCRYPTION_KEYS: rawKeys,
        API_TOKENS: JSON.stringify([
          { name: 'feed-all', token: tokens.all, roles: ['ingest'] },
          { name: 'feed-population', token: tokens.population, roles: ['ingest'], sources: ['population'] },
          { name: 'reports', token: tokens.analyst, roles: ['analyst'] },
        ]),
        INGESTION_PORT: String(port),
        RAW_TOPIC: topics.names.raw,
        CONTROL_TOPIC: topics.names.control,
        INGESTION_MAX_BODY_BYTES: String(limit),
        DROP_FOLDER: dropFolder,
        DROP_FOLDER_POLL_MS: '200',
        DROP_FOLDER_SETTLE_MS: '0',
      },
      port,
    );
    raw = await TopicTail.start(kafka, topics.names.raw);
  });

  afterAll(async () => {
    await raw?.stop();
    await service?.stop();
    await topics?.remove();
    const connection = await mongoose.createConnection(isolatedMongoUrl(process.env.MONGO_URL!, database)).asPromise();
    await connection.dropDatabase();
    await connection.close();
    await rm(dropFolder, { recursive: true, force: true });
  });

  it('lists the sources with JSON Schemas and formats', async () => {
    const res = await fetch(`${service.url}/api/v1/sources`);
    const body = (await res.json()) as {
      sources: {
        name: string;
        formats: string[];
        schema: { $schema: string };
        fields: { name: string; privacy: string }[];
      }[];
    };
    expect(res.status).toBe(200);
    expect(body.sources.map((s) => s.name)).toEqual([
      'population',
      'sgb2',
      'unemployment',
      'childcare',
      'youth_welfare',
      'housing_benefit',
      'basic_income_elderly',
      'reference_values',
    ]);
    expect(body.sources[0].formats).toEqual(['application/json', 'application/x-ndjson', 'text/csv']);
    expect(body.sources[0].schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(body.sources[0].fields.find((f) => f.name === 'personId')?.privacy).toBe('identifier');
  });

  it('serves OpenAPI, health and metrics', async () => {
    const openapi = (await (await fetch(`${service.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/sources',
        '/api/v1/sources/{source}/records',
        '/api/v1/sources/{source}/snapshots/{snapshotId}/complete',
      ]),
    );
    expect((await fetch(`${service.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    expect((await fetch(`${service.url}/api/docs`)).status).toBe(200);
  });

  describe('auth on every write endpoint', () => {
    const endpoints = [
      (source: string) => `/api/v1/sources/${source}/records`,
      (source: string) => `/api/v1/sources/${source}/snapshots/s-1/complete`,
    ];
    it.each([
      ['no token', {}, 'population', 401],
      ['an unknown token', auth('x'.repeat(30)), 'population', 401],
      ['a malformed header', { authorization: `Basic ${'x'.repeat(20)}` }, 'population', 401],
      ['a token without the ingest role', { authorization: '' }, 'population', 403],
      ['a token not granted the source', { authorization: '' }, 'sgb2', 403],
    ])('%s: %s', async (_what, headers, source, status) => {
      const h: Record<string, string> = { 'content-type': 'application/json', ...(headers as Record<string, string>) };
      if (_what === 'a token without the ingest role') h.authorization = `Bearer ${tokens.analyst}`;
      if (_what === 'a token not granted the source') h.authorization = `Bearer ${tokens.population}`;
      for (const path of endpoints) {
        const res = await post(
          `${service.url}${path(source)}`,
          Buffer.from(JSON.stringify([sampleOf(source, id('auth'))])),
          h,
        );
        expect([path(source), res.status]).toEqual([path(source), status]);
        expect(res.json.type).toBeDefined();
      }
      expect(raw.matching(rawOf(id('auth')))).toEqual([]);
    });

    it('a token granted the source delivers to it', async () => {
      const res = await post(
        `${service.url}/api/v1/sources/population/records`,
        bodyOf('population', [sampleOf('population', id('granted'))], 'json'),
        {
          'content-type': 'application/json',
          ...auth(tokens.population),
        },
      );
      expect(res.status).toBe(202);
    });
  });

  it('404 for an unknown source', async () => {
    expect((await deliver('pets', Buffer.from('[]'), 'json')).status).toBe(404);
  });

  it('accepts JSON, NDJSON, CSV and gzip; 202 means the records are in Kafka, sealed, with CloudEvents headers', async () => {
    const records = (fmt: string) => [
      sampleOf('sgb2', id(`${fmt}-1`)),
      sampleOf('sgb2', id(`${fmt}-2`), { validTo: '2024-01-01' }),
    ];
    for (const [format, zipped] of [
      ['json', false],
      ['ndjson', false],
      ['csv', false],
      ['csv', true],
      ['ndjson', true],
    ] as const) {
      const tag = `${format}${zipped ? 'gz' : ''}`;
      const body = bodyOf('sgb2', records(tag), format);
      const res = await deliver(
        'sgb2',
        zipped ? gzip(body) : body,
        format,
        zipped ? { 'content-encoding': 'gzip' } : {},
      );
      expect(res.status).toBe(202);
      expect(res.json).toMatchObject({ source: 'sgb2', received: 2, accepted: 2, rejected: 0, errors: [] });
      // 202 was sent after Kafka acknowledged: the messages are there now.
      const events = await raw.waitFor((e) => rawOf(id(`${tag}-1`))(e) || rawOf(id(`${tag}-2`))(e), 2, 10_000);
      for (const e of events) {
        expect(e).toMatchObject({
          topic: topics.names.raw,
          type: 'de.sozialmonitor.raw.record.v1',
          source: '/sozialmonitor/ingestion',
          specversion: '1.0',
          subject: 'sgb2',
          contentType: 'application/octet-stream',
        });
        expect(e.headers.sm_key_id).toBe(`it-${run}`);
        expect(e.value!.includes(Buffer.from('Beispiel'))).toBe(false);
      }
      const opened = events.map(open).sort((a, b) => a.recordId.localeCompare(b.recordId));
      expect(opened[0]).toEqual({ ...records(tag)[0] });
      expect(opened[1].validTo).toBe('2024-01-01');
    }
  });

  it('answers the exact errors for invalid records and publishes the rest', async () => {
    const csv = [
      'recordId,personId,birthDate,sex,nationality,ags,validFrom,validTo,legalBasis',
      `${id('e-ok')},P1,1980-01-01,f,DE,01056015,2020-01-01,,sgb2`,
      `${id('e-bad')},P2,1980-02-30,w,de,01056999,2020-01-01,2019-01-01,sgb4`,
      `Anna Beispiel,P3,1980-01-01,f,DE,01056015,2020-01-01,,sgb2`,
      `${id('e-short')},P4`,
    ].join('\n');
    const res = await deliver('unemployment', Buffer.from(csv), 'csv');
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ received: 4, accepted: 1, rejected: 3 });
    expect(res.json.errors).toEqual([
      {
        index: 1,
        line: 3,
        recordId: id('e-bad'),
        field: 'birthDate',
        rule: 'date',
        message: 'must be a date YYYY-MM-DD',
      },
      { index: 1, line: 3, recordId: id('e-bad'), field: 'sex', rule: 'enum', message: 'must be one of m, f, d, x' },
      {
        index: 1,
        line: 3,
        recordId: id('e-bad'),
        field: 'nationality',
        rule: 'nationality',
        message: 'must be an ISO 3166-1 alpha-2 code in upper case or XX',
      },
      {
        index: 1,
        line: 3,
        recordId: id('e-bad'),
        field: 'ags',
        rule: 'ags',
        message: 'must be the key (AGS) of a municipality of the county',
      },
      {
        index: 1,
        line: 3,
        recordId: id('e-bad'),
        field: 'legalBasis',
        rule: 'enum',
        message: 'must be one of sgb2, sgb3',
      },
      {
        index: 1,
        line: 3,
        recordId: id('e-bad'),
        field: 'validTo',
        rule: 'date_order',
        message: 'must be later than validFrom',
      },
      {
        index: 2,
        line: 4,
        field: 'recordId',
        rule: 'record_id',
        message: 'must be 1–64 characters of A-Z a-z 0-9 . _ : -',
      },
      { index: 3, line: 5, field: '(record)', rule: 'column_count', message: 'must have 9 cells like the header' },
    ]);
    expect(JSON.stringify(res.json)).not.toMatch(/1980-02-30|01056999|Anna|sgb4/);
    await raw.waitFor(rawOf(id('e-ok')));
    expect(raw.matching(rawOf(id('e-bad')))).toEqual([]);
  });

  it('lists at most 1000 errors and counts all', async () => {
    const records = Array.from({ length: 600 }, (_, i) =>
      sampleOf('youth_welfare', id(`many-${i}`), { sex: 'q', paragraph: '99' }),
    );
    const res = await deliver('youth_welfare', bodyOf('youth_welfare', records, 'ndjson'), 'ndjson');
    expect(res.json).toMatchObject({ received: 600, accepted: 0, rejected: 600, errorsTruncated: true });
    expect((res.json.errors as unknown[]).length).toBe(1000);
  });

  it.each([
    ['text/plain', 'x', {}, 415, 'unsupported content type: send application/json, application/x-ndjson, text/csv'],
    ['text/csv', 'x', { 'content-encoding': 'br' }, 415, 'unsupported content encoding: send gzip or none'],
    [
      'text/csv',
      'a,b\n1,2\n',
      {},
      400,
      'CSV without header: the first line must name the fields (with recordId); nothing was published',
    ],
    ['application/json', '{"recordId":"x"}', {}, 400, 'the body is not a JSON array; nothing was published'],
    ['application/json', 'recordId,sex\n', {}, 400, 'the body is not a JSON array; nothing was published'],
    [
      'application/x-ndjson',
      'recordId,sex\n',
      {},
      400,
      'the body is not NDJSON: line 1 is not JSON; nothing was published',
    ],
    [
      'text/csv',
      'recordId\nx\n',
      { 'content-encoding': 'gzip' },
      400,
      'the body is not valid gzip; nothing was published',
    ],
  ])('%s %j → %s', async (contentType, body, headers, status, detail) => {
    const res = await post(`${service.url}/api/v1/sources/population/records`, Buffer.from(body), {
      'content-type': contentType,
      ...auth(tokens.all),
      ...headers,
    });
    expect(res.status).toBe(status);
    expect(res.json.detail).toBe(detail);
  });

  it('a body broken after valid records: 400 and, within the first batch, nothing published', async () => {
    const body = `[${JSON.stringify(sampleOf('population', id('broken-1')))}, {"recordId": "x"} garbage`;
    const res = await deliver('population', Buffer.from(body), 'json');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ received: 2, published: 0 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(raw.matching(rawOf(id('broken-1')))).toEqual([]);
  });

  it('413 for a declared Content-Length over the limit and for a streamed body that grows over it', async () => {
    const big = Buffer.alloc(limit + 10, 0x20);
    expect((await deliver('population', big, 'json')).status).toBe(413);
    // Chunked, no Content-Length: the limit is found while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${service.url}/api/v1/sources/population/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked', ...auth(tokens.all) },
      });
      req.on('response', (res) => resolve(res.statusCode!));
      req.on('error', reject);
      const line = Buffer.from(JSON.stringify(sampleOf('population', id('chunked'))) + '\n');
      let sent = 0;
      const pump = () => {
        while (sent <= limit + line.length) {
          sent += line.length;
          if (!req.write(line)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('snapshots: completing retracts what the extract lacks, keeps what was delivered meanwhile; idempotent; 409 afterwards', async () => {
    const s = (n: string) => sampleOf('housing_benefit', id(`snap-${n}`));
    expect(
      (await deliver('housing_benefit', bodyOf('housing_benefit', [s('a'), s('b'), s('c')], 'json'), 'json')).status,
    ).toBe(202);
    const snapshotId = `snap-${run}`;
    const q = `?mode=snapshot&snapshotId=${snapshotId}`;
    expect(
      (await deliver('housing_benefit', bodyOf('housing_benefit', [s('a')], 'ndjson'), 'ndjson', {}, q)).json,
    ).toMatchObject({ accepted: 1, snapshotId });
    expect((await deliver('housing_benefit', bodyOf('housing_benefit', [s('b')], 'csv'), 'csv', {}, q)).status).toBe(
      202,
    );
    // Another snapshot of the same source while this one is open: 409.
    expect(
      (
        await deliver(
          'housing_benefit',
          bodyOf('housing_benefit', [s('a')], 'json'),
          'json',
          {},
          `?mode=snapshot&snapshotId=other-${run}`,
        )
      ).status,
    ).toBe(409);
    // Delivered normally after the snapshot began: newer than the extract, kept.
    expect((await deliver('housing_benefit', bodyOf('housing_benefit', [s('d')], 'json'), 'json')).status).toBe(202);
    const completeUrl = `${service.url}/api/v1/sources/housing_benefit/snapshots/${snapshotId}/complete`;
    const done = await post(completeUrl, Buffer.alloc(0), auth(tokens.all));
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({
      source: 'housing_benefit',
      snapshotId,
      status: 'completed',
      deliveries: 2,
      accepted: 2,
    });
    expect(done.json.retracted).toBe(1); // c: this test file has its own database
    const [retraction] = await raw.waitFor((e) => rawOf(id('snap-c'))(e) && open(e).deleted === true);
    expect(open(retraction)).toEqual({ recordId: id('snap-c'), deleted: true });
    for (const kept of ['a', 'b', 'd'])
      expect(raw.matching((e) => rawOf(id(`snap-${kept}`))(e) && open(e).deleted === true)).toEqual([]);
    expect((await post(completeUrl, Buffer.alloc(0), auth(tokens.all))).json).toEqual(done.json);
    expect((await deliver('housing_benefit', bodyOf('housing_benefit', [s('a')], 'json'), 'json', {}, q)).status).toBe(
      409,
    );
    expect(
      (
        await post(
          `${service.url}/api/v1/sources/housing_benefit/snapshots/never/complete`,
          Buffer.alloc(0),
          auth(tokens.all),
        )
      ).status,
    ).toBe(404);
    expect((await deliver('housing_benefit', Buffer.from('[]'), 'json', {}, '?mode=full')).json.detail).toBe(
      'mode: must be "snapshot" (with snapshotId) or absent',
    );
  });

  it('the drop folder delivers files and moves them to done/ or failed/ with a report', async () => {
    await writeFile(
      join(dropFolder, `childcare__${run}.csv`),
      bodyOf('childcare', [sampleOf('childcare', id('drop-1'))], 'csv'),
    );
    await writeFile(
      join(dropFolder, `childcare__${run}-bad.ndjson`),
      bodyOf(
        'childcare',
        [sampleOf('childcare', id('drop-2')), sampleOf('childcare', id('drop-3'), { careType: 'x' })],
        'ndjson',
      ),
    );
    await writeFile(join(dropFolder, `pets__${run}.csv`), 'recordId\nx\n');
    await writeFile(join(dropFolder, `childcare__${run}-broken.json`), '{"no": "array"}');
    const until = Date.now() + 30_000;
    while (
      (await readdir(join(dropFolder, 'done'))).length + (await readdir(join(dropFolder, 'failed'))).length < 7 &&
      Date.now() < until
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await readdir(join(dropFolder, 'done'))).sort()).toEqual([`childcare__${run}.csv`]);
    expect((await readdir(join(dropFolder, 'failed'))).sort()).toEqual(
      [`childcare__${run}-bad.ndjson`, `childcare__${run}-broken.json`, `pets__${run}.csv`]
        .flatMap((n) => [n, `${n}.report.json`])
        .sort(),
    );
    const bad = JSON.parse(
      await readFile(join(dropFolder, 'failed', `childcare__${run}-bad.ndjson.report.json`), 'utf8'),
    );
    expect(bad).toMatchObject({
      received: 2,
      accepted: 1,
      rejected: 1,
      errors: [{ index: 1, line: 2, recordId: id('drop-3'), field: 'careType', rule: 'enum' }],
    });
    const broken = JSON.parse(
      await readFile(join(dropFolder, 'failed', `childcare__${run}-broken.json.report.json`), 'utf8'),
    );
    expect(broken).toMatchObject({ status: 'unreadable', reason: 'the body is not a JSON array', published: 0 });
    await raw.waitFor((e) => rawOf(id('drop-1'))(e) || rawOf(id('drop-2'))(e), 2);
    expect(await readdir(dropFolder)).toEqual(expect.not.arrayContaining([`childcare__${run}.csv`]));
  });

  it('counts records per source in the metrics and never logs a token', async () => {
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/sozialmonitor_ingestion_records_received_total\{[^}]*source="unemployment"[^}]*\} \d+/);
    expect(metrics).toMatch(/sozialmonitor_ingestion_records_rejected_total\{[^}]*source="youth_welfare"[^}]*\} 600/);
    expect(metrics).toMatch(/sozialmonitor_ingestion_deliveries_total\{[^}]*outcome="unreadable"/);
    for (const t of Object.values(tokens)) {
      expect(service.output()).not.toContain(t);
      expect(metrics).not.toContain(t);
    }
    expect(service.output()).toContain('delivery accepted');
  });
});
