import Redis from 'ioredis';
import { ReadModel } from '../src/application/read-model';
import {
  type Answer,
  baseEnv,
  cleanUp,
  ELMSHORN,
  FakeKpiCalculation,
  get,
  isolatedNames,
  KpiProducer,
  kpiValue,
  type PublicationUnderTest,
  startPublication,
  type ValuesAnswer,
  waitUntil,
} from './harness';
import { freePort } from '@sozialmonitor/testing/free-port';
import { CuttableProxy, RedisProcess } from './redis-process';

const BIRTHS = 'births_per_1000';
const URL_2023 = `/api/v1/indicators/${BIRTHS}/values?region=${ELMSHORN}&from=2023&to=2023`;

function valueOf(body: ValuesAnswer): number | null | undefined {
  return body.values[0]?.value;
}

/** Sends `n` requests one after the other; every answer is returned with its time. */
async function burst(svc: PublicationUnderTest, n: number, path = URL_2023) {
  const answers = [];
  for (let i = 0; i < n; i++) answers.push(await get(svc.url, path));
  return answers;
}

/** Publishes Elmshorn's births_per_1000 of 2023. */
function publishBirths(producer: KpiProducer, value: number): Promise<void> {
  return producer.publish([kpiValue({ indicatorId: BIRTHS, regionCode: ELMSHORN, period: '2023', value })]);
}

/** Waits until the answer for Elmshorn's births_per_1000 of 2023 shows `value`. */
function untilValue(svc: PublicationUnderTest, value: number, what: string): Promise<unknown> {
  return waitUntil(async () => valueOf((await get(svc.url, URL_2023)).json()) === value, what);
}

/** Asks for Elmshorn's births_per_1000 of 2023 (each answer to `check`) until one comes from the cache; returns it. */
function untilCacheHit(svc: PublicationUnderTest, what: string, check: (a: Answer) => void = () => undefined) {
  return waitUntil(async () => {
    const a = await get(svc.url, URL_2023);
    check(a);
    return a.headers.get('x-cache') === 'hit' ? a : undefined;
  }, what);
}

/** What `onPrivateRedis` starts; set once its beforeAll has run. */
interface PrivateRedisSetup {
  names: ReturnType<typeof isolatedNames>;
  redis: RedisProcess;
  /** Between the service and Redis, where asked for. */
  proxy?: CuttableProxy;
  svc: PublicationUnderTest;
  producer: KpiProducer;
}

/**
 * Before the tests of the calling describe: a private redis-server child process (never the shared
 * one), with `proxy` behind a cuttable proxy, and the service on it, with `first` published as
 * Elmshorn's births_per_1000 of 2023 and visible. After them, all of it stopped and removed.
 */
function onPrivateRedis(
  label: string,
  fake: FakeKpiCalculation,
  first: number,
  { proxy = false }: { proxy?: boolean } = {},
): PrivateRedisSetup {
  const setup = { names: isolatedNames(label) } as PrivateRedisSetup;
  let env: Record<string, string>;

  beforeAll(async () => {
    setup.redis = new RedisProcess(await freePort());
    await setup.redis.start();
    if (proxy) {
      setup.proxy = new CuttableProxy(setup.redis.port);
      await setup.proxy.start();
    }
    env = baseEnv(setup.names, { REDIS_URL: (setup.proxy ?? setup.redis).url, KPI_CALCULATION_URL: fake.url });
    setup.svc = await startPublication(env);
    setup.producer = new KpiProducer(setup.svc.topic);
    await publishBirths(setup.producer, first);
    await untilValue(setup.svc, first, 'value visible');
  });

  afterAll(async () => {
    setup.redis?.resume(); // if a test left it paused
    await setup.producer?.disconnect();
    await setup.svc?.close();
    await setup.proxy?.stop();
    await setup.redis?.kill();
    await cleanUp({ ...env, REDIS_URL: process.env.REDIS_URL! }, setup.names.prefix);
  });

  return setup;
}

