import type { LakeRecord } from '@sozialmonitor/contracts';
import { handComputedWorld } from '@sozialmonitor/indicators/testing/hand-computed-world';
import { COUNTY, population } from '@sozialmonitor/indicators/testing/lake-fixtures';
import { MUNICIPALITIES } from '@sozialmonitor/regions';
import { LakeConsumers } from '../src/adapters/lake.consumer';
import { KpiCalculationMetrics } from '../src/application/kpi-calculation.metrics';
import { type KpiTestbed, publishLake, startTestbed, waitForCatchUp } from './support';

const BULK = 20_000;

// A bulk load the lake consumer lags behind (it was away while the bulk arrived, so the whole bulk is
// on the topic before it reads the first batch): rounds wait until it has caught up, so the bulk is
// computed in one round and every value it changes is published once — not once per batch.
describe('kpi-calculation while its lake consumer lags', () => {
  let bed: KpiTestbed | undefined;
  const allKeys = 44 * 50 * 2; // 2023 and current

  const countyPopulation = () => bed!.tail.latest().get(`population:${COUNTY}:current`)?.value;
  /** Finished recomputation rounds (the round duration histogram's count). */
  const rounds = async () => {
    const histogram = await bed!.service.app.get(KpiCalculationMetrics, { strict: false }).recomputeSeconds.get();
    return histogram.values.find((v) => v.metricName === 'sozialmonitor_kpi_recompute_seconds_count')?.value ?? 0;
  };

  beforeAll(async () => {
    // RECOMPUTE_DELAY_MS 50 (support.ts): far below the time the bulk takes to consume.
    bed = await startTestbed({ FIRST_YEAR: '2023', KPI_TODAY: '2024-06-30' }, handComputedWorld());
  });

  afterAll(async () => {
    await bed?.stop();
  });

  it('computes a bulk that arrived while the consumer lagged in one round; every changed value is published once', async () => {
    const { env, kafka, publisher, tail, service } = bed!;
    await tail.waitUntil(() => tail.latest().size === allKeys, `${allKeys} values`);
    await service.scheduler.idle();
    const roundsBefore = await rounds();
    const eventsBefore = tail.events.length;
    const before = countyPopulation()!;

    const consumers = service.app.get(LakeConsumers, { strict: false });
    await consumers.stopMain();
    const bulk: LakeRecord[] = [];
    for (let i = 0; i < BULK; i++)
      bulk.push(
        population({
          personId: `bulk-${i}`,
          ags: MUNICIPALITIES[i % MUNICIPALITIES.length].ags,
          validFrom: '2020-01-01',
        }),
      );
    for (let i = 0; i < bulk.length; i += 2000) await publishLake(publisher, env.LAKE_TOPIC, bulk.slice(i, i + 2000));
    await consumers.startMain();

    await waitForCatchUp(kafka, env.KPI_CALCULATION_GROUP_ID, env.LAKE_TOPIC, 180_000);
    await tail.waitUntil(() => countyPopulation() === before + BULK, 'the county population with the bulk', 180_000);
    await service.scheduler.idle();
    expect((await rounds()) - roundsBefore).toBe(1);
    const published = tail.events.slice(eventsBefore).map((e) => e.key);
    expect(published.length).toBeGreaterThan(100);
    expect(new Set(published).size).toBe(published.length);
  });
});
