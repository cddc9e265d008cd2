import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import mongoose from 'mongoose';
import { PUBLICATION_LOG_COLLECTION } from '../src/adapters/publication-log.repository';
import {
  ANALYST_TOKEN,
  baseEnv,
  cleanUp,
  COUNTY,
  ELMSHORN,
  FakeKpiCalculation,
  get,
  INGEST_TOKEN,
  isolatedNames,
  KpiProducer,
  kpiValue,
  MUNICIPALITY_CODES,
  type PublicationUnderTest,
  REGIONS,
  startPublication,
  type ValuesAnswer,
  waitUntil,
} from './harness';

const APPEN = '01056001';
const BIRTHS = 'births_per_1000';
/** What the fake kpi-calculation answers for Elmshorn at a date in month MM: MM.<index of Elmshorn>. */
const fakeElmshorn = (month: string) =>
  Number(`${month}.${String(REGIONS.findIndex((r) => r.code === ELMSHORN)).padStart(2, '0')}`);
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());

// Every municipal value of 2022 and 2023 and the county; Appen 2023 is suppressed (and the faulty
// producer's number for it must never surface).
const yearValues = ['2022', '2023'].flatMap((period) =>
  REGIONS.map((r, i) =>
    kpiValue({
      indicatorId: BIRTHS,
      regionCode: r.code,
      period,
      value:
        r.code === ELMSHORN && period === '2023'
          ? 8.41
          : Number(`${period === '2022' ? 6 : 7}.${String(i).padStart(2, '0')}`),
      comparison:
        r.level === 'municipality'
          ? { county: period === '2023' ? 8.12 : 7.5, state: 7.9, germany: 8.2 }
          : { state: 7.9, germany: 8.2 },
      computedAt: '2026-01-05T08:00:00.000Z',
      ...(r.code === APPEN && period === '2023' ? { value: null, suppressed: true, reason: 'primary' as const } : {}),
    }),
  ),
);