describe('cache resilience: Redis outages, staleness, stampedes', () => {
  const fake = new FakeKpiCalculation();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  describe('Redis killed mid-run (a private redis-server child process)', () => {
    const setup = onPrivateRedis('redis-kill', fake, 8.41);

    it('answers from MongoDB while Redis is down — correct, no 5xx, no waiting — and uses the cache again when it is back', async () => {
      const { names, redis, svc, producer } = setup;
      await untilCacheHit(svc, 'served from the cache');

      await redis.kill();
      const during = await burst(svc, 30);
      for (const a of during) {
        expect(a.status).toBe(200);
        expect(valueOf(a.json())).toBe(8.41);
        expect(a.headers.get('x-cache')).toBe('bypass');
      }
      // readiness does not depend on the cache
      expect((await get(svc.url, '/health/ready')).status).toBe(200);
      // a new value while Redis is down is answered at once (from MongoDB)
      await publishBirths(producer, 9.99);
      await untilValue(svc, 9.99, 'new value while Redis is down');
      const profile = await get(svc.url, `/api/v1/regions/${ELMSHORN}/profile?year=2023`);
      expect(profile.status).toBe(200);
      const monthEnd = await get(svc.url, `/api/v1/indicators/${BIRTHS}/values?region=${ELMSHORN}&date=2024-05-31`);
      expect(monthEnd.status).toBe(200);
      const slowest = Math.max(...during.map((a) => a.ms));
      process.stdout.write(
        `publication: with Redis down, ${during.length} answers, slowest ${Math.round(slowest)} ms, mean ${Math.round(during.reduce((s, a) => s + a.ms, 0) / during.length)} ms\n`,
      );

      await redis.start();
      const back = await untilCacheHit(svc, 'cache used again', (a) => {
        expect(a.status).toBe(200);
        expect(valueOf(a.json())).toBe(9.99);
      });
      expect(valueOf(back.json())).toBe(9.99);
      const direct = new Redis(redis.url);
      try {
        expect((await direct.keys(`${names.prefix}:*`)).length).toBeGreaterThan(0);
      } finally {
        direct.disconnect();
      }
    });
  });

  describe('Redis hanging (SIGSTOP: connected, but no answers)', () => {
    const setup = onPrivateRedis('redis-hang', fake, 3.33);
    beforeAll(() => untilCacheHit(setup.svc, 'served from the cache'));

    it('bounds the wait to one command timeout, then skips the cache; a change meanwhile is never hidden by the frozen entry', async () => {
      const { redis, svc, producer } = setup;
      redis.pause();
      try {
        const during = await burst(svc, 20);
        expect(during.every((a) => a.status === 200 && valueOf(a.json()) === 3.33)).toBe(true);
        // the first pays the command timeout, the ones after it skip the cache
        expect(during.slice(1).some((a) => a.headers.get('x-cache') === 'bypass')).toBe(true);
        process.stdout.write(
          `publication: with Redis hanging, slowest answer ${Math.round(Math.max(...during.map((a) => a.ms)))} ms, median ${Math.round(during.map((a) => a.ms).sort((x, y) => x - y)[10])} ms\n`,
        );
        await publishBirths(producer, 4.44);
        await untilValue(svc, 4.44, 'new value while Redis hangs');
      } finally {
        redis.resume();
      }
      const seen: (number | null | undefined)[] = [];
      await untilCacheHit(svc, 'cache used again', (a) => seen.push(valueOf(a.json())));
      expect(new Set(seen)).toEqual(new Set([4.44]));
    });
  });

  describe('Redis unreachable but alive (a partition): entries that went stale meanwhile are never served', () => {
    const setup = onPrivateRedis('redis-partition', fake, 1.11, { proxy: true });

    it('retires the whole cache after the partition instead of serving the entry it could not invalidate', async () => {
      const { names, redis, svc, producer } = setup;
      const proxy = setup.proxy!;
      await untilCacheHit(svc, 'served from the cache');
      proxy.cutOff();
      await publishBirths(producer, 2.22);
      await untilValue(svc, 2.22, 'new value during the partition');

      // The old answer is still in Redis: the invalidation never reached it.
      const direct = new Redis(redis.url);
      try {
        const entries = await direct.mget(await direct.keys(`${names.prefix}:slice:*`));
        expect(entries.some((e) => e?.includes('1.11'))).toBe(true);
      } finally {
        direct.disconnect();
      }

      proxy.restore();
      const seen: (number | null | undefined)[] = [];
      await untilCacheHit(svc, 'cache used again', (a) => {
        expect(a.status).toBe(200);
        seen.push(valueOf(a.json()));
      });
      expect(new Set(seen)).toEqual(new Set([2.22]));
      expect(seen.length).toBeGreaterThan(1);
    });
  });

  describe('no stampede', () => {
    const names = isolatedNames('stampede');
    let svc: PublicationUnderTest;
    let producer: KpiProducer;
    let env: Record<string, string>;

    beforeAll(async () => {
      env = baseEnv(names, { KPI_CALCULATION_URL: fake.url });
      svc = await startPublication(env);
      producer = new KpiProducer(svc.topic);
      await producer.publish([
        kpiValue({ indicatorId: 'births', regionCode: ELMSHORN, period: '2022', value: 400, unit: 'persons' }),
      ]);
      await waitUntil(
        async () =>
          valueOf(
            (await get(svc.url, `/api/v1/indicators/births/values?region=${ELMSHORN}&from=2022&to=2022`)).json(),
          ) === 400,
        'value visible',
      );
    });

    afterAll(async () => {
      await producer?.disconnect();
      await svc?.close();
      await cleanUp(env, names.prefix);
    });

    it('computes a missing entry once however many requests wait for it', async () => {
      const repository = svc.app.get(ReadModel);
      const slice = jest.spyOn(repository, 'slice');
      try {
        // a period nobody asked for yet; waiting through asOf reads the history, not the cached slice
        await producer.publish([
          kpiValue({ indicatorId: 'births', regionCode: ELMSHORN, period: '2021', value: 391, unit: 'persons' }),
        ]);
        await waitUntil(async () => {
          const body = (
            await get(
              svc.url,
              `/api/v1/indicators/births/values?region=${ELMSHORN}&from=2021&to=2021&asOf=2099-01-01T00:00:00Z`,
            )
          ).json<ValuesAnswer>();
          return valueOf(body) === 391;
        }, 'value in the read model');
        // The state is in memory before the cache invalidation is sent: wait (past the cache) for the
        // state, then let its invalidation land, so that it cannot retire the entry the 40 requests
        // compute (that raced on busy machines).
        await waitUntil(
          () => repository.statesOf([`births:${ELMSHORN}:2021`]).some((st) => st.payload.value === 391),
          'value in the current states',
        );
        await new Promise((r) => setTimeout(r, 1000));
        slice.mockClear();
        const answers = await Promise.all(
          Array.from({ length: 40 }, () =>
            get(svc.url, `/api/v1/indicators/births/values?region=${ELMSHORN}&from=2021&to=2021`),
          ),
        );
        expect(answers.every((a) => a.status === 200 && valueOf(a.json()) === 391)).toBe(true);
        expect(slice).toHaveBeenCalledTimes(1);
      } finally {
        slice.mockRestore();
      }
    });

    it('asks kpi-calculation once for a Stichtag however many requests wait for it', async () => {
      fake.delayMs = 200;
      const calls = fake.calls;
      try {
        const answers = await Promise.all(
          Array.from({ length: 25 }, () => get(svc.url, `/api/v1/indicators/births/values?date=2022-09-30`)),
        );
        expect(answers.every((a) => a.status === 200 && a.json<ValuesAnswer>().values.length === 50)).toBe(true);
        expect(fake.calls).toBe(calls + 1);
        // and then from the cache
        expect((await get(svc.url, `/api/v1/indicators/births/values?date=2022-09-30`)).headers.get('x-cache')).toBe(
          'hit',
        );
        expect(fake.calls).toBe(calls + 1);
      } finally {
        fake.delayMs = 0;
      }
    });
  });
});
