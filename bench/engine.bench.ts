/**
 * Benchmark of the counting engine (not a test): `npm run bench -- engine` or `node --expose-gc tools/run-ts.js bench/engine.bench.ts [records]`.
 * Generates ~1M synthetic lake records in memory, loads them, and reports load throughput, the time
 * of one indicator for all 50 regions at a Stichtag (cold and warm), all indicators at a Stichtag,
 * and one incremental correction.
 */
import type { LakeRecord } from '@sozialmonitor/contracts';
import { defaultCatalogue, IndicatorEngine, resolvePeriod } from '@sozialmonitor/indicators';
import { computedRegions } from '@sozialmonitor/regions';
import { syntheticLake } from './synthetic-lake';

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;
const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

function main(): void {
  const target = Number(process.argv[2] ?? 1_000_000);
  let t = process.hrtime.bigint();
  const records: LakeRecord[] = [...syntheticLake({ records: target })];
  console.log(`generated ${fmt(records.length)} synthetic lake records in ${fmt(ms(t))} ms`);

  const engine = new IndicatorEngine();
  const batch = 5000;
  t = process.hrtime.bigint();
  for (let i = 0; i < records.length; i += batch) engine.apply(records.slice(i, i + batch));
  const loadMs = ms(t);
  t = process.hrtime.bigint();
  engine.compact();
  const compactMs = ms(t);
  if (global.gc) global.gc();
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  console.log(`compaction of the counting rows after the load: ${fmt(compactMs)} ms`);
  console.log(
    `load: ${fmt(records.length)} records in ${fmt(loadMs)} ms = ${fmt(records.length / (loadMs / 1000))} records/s (heap ${fmt(heap)} MiB, ${fmt(engine.counting.subjectCount)} subjects)`,
  );

  const catalogue = defaultCatalogue();
  // The composite index is computed from published values, not by the engine.
  const formulas = catalogue.active().filter((d) => d.kind === 'formula');
  const regions = computedRegions().map((r) => r.code);
  for (const id of [
    'population',
    'dependency_ratio',
    'mean_age',
    'births_per_1000',
    'population_change_pct',
    'sgb2_rate_pct',
    'childcare_full_day_share_pct',
  ]) {
    const def = catalogue.byId(id)!;
    for (const p of ['2023', '2021-06-15']) {
      const period = resolvePeriod(p);
      t = process.hrtime.bigint();
      const values = engine.valuesFor(def, regions, period);
      const cold = ms(t);
      t = process.hrtime.bigint();
      engine.valuesFor(def, regions, period);
      const warm = ms(t);
      const county = values.find((v) => v.regionCode === '01056')!;
      console.log(
        `query ${id} @ ${p}, 50 regions: cold ${fmt(cold)} ms, warm ${fmt(warm)} ms (county ${county.value})`,
      );
    }
  }
  const period = resolvePeriod('2019-03-31');
  t = process.hrtime.bigint();
  for (const def of formulas) engine.valuesFor(def, regions, period);
  console.log(`all ${formulas.length} indicators × 50 regions @ 2019-03-31 (cold): ${fmt(ms(t))} ms`);

  const years = Array.from({ length: 11 }, (_, i) => String(2014 + i));
  t = process.hrtime.bigint();
  for (const y of years) for (const def of formulas) engine.valuesFor(def, regions, resolvePeriod(y));
  console.log(`all indicators × 50 regions × ${years.length} years: ${fmt(ms(t))} ms`);

  // One correction: a population record gets a different validTo; then recompute the affected periods.
  const victim = records.find((r) => r.source === 'population' && r.validTo === null)!;
  const corrected = { ...victim, validTo: '2020-06-30', endReason: 'emigration' };
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = process.hrtime.bigint();
    engine.apply([i % 2 === 0 ? corrected : victim]);
    times.push(ms(t));
  }
  times.sort((a, b) => a - b);
  console.log(`incremental update of one subject: median ${fmt(times[10])} ms, max ${fmt(times[19])} ms`);
  t = process.hrtime.bigint();
  const change = engine.apply([corrected]).changes;
  let recomputed = 0;
  for (const y of years) {
    const p = resolvePeriod(y);
    if (!change.affectsAnyRegion(p.stichtag)) continue;
    for (const def of formulas) {
      engine.valuesFor(def, regions, p);
      recomputed++;
    }
  }
  console.log(
    `correction + recompute of ${recomputed} affected (indicator, year) pairs × 50 regions: ${fmt(ms(t))} ms`,
  );
}

main();