describe('publication API over real Kafka, MongoDB and Redis', () => {
  const names = isolatedNames('api');
  const fake = new FakeKpiCalculation();
  let svc: PublicationUnderTest;
  let producer: KpiProducer;
  let env: Record<string, string>;
  const values = async (query: string, headers: Record<string, string> = {}) =>
    get(svc.url, `/api/v1/indicators/${BIRTHS}/values${query}`, headers);

  beforeAll(async () => {
    await fake.start();
    // One partition: messages are processed in publication order, so a later marker proves an earlier message was handled.
    env = baseEnv(names, { KPI_CALCULATION_URL: fake.url, TOPIC_PARTITIONS: '1' });
    svc = await startPublication(env);
    producer = new KpiProducer(svc.topic);
    await producer.publish([
      ...yearValues,
      kpiValue({
        indicatorId: 'population',
        regionCode: ELMSHORN,
        period: '2023',
        unit: 'persons',
        value: 50_000,
        computedAt: '2026-01-05T08:00:00.000Z',
      }),
      kpiValue({
        indicatorId: BIRTHS,
        regionCode: ELMSHORN,
        period: 'current',
        value: 8.9,
        computedAt: new Date().toISOString(),
      }),
    ]);
    await waitUntil(
      async () => (await values('?region=01056015&from=2023&to=2023')).json<ValuesAnswer>().values.length === 1,
      'first values visible',
    );
    await waitUntil(
      async () => (await values('?date=today&region=01056015')).json<ValuesAnswer>().values.length === 1,
      'current value visible',
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await svc?.close();
    await fake.stop();
    await cleanUp(env, names.prefix);
  });

  describe('regions and catalogue', () => {
    it('lists the 49 municipalities and the county with code, name, level and parent; also as CSV', async () => {
      const res = await get(svc.url, '/api/v1/regions');
      expect(res.status).toBe(200);
      const { regions } = res.json<{ regions: { code: string; name: string; level: string; parent: string }[] }>();
      expect(regions).toHaveLength(50);
      expect(regions.find((r) => r.code === ELMSHORN)).toEqual({
        code: ELMSHORN,
        name: 'Elmshorn, Stadt',
        level: 'municipality',
        parent: COUNTY,
      });
      expect(regions.find((r) => r.code === COUNTY)).toMatchObject({ level: 'county', parent: '01' });
      expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
      const csv = await get(svc.url, '/api/v1/regions', { accept: 'text/csv' });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.text.split('\r\n')[0]).toBe('code,name,level,parent');
      expect(csv.text).toContain(`${ELMSHORN},"Elmshorn, Stadt",municipality,${COUNTY}`);
    });

    it('lists the catalogue and one entry; 404 for an unknown id', async () => {
      const list = (await get(svc.url, '/api/v1/indicators')).json<{ indicators: Record<string, unknown>[] }>();
      expect(list.indicators).toHaveLength(45); // the 44 of indicators.md and the social status index
      const one = await get(svc.url, `/api/v1/indicators/${BIRTHS}`);
      expect(one.status).toBe(200);
      expect(one.headers.get('cache-control')).toBe('public, no-cache'); // follows catalogue activations
      expect(one.json()).toMatchObject({
        id: BIRTHS,
        unit: '‰',
        version: 1,
        category: 'demography',
        names: { de: 'Geburtenrate' },
        formula: expect.any(String),
        sources: ['population'],
        description: { de: expect.any(String), en: expect.any(String) },
      });
      const missing = await get(svc.url, '/api/v1/indicators/no_such_indicator');
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(missing.json()).toMatchObject({
        status: 404,
        title: 'Not Found',
        detail: expect.stringContaining('no_such_indicator'),
      });
      expect((await get(svc.url, '/api/v1/indicators/no_such_indicator/values')).status).toBe(404);
    });

    it('describes every endpoint in its OpenAPI 3 document and is ready', async () => {
      const doc = SwaggerModule.createDocument(svc.app, new DocumentBuilder().build());
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/regions',
          '/api/v1/indicators',
          '/api/v1/indicators/{id}',
          '/api/v1/indicators/{id}/values',
          '/api/v1/regions/{code}/profile',
          '/api/v1/stream',
        ]),
      );
      expect((await get(svc.url, '/health/ready')).status).toBe(200);
    });
  });

  describe('values', () => {
    it('answers the shape of api.md with comparison values and region names', async () => {
      const res = await values('?region=01056015&from=2023&to=2023');
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        indicator: { id: BIRTHS, unit: '‰', version: 1, breaks: [] },
        values: [
          {
            region: { code: ELMSHORN, name: 'Elmshorn, Stadt', level: 'municipality' },
            period: '2023',
            value: 8.41,
            suppressed: false,
            comparison: { county: 8.12, state: 7.9, germany: 8.2 },
            revised: false,
            indicatorVersion: 1,
          },
        ],
      });
    });

    it('defaults to every municipality and the county over the published years', async () => {
      const body = (await values('')).json<ValuesAnswer>();
      expect(body.values).toHaveLength(100);
      expect(body.values.slice(0, 50).every((v) => v.period === '2022')).toBe(true);
      expect(body.values.slice(0, 50).map((v) => v.region.code)).toEqual([...MUNICIPALITY_CODES, COUNTY]);
      const county = body.values.find((v) => v.region.code === COUNTY)!;
      expect(county.comparison).toEqual({ state: 7.9, germany: 8.2 });
    });

    it('takes repeated regions and a year range', async () => {
      const body = (await values(`?region=${COUNTY}&region=${ELMSHORN}&from=2022`)).json<ValuesAnswer>();
      expect(body.values.map((v) => `${v.period}:${v.region.code}`)).toEqual([
        `2022:${ELMSHORN}`,
        `2022:${COUNTY}`,
        `2023:${ELMSHORN}`,
        `2023:${COUNTY}`,
      ]);
    });

    it('publishes a suppressed value as null with nothing it could be recomputed from', async () => {
      const [appen] = (await values(`?region=${APPEN}&from=2023&to=2023`)).json<ValuesAnswer>().values;
      expect(appen).toEqual({
        region: { code: APPEN, name: 'Appen', level: 'municipality' },
        period: '2023',
        value: null,
        suppressed: true,
        reason: 'primary',
        comparison: { county: 8.12, state: 7.9, germany: 8.2 },
        revised: false,
        indicatorVersion: 1,
      });
    });

    it('answers date=Y-12-31 from the year and date=today with the current value', async () => {
      const yearEnd = (await values(`?region=${ELMSHORN}&date=2023-12-31`)).json<ValuesAnswer>();
      expect(yearEnd.values).toEqual([expect.objectContaining({ period: '2023-12-31', value: 8.41 })]);
      const current = (await values(`?region=${ELMSHORN}&date=today`)).json<ValuesAnswer>();
      expect(current.values).toEqual([expect.objectContaining({ period: today, value: 8.9 })]);
    });

    it('gives the same as CSV', async () => {
      const res = await values(`?region=${ELMSHORN}&region=${APPEN}&from=2023&to=2023`, { accept: 'text/csv' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
      const lines = res.text.trimEnd().split('\r\n');
      expect(lines).toEqual([
        'indicator,unit,region_code,region_name,region_level,period,value,suppressed,reason,county,state,germany,revised',
        `${BIRTHS},‰,${APPEN},Appen,municipality,2023,,true,primary,8.12,7.9,8.2,false`,
        `${BIRTHS},‰,${ELMSHORN},"Elmshorn, Stadt",municipality,2023,8.41,false,,8.12,7.9,8.2,false`,
      ]);
      expect((await values('', { accept: 'application/xml' })).status).toBe(406);
    });

    it('carries ETag and Cache-Control and answers If-None-Match with 304', async () => {
      const first = await values(`?region=${ELMSHORN}&from=2023&to=2023`);
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(first.headers.get('cache-control')).toBe('public, no-cache');
      const again = await values(`?region=${ELMSHORN}&from=2023&to=2023`, { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      const csv = await values(`?region=${ELMSHORN}&from=2023&to=2023`, { accept: 'text/csv', 'if-none-match': etag });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('etag')).not.toBe(etag);
    });

    it('serves an anonymous answer as prepared bytes, compressed once as the client accepts it', async () => {
      const plain = await values('', { 'accept-encoding': 'identity' });
      expect(plain.headers.get('content-encoding')).toBeNull();
      expect(plain.headers.get('vary')).toBe('Accept, Accept-Encoding');
      for (const encoding of ['gzip', 'br']) {
        const first = await values('', { 'accept-encoding': encoding });
        expect(first.headers.get('content-encoding')).toBe(encoding); // fetch decodes the body
        expect(first.text).toBe(plain.text);
        expect(first.headers.get('etag')).toBe(plain.headers.get('etag')!.replace(/"$/, `-${encoding}"`));
        const again = await values('', { 'accept-encoding': encoding });
        expect(again.headers.get('x-cache')).toBe('hit');
        expect(again.text).toBe(plain.text);
        expect(
          (await values('', { 'accept-encoding': encoding, 'if-none-match': first.headers.get('etag')! })).status,
        ).toBe(304);
      }
    });

    it.each([
      ['?from=20x3', 'from'],
      ['?from=2024&to=2020', 'from'],
      ['?date=2024-13-01', 'date'],
      ['?date=2099-06-30', 'date'],
      ['?date=2023-06-30&from=2020', 'date'],
      ['?region=99999999', 'region'],
      ['?region=01', 'region'],
      ['?asOf=yesterday', 'asOf'],
      ['?date=2024-06-15&asOf=2026-01-01T00:00:00Z', 'asOf'],
      ['?regions=01056015', 'regions'],
      ['?from=2020&from=2021', 'from'],
    ])('answers %s with 400 naming %s', async (query, parameter) => {
      const res = await values(query);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = res.json<{ status: number; detail: string; errors: { parameter: string; message: string }[] }>();
      expect(problem.status).toBe(400);
      expect(problem.errors.map((e) => e.parameter)).toContain(parameter);
      expect(problem.detail).toContain(`${parameter}:`);
    });
  });

  describe('on-demand Stichtage and the analyst rule (privacy.md §3)', () => {
    it('gives anonymous readers month-end Stichtage from kpi-calculation, cached', async () => {
      const calls = fake.calls;
      const res = await values(`?region=${ELMSHORN}&date=2024-06-30`);
      expect(res.status).toBe(200);
      expect(res.json<ValuesAnswer>().values).toEqual([
        expect.objectContaining({
          period: '2024-06-30',
          value: fakeElmshorn('06'),
          suppressed: false,
          revised: false,
          comparison: { county: 5, state: null, germany: null },
        }),
      ]);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      expect((await values(`?region=${COUNTY}&date=2024-06-30`)).json<ValuesAnswer>().values[0].region.code).toBe(
        COUNTY,
      );
      expect(fake.calls).toBe(calls + 1);
      expect((await values(`?date=2024-02-29`)).status).toBe(200);
    });

    it('needs the analyst role for any other date: 401 without or with an unknown token, 403 without the role', async () => {
      expect((await values(`?date=2024-06-15`)).status).toBe(401);
      expect((await values(`?date=2024-06-15`, { authorization: 'Bearer not-a-configured-token-123' })).status).toBe(
        401,
      );
      expect((await values(`?date=2024-06-15`, { authorization: `Basic ${ANALYST_TOKEN}` })).status).toBe(401);
      const forbidden = await values(`?date=2024-06-15`, { authorization: `Bearer ${INGEST_TOKEN}` });
      expect(forbidden.status).toBe(403);
      expect(forbidden.json()).toMatchObject({ status: 403, detail: expect.stringContaining('analyst') });
      expect(forbidden.text).not.toContain(INGEST_TOKEN);
      const ok = await values(`?region=${ELMSHORN}&date=2024-06-15`, { authorization: `Bearer ${ANALYST_TOKEN}` });
      expect(ok.status).toBe(200);
      expect(ok.json<ValuesAnswer>().values[0]).toMatchObject({ period: '2024-06-15', value: fakeElmshorn('06') });
      expect(ok.headers.get('cache-control')).toBe('private, no-store');
      expect((await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?date=2024-06-15`)).status).toBe(401);
    });

    it('answers 503, not 500, when kpi-calculation is down', async () => {
      fake.failing = true;
      try {
        const res = await values(`?date=2023-04-30`);
        expect(res.status).toBe(503);
        expect(res.json()).toMatchObject({ status: 503 });
      } finally {
        fake.failing = false;
      }
    });
  });

  describe('profile', () => {
    it('gives every indicator for one region and year, also as CSV', async () => {
      const res = await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?year=2023`);
      expect(res.status).toBe(200);
      const body = res.json<{
        region: unknown;
        period: string;
        values: { indicator: { id: string }; value: number }[];
      }>();
      expect(body.region).toEqual({ code: ELMSHORN, name: 'Elmshorn, Stadt', level: 'municipality' });
      expect(body.period).toBe('2023');
      expect(body.values.map((v) => v.indicator.id)).toEqual(['population', BIRTHS]);
      expect(body.values[0]).toMatchObject({
        indicator: { id: 'population', unit: 'persons', version: 1, names: { de: 'Einwohnerinnen und Einwohner' } },
        value: 50_000,
        revised: false,
      });
      const csv = await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?year=2023`, { accept: 'text/csv' });
      expect(csv.text).toContain(`population,persons,${ELMSHORN},"Elmshorn, Stadt",municipality,2023,50000,false,`);
    });

    it('answers date=today and month ends', async () => {
      const current = (await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?date=today`)).json<{
        period: string;
        values: { indicator: { id: string }; value: number }[];
      }>();
      expect(current.period).toBe(today);
      expect(current.values).toEqual([
        expect.objectContaining({ indicator: expect.objectContaining({ id: BIRTHS }), value: 8.9 }),
      ]);
      const monthEnd = (await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?date=2024-03-31`)).json<{
        values: unknown[];
      }>();
      expect(monthEnd.values).toHaveLength(45);
    });

    it('404 for unknown regions and for the state; 400 naming bad parameters', async () => {
      expect((await get(svc.url, '/api/v1/regions/99999999/profile')).status).toBe(404);
      expect((await get(svc.url, '/api/v1/regions/01/profile')).status).toBe(404);
      const bad = await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?year=20x3`);
      expect(bad.status).toBe(400);
      expect(bad.json<{ errors: { parameter: string }[] }>().errors[0].parameter).toBe('year');
      const both = await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?year=2023&date=2023-06-30`);
      expect(both.json<{ errors: { parameter: string }[] }>().errors[0].parameter).toBe('date');
    });
  });

  describe('history: asOf and revised', () => {
    const T1 = '2026-01-10T10:00:00.000Z';
    const T2 = '2026-03-01T10:00:00.000Z';

    beforeAll(async () => {
      await producer.publish([
        kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2021', value: 5.0, computedAt: T1 }),
        kpiValue({
          indicatorId: BIRTHS,
          regionCode: ELMSHORN,
          period: '2020',
          value: 4.0,
          comparison: { county: 3, state: 7.9, germany: 8.2 },
          computedAt: T1,
        }),
      ]);
      await waitUntil(
        async () => (await values(`?region=${ELMSHORN}&from=2020&to=2021`)).json<ValuesAnswer>().values.length === 2,
        'history values',
      );
      // a correction of 2021, and a new county comparison for 2020 (the value itself unchanged)
      await producer.publish([
        kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2021', value: 5.5, computedAt: T2 }),
        kpiValue({
          indicatorId: BIRTHS,
          regionCode: ELMSHORN,
          period: '2020',
          value: 4.0,
          comparison: { county: 3.5, state: 7.9, germany: 8.2 },
          computedAt: T2,
        }),
      ]);
      await waitUntil(
        async () =>
          (await values(`?region=${ELMSHORN}&from=2021&to=2021`)).json<ValuesAnswer>().values[0].value === 5.5,
        'correction',
      );
    });

    it('marks a corrected value as revised, and a changed comparison alone not', async () => {
      const body = (await values(`?region=${ELMSHORN}&from=2020&to=2021`)).json<ValuesAnswer>();
      expect(body.values.map((v) => [v.period, v.value, v.revised, v.comparison.county])).toEqual([
        ['2020', 4.0, false, 3.5],
        ['2021', 5.5, true, 8.12],
      ]);
    });

    it('answers asOf before and after the correction as published then', async () => {
      // memory keeps only marks of superseded publications: their payloads come back from the log, once
      const payloadsRead = async () =>
        Number(
          /^sozialmonitor_publication_as_of_payloads_read_total(?:\{[^}]*\})? (\d+)/m.exec(
            await (await fetch(`${svc.url}/metrics`)).text(),
          )?.[1] ?? NaN,
        );
      const readBefore = await payloadsRead();
      const before = (
        await values(`?region=${ELMSHORN}&from=2020&to=2021&asOf=2026-02-01T00:00:00Z`)
      ).json<ValuesAnswer>();
      const readOnce = await payloadsRead();
      expect(readOnce - readBefore).toBeGreaterThanOrEqual(2); // 2020 and 2021 as of T1
      await values(`?region=${ELMSHORN}&from=2021&to=2021&asOf=2026-02-01T00:00:00Z`);
      expect(await payloadsRead()).toBe(readOnce); // the instant's answer is kept
      expect(before.asOf).toBe('2026-02-01T00:00:00.000Z');
      expect(before.values.map((v) => [v.period, v.value, v.revised, v.comparison.county])).toEqual([
        ['2020', 4.0, false, 3],
        ['2021', 5.0, false, 8.12],
      ]);
      const after = (
        await values(`?region=${ELMSHORN}&from=2020&to=2021&asOf=2026-03-01T11:00:00%2B01:00`)
      ).json<ValuesAnswer>();
      expect(after.values.map((v) => [v.period, v.value, v.revised])).toEqual([
        ['2020', 4.0, false],
        ['2021', 5.5, true],
      ]);
      const beforeAll = (
        await values(`?region=${ELMSHORN}&from=2020&to=2021&asOf=2025-12-31T23:59:59Z`)
      ).json<ValuesAnswer>();
      expect(beforeAll.values).toEqual([]);
      const profile = (
        await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?year=2021&asOf=2026-02-01T00:00:00Z`)
      ).json<{ values: { value: number }[] }>();
      expect(profile.values.map((v) => v.value)).toEqual([5.0]);
    });

    it('changes nothing when the same message comes twice', async () => {
      const connection = await mongoose.createConnection(env.MONGO_URL).asPromise();
      try {
        const log = connection.db!.collection(PUBLICATION_LOG_COLLECTION);
        const answer = async () =>
          (await values(`?region=${ELMSHORN}&from=2021&to=2021&asOf=2099-01-01T00:00:00Z`)).text;
        const documentsBefore = await log.countDocuments({});
        const before = await answer();
        await producer.publish([
          kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2021', value: 5.5, computedAt: T2 }),
        ]);
        // one partition: once this marker is visible, the duplicate before it was processed
        await producer.publish([kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2019', value: 1.23 })]);
        await waitUntil(
          async () => (await values(`?region=${ELMSHORN}&from=2019&to=2019`)).json<ValuesAnswer>().values.length === 1,
          'marker',
        );
        expect(await log.countDocuments({})).toBe(documentsBefore + 1); // the marker's document, none for the duplicate
        expect(await answer()).toBe(before);
      } finally {
        await connection.close();
      }
    });
  });

  it('reflects a new KPI event in the answer quickly (time printed)', async () => {
    const url = `?region=${ELMSHORN}&from=2023&to=2023`;
    const cachedBefore = await values(url);
    expect(cachedBefore.json<ValuesAnswer>().values[0].value).toBe(8.41);
    expect((await values(url)).headers.get('x-cache')).toBe('hit');
    const started = performance.now();
    await producer.publish([
      kpiValue({
        indicatorId: BIRTHS,
        regionCode: ELMSHORN,
        period: '2023',
        value: 8.44,
        comparison: { county: 8.12, state: 7.9, germany: 8.2 },
      }),
    ]);
    const published = performance.now();
    const changed = await waitUntil(async () => {
      const res = await values(url);
      return res.json<ValuesAnswer>().values[0].value === 8.44 ? res : undefined;
    }, 'changed value');
    const visible = performance.now();
    process.stdout.write(
      `publication: KPI event → changed API answer in ${Math.round(visible - started)} ms (${Math.round(visible - published)} ms after Kafka acknowledged the event)\n`,
    );
    expect(changed.json<ValuesAnswer>().values[0]).toMatchObject({ value: 8.44, revised: true });
    expect(changed.headers.get('etag')).not.toBe(cachedBefore.headers.get('etag'));
    // the next request is served from the refreshed cache entry
    expect((await values(url)).headers.get('x-cache')).toBe('hit');
  });
});
