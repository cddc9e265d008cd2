import Redis from 'ioredis';
import mongoose from 'mongoose';
import {
  ANALYST_TOKEN,
  baseEnv,
  cleanUp,
  COUNTY,
  ELMSHORN,
  FakeKpiCalculation,
  get,
  isolatedNames,
  KpiProducer,
  kpiValue,
  type PublicationUnderTest,
  REGIONS,
  startPublication,
  type ValuesAnswer,
  waitUntil,
} from './harness';
import { SseClient } from './sse-client';

const BIRTHS = 'births_per_1000';
const APPEN = '01056001';
const BARMSTEDT = '01056002';

// Numbers a faulty producer might leak: a value it marked suppressed, and the counts behind values.
const CANARIES = ['4242.17', '4243', '4244', '4245.19', '4246', '4247.33'];

describe('no suppressed value is reachable (privacy.md §3): API, CSV, stream, cache, read model', () => {
  const names = isolatedNames('disclosure');
  const fake = new FakeKpiCalculation();
  let env: Record<string, string>;
  let svc: PublicationUnderTest;
  let producer: KpiProducer;
  let stream: SseClient;

  beforeAll(async () => {
    await fake.start();
    env = baseEnv(names, { KPI_CALCULATION_URL: fake.url });
    svc = await startPublication(env);
    stream = await SseClient.open(`${svc.url}/api/v1/stream`);
    producer = new KpiProducer(svc.topic);
    // on-demand answers with a suppressed value that still carries a number and counts
    fake.overrides.set(
      BIRTHS,
      REGIONS.map((r) =>
        r.code === APPEN
          ? {
              ...kpiValue({ indicatorId: BIRTHS, regionCode: r.code, period: '__DATE__' }),
              value: 4245.19,
              suppressed: true,
              numerator: 4246,
            }
          : {
              ...kpiValue({ indicatorId: BIRTHS, regionCode: r.code, period: '__DATE__', value: 5 }),
              denominator: 4247.33,
            },
      ),
    );
    await producer.publish([
      {
        ...kpiValue({ indicatorId: BIRTHS, regionCode: APPEN, period: '2023' }),
        value: 4242.17,
        suppressed: true,
        reason: 'primary',
        numerator: 4243,
        denominator: 4244,
      },
      {
        ...kpiValue({ indicatorId: BIRTHS, regionCode: BARMSTEDT, period: '2023' }),
        value: 4242.17,
        suppressed: true,
        reason: 'secondary',
      },
      { ...kpiValue({ indicatorId: BIRTHS, regionCode: APPEN, period: 'current' }), value: 4242.17, suppressed: true },
      {
        ...kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2023', value: 8.41 }),
        numerator: 4243,
        denominator: 4244,
      },
      kpiValue({ indicatorId: BIRTHS, regionCode: COUNTY, period: '2023', value: 8.12 }),
    ]);
    await waitUntil(
      async () =>
        (await get(svc.url, `/api/v1/indicators/${BIRTHS}/values?from=2023&to=2023`)).json<ValuesAnswer>().values
          .length === 4,
      'values visible',
    );
    await waitUntil(() => stream.messages.length >= 5, 'stream events');
  });

  afterAll(async () => {
    await stream?.close();
    await producer?.disconnect();
    await svc?.close();
    await fake.stop();
    await cleanUp(env, names.prefix);
  });

  it('walks every endpoint, representation, the stream, every Redis key and value and every MongoDB document', async () => {
    // fake answers carry the requested date as their period
    const dated = (date: string) =>
      fake.overrides.set(
        BIRTHS,
        (fake.overrides.get(BIRTHS) as Record<string, unknown>[]).map((v) => ({ ...v, period: date })),
      );
    const texts: string[] = [];
    const analyst = { authorization: `Bearer ${ANALYST_TOKEN}` };
    const paths: [string, Record<string, string>?][] = [
      [`/api/v1/indicators/${BIRTHS}/values`],
      [`/api/v1/indicators/${BIRTHS}/values?from=2023&to=2023`],
      [`/api/v1/indicators/${BIRTHS}/values?date=2023-12-31`],
      [`/api/v1/indicators/${BIRTHS}/values?date=today`],
      [`/api/v1/indicators/${BIRTHS}/values?asOf=2099-01-01T00:00:00Z`],
      [`/api/v1/indicators/${BIRTHS}/values?date=today&asOf=2099-01-01T00:00:00Z`],
      [`/api/v1/regions/${APPEN}/profile?year=2023`],
      [`/api/v1/regions/${APPEN}/profile?date=today`],
      [`/api/v1/regions/${APPEN}/profile?year=2023&asOf=2099-01-01T00:00:00Z`],
      [`/api/v1/regions/${BARMSTEDT}/profile?year=2023`],
      [`/api/v1/regions/${ELMSHORN}/profile?year=2023`],
      [`/api/v1/indicators/${BIRTHS}/map?year=2023`],
      [`/api/v1/indicators/${BIRTHS}/map?year=2023&classes=jenks&k=7&asOf=2099-01-01T00:00:00Z`],
      [`/api/v1/indicators/${BIRTHS}/map?date=2024-06-30&classes=equal`],
    ];
    for (const date of ['2024-06-30', '2024-06-14']) {
      paths.push(
        [`/api/v1/indicators/${BIRTHS}/values?date=${date}`, analyst],
        [`/api/v1/regions/${APPEN}/profile?date=${date}`, analyst],
      );
    }
    for (const [path, headers] of paths) {
      const date = /date=(\d{4}-\d{2}-\d{2})/.exec(path)?.[1];
      if (date) dated(date);
      for (const accept of ['application/json', 'text/csv']) {
        for (let twice = 0; twice < 2; twice++) {
          // twice: once computed, once from the cache
          const res = await get(svc.url, path, { accept, ...(headers ?? {}) });
          expect([path, accept, res.status]).toEqual([path, accept, 200]);
          texts.push(res.text);
        }
      }
    }
    // the suppressed values are there, as null
    const appen = (
      await get(svc.url, `/api/v1/indicators/${BIRTHS}/values?region=${APPEN}&region=${BARMSTEDT}&from=2023&to=2023`)
    ).json<ValuesAnswer>();
    expect(appen.values.map((v) => [v.region.code, v.value, v.suppressed, v.reason])).toEqual([
      [APPEN, null, true, 'primary'],
      [BARMSTEDT, null, true, 'secondary'],
    ]);
    const monthEnd = (
      await get(svc.url, `/api/v1/indicators/${BIRTHS}/values?region=${APPEN}&date=2024-06-30`)
    ).json<ValuesAnswer>();
    expect(monthEnd.values[0]).toMatchObject({ value: null, suppressed: true });

    texts.push(JSON.stringify(stream.messages));
    expect(
      stream.messages
        .filter((m) => (m.data.region as { code: string }).code === APPEN)
        .every((m) => m.data.value === null),
    ).toBe(true);

    const redis = new Redis(env.REDIS_URL);
    try {
      const keys = await redis.keys(`${names.prefix}:*`);
      expect(keys.some((k) => k.includes(':slice:'))).toBe(true);
      expect(keys.some((k) => k.includes(':stichtag:'))).toBe(true);
      texts.push(keys.join('\n'), ...((await redis.mget(keys)).filter(Boolean) as string[]));
    } finally {
      redis.disconnect();
    }

    const connection = await mongoose.createConnection(env.MONGO_URL).asPromise();
    try {
      for (const { name } of await connection.db!.listCollections().toArray()) {
        texts.push(JSON.stringify(await connection.db!.collection(name).find({}).toArray()));
      }
    } finally {
      await connection.close();
    }

    const everything = texts.join('\n');
    expect(everything).toContain('8.41'); // the walk did see published values
    for (const canary of CANARIES) expect(everything).not.toContain(canary);
    expect(everything).not.toMatch(/numerator|denominator/);
  });
});
