import {
  baseEnv,
  cleanUp,
  COUNTY,
  ELMSHORN,
  get,
  isolatedNames,
  KpiProducer,
  kpiValue,
  type PublicationUnderTest,
  sleep,
  startPublication,
  waitUntil,
} from './harness';
import { SseClient } from './sse-client';

const BIRTHS = 'births_per_1000';
const APPEN = '01056001';

describe('read model and change stream (server-sent events) across instances', () => {
  const names = isolatedNames('stream');
  let env: Record<string, string>;
  let a: PublicationUnderTest;
  let b: PublicationUnderTest;
  let producer: KpiProducer;
  const clients: SseClient[] = [];
  const open = async (svc: PublicationUnderTest, query: string) => {
    const c = await SseClient.open(`${svc.url}/api/v1/stream${query}`);
    clients.push(c);
    return c;
  };
  const kpiEvents = (c: SseClient) => c.messages.filter((m) => m.event === 'kpi-value');

  beforeAll(async () => {
    // Two instances of one deployment: same consumer group, database and cache prefix. One partition,
    // so exactly one of them consumes; the other learns of changes over Redis.
    env = baseEnv(names, { TOPIC_PARTITIONS: '1' });
    a = await startPublication(env);
    b = await startPublication(env);
    producer = new KpiProducer(a.topic);
    await producer.publish([kpiValue({ indicatorId: BIRTHS, regionCode: COUNTY, period: '2020', value: 1 })]);
    await waitUntil(
      async () =>
        (await get(a.url, `/api/v1/indicators/${BIRTHS}/values?region=${COUNTY}&from=2020&to=2020`)).json<{
          values: unknown[];
        }>().values.length === 1,
      'consumer running',
    );
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await producer?.disconnect();
    await Promise.all([a?.close(), b?.close()]);
    await cleanUp(env, names.prefix);
  });

  it('sends every published change to the clients of every instance, filtered by indicator and region', async () => {
    const allOnA = await open(a, '');
    const filteredOnA = await open(a, `?indicator=${BIRTHS}&region=${ELMSHORN}`);
    const filteredOnB = await open(b, `?indicator=${BIRTHS}&region=${ELMSHORN}`);
    expect(allOnA.status).toBe(200);
    expect(allOnA.contentType).toMatch(/^text\/event-stream/);

    await producer.publish([
      kpiValue({
        indicatorId: BIRTHS,
        regionCode: ELMSHORN,
        period: '2023',
        value: 8.41,
        computedAt: '2026-02-01T00:00:00.000Z',
      }),
      kpiValue({
        indicatorId: BIRTHS,
        regionCode: APPEN,
        period: '2023',
        value: null,
        suppressed: true,
        reason: 'primary',
      }),
      kpiValue({ indicatorId: 'deaths_per_1000', regionCode: ELMSHORN, period: '2023', value: 10.5 }),
    ]);
    await waitUntil(() => kpiEvents(allOnA).length >= 3, 'all three on the unfiltered stream');
    await waitUntil(
      () => kpiEvents(filteredOnA).length >= 1 && kpiEvents(filteredOnB).length >= 1,
      'the Elmshorn change on both instances',
    );
    await sleep(300); // anything else would have arrived by now
    for (const client of [filteredOnA, filteredOnB]) {
      expect(kpiEvents(client)).toHaveLength(1);
      const [event] = kpiEvents(client);
      expect(event.id).toMatch(/^[\w-]+$/);
      expect(event.data).toEqual({
        indicator: { id: BIRTHS, unit: '‰', version: 1 },
        region: { code: ELMSHORN, name: 'Elmshorn, Stadt', level: 'municipality' },
        period: '2023',
        value: 8.41,
        suppressed: false,
        comparison: { county: 8.12, state: 7.9, germany: 8.2 },
        revised: false,
        indicatorVersion: 1,
        publishedAt: '2026-02-01T00:00:00.000Z',
      });
    }
    const appen = kpiEvents(allOnA).find((e) => (e.data.region as { code: string }).code === APPEN)!;
    expect(appen.data).toMatchObject({ value: null, suppressed: true, reason: 'primary' });
  });

  it('sends nothing for a message that changes nothing (a redelivery)', async () => {
    const stream = await open(b, `?region=${ELMSHORN}`);
    await producer.publish([
      kpiValue({
        indicatorId: BIRTHS,
        regionCode: ELMSHORN,
        period: '2023',
        value: 8.41,
        computedAt: '2026-02-01T00:00:00.000Z',
      }),
    ]);
    await producer.publish([kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2019', value: 3 })]); // marker, after it on the one partition
    await waitUntil(() => kpiEvents(stream).some((e) => e.data.period === '2019'), 'marker');
    await sleep(200);
    expect(kpiEvents(stream).map((e) => e.data.period)).toEqual(['2019']);
  });

  it('answers a value on every instance, whichever consumed it, and on an instance started later', async () => {
    const path = `/api/v1/indicators/${BIRTHS}/values?region=${COUNTY}&from=2016&to=2016`;
    const valueAt = async (svc: PublicationUnderTest) =>
      (await get(svc.url, path)).json<{ values: { value: number }[] }>().values[0]?.value;
    await producer.publish([kpiValue({ indicatorId: BIRTHS, regionCode: COUNTY, period: '2016', value: 7.77 })]);
    // one partition: one instance consumes it, the other reads it from the publication log
    await waitUntil(async () => (await valueAt(a)) === 7.77 && (await valueAt(b)) === 7.77, 'value on both');
    // a new instance of the deployment (same group: the message is committed, it is not consumed again)
    // answers from the log it loaded before it started
    const c = await startPublication(env);
    try {
      expect(await valueAt(c)).toBe(7.77);
      expect((await get(c.url, '/health/ready')).status).toBe(200);
    } finally {
      await c.close();
    }
  });

  it('answers bad filters with 400 naming them', async () => {
    const res = await get(a.url, '/api/v1/stream?indicator=nope&region=01056015');
    expect(res.status).toBe(400);
    expect(res.json<{ errors: { parameter: string }[] }>().errors.map((e) => e.parameter)).toEqual(['indicator']);
    expect((await get(a.url, '/api/v1/stream?region=99999999')).status).toBe(400);
    expect((await get(a.url, '/api/v1/stream?topic=x')).status).toBe(400);
  });
});
