import type { KpiValuePayload, LakeRecord } from '@sozialmonitor/contracts';
import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import { ELMSHORN, PINNEBERG, WEDEL } from '@sozialmonitor/indicators/testing/lake-fixtures';
import { freePort } from '@sozialmonitor/testing/free-port';
import { internalAuth, type KpiTestbed, publishLake, type RunningKpiCalculation, startTestbed } from './support';

// Two instances of the service in one consumer group and one database: one publishes, the other keeps
// its engine current and answers on demand; when the publisher goes away the other takes over. Every
// value is published once, as by a single instance.
describe('kpi-calculation with two instances', () => {
  let bed: KpiTestbed | undefined;
  let first: RunningKpiCalculation | undefined;
  let second: RunningKpiCalculation | undefined;
  const world = handComputedWorld();
  const a12 = world.find((r) => r.source === 'population' && r.personId === 'a12') as LakeRecord;
  const keyCount = (key: string) =>
    bed!.tail.payloads().filter((p) => `${p.indicatorId}:${p.region.code}:${p.period}` === key).length;
  const elmshornOnDemand = async (service: RunningKpiCalculation) => {
    const values = (await (
      await fetch(`${service.url}/internal/v1/indicators/population/values?date=2023-12-31`, { headers: internalAuth })
    ).json()) as KpiValuePayload[];
    return values.find((v) => v.region.code === ELMSHORN)?.value;
  };
  const until = async (condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  beforeAll(async () => {
    bed = await startTestbed({ FIRST_YEAR: '2023', KPI_TODAY: '2024-06-30', PUBLISHER_LEASE_MS: '3000' }, world);
    first = bed.service;
    second = await bed.startInstance({ KPI_CALCULATION_PORT: String(await freePort()) });
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it('publishes every value once', async () => {
    const { tail } = bed!;
    await tail.waitUntil(() => tail.latest().size === 44 * 50 * 2, 'the first publication');
    await first!.scheduler.idle();
    await new Promise((r) => setTimeout(r, 1000));
    expect(tail.events.length).toBe(44 * 50 * 2);
    expect(tail.latest().get(`population:${ELMSHORN}:2023`)?.value).toBe(9);
  });

  it('the follower sees corrections too and answers on demand like the publisher', async () => {
    const { env, publisher, tail } = bed!;
    await publishLake(publisher, env.LAKE_TOPIC, [{ ...a12, ags: PINNEBERG }]);
    await tail.waitUntil(() => tail.latest().get(`population:${ELMSHORN}:2023`)?.value === 8, 'the corrected value');
    await until(async () => (await elmshornOnDemand(second!)) === 8, 'the follower to count the correction');
    expect(await elmshornOnDemand(first!)).toBe(8);
    expect(keyCount(`population:${ELMSHORN}:2023`)).toBe(2);
  });

  it('takes over publishing when the publisher stops, without publishing anything twice', async () => {
    const { env, publisher, tail } = bed!;
    await first!.stop();
    first = undefined;
    const before = tail.events.length;
    await publishLake(publisher, env.LAKE_TOPIC, [{ ...a12, ags: WEDEL }]);
    // Wedel now has one inhabitant (primary suppression), so Pinneberg with three, the smallest other
    // municipality, is hidden as well (secondary)
    await tail.waitUntil(
      () =>
        tail.latest().get(`population:${WEDEL}:2023`)?.reason === 'primary' &&
        tail.latest().get(`population:${PINNEBERG}:2023`)?.reason === 'secondary',
      'values published by the second instance',
      90_000,
    );
    await second!.scheduler.idle();
    const since = tail.events.slice(before).map((e) => e.key!);
    expect(new Set(since).size).toBe(since.length); // each changed value once
    expect(since).not.toContain(`population:${ELMSHORN}:2023`); // unchanged by this correction: not again
    expect(await elmshornOnDemand(second!)).toBe(8);
  });
});
