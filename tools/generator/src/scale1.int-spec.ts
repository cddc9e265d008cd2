import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SOURCE_NAMES, sourceDeclaration, validateRecord } from '@sozialmonitor/contracts';
import { CountyStatistics } from './verification/county-statistics';
import { finalRecords, ndjsonRows } from './verification/final-records';

/**
 * The real county size (scale 1, about 323,000 inhabitants, a million records): the population
 * follows the published path and the structure is that of a German county. The generator runs as a
 * child process with a 64 MB old-space heap: that only works if it streams (the population records
 * alone would take several hundred MB if held). Takes about a minute on two cores.
 */
const ROOT = resolve(__dirname, '../../..');

describe('generator at scale 1', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'generator-scale1-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams a plausible Kreis Pinneberg with flat memory', async () => {
    const result = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=64',
        join(ROOT, 'tools/run-ts.js'),
        join(ROOT, 'tools/generator/src/cli.ts'),
        '--scale',
        '1',
        '--seed',
        '1',
        '--out',
        dir,
        '--today',
        '2024-06-30',
        '--formats',
        'ndjson',
        '--quiet',
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 600_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);

    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));

    // Every record of both deliveries passes the ingestion validator (the contract of spec/sources.md).
    let validated = 0;
    for (const source of SOURCE_NAMES) {
      const declaration = sourceDeclaration(source)!;
      for (const delivery of [1, 2]) {
        let index = 0;
        for await (const raw of ndjsonRows(join(dir, `${source}__${delivery}.ndjson`))) {
          const result = validateRecord(declaration, raw, { index, line: index + 1 });
          if (!result.ok) throw new Error(`${source}__${delivery}.ndjson: ${JSON.stringify(result.errors)}`);
          index++;
        }
        validated += index;
      }
    }
    const delivered = Object.values(manifest.sources as Record<string, { delivery1: number; delivery2: number }>);
    expect(validated).toBe(delivered.reduce((n, s) => n + s.delivery1 + s.delivery2, 0));
    const stats = new CountyStatistics(2015, 2023);
    for (const source of [
      'population',
      'sgb2',
      'unemployment',
      'childcare',
      'youth_welfare',
      'housing_benefit',
      'basic_income_elderly',
    ]) {
      for await (const r of finalRecords(dir, source)) stats.add(source, r);
    }
    stats.finishMigration();

    const y2015 = stats.indicators(2015);
    const y2023 = stats.indicators(2023);
    expect(Math.abs(y2023.population / 323_762 - 1)).toBeLessThan(0.02);
    expect(Math.abs(y2015.population / 307_471 - 1)).toBeLessThan(0.02);
    expect(manifest.populationAtStichtag['2023-12-31']['01056']).toBe(y2023.population);
    expect(manifest.sources.population.delivery1).toBeGreaterThan(500_000);

    // Age structure of a German county (Zensus 2022 for the county: 18.1 % under 18, 20.1 % 67+).
    const within = (name: string, value: number, lo: number, hi: number): void => {
      if (!(value >= lo && value <= hi)) throw new Error(`${name} = ${value.toFixed(2)}, outside [${lo}, ${hi}]`);
    };
    for (const [year, v] of [
      [2015, y2015],
      [2023, y2023],
    ] as const) {
      within(`${year} share_under_18_pct`, v.share_under_18_pct, 16, 20);
      within(`${year} share_67_plus_pct`, v.share_67_plus_pct, 18, 23);
      within(`${year} share_80_plus_pct`, v.share_80_plus_pct, 5.5, 9.5);
      within(`${year} mean_age`, v.mean_age, 43, 47);
      within(`${year} share_female_pct`, v.share_female_pct, 50, 52.5);
      within(`${year} births_per_1000`, v.births_per_1000, 7, 10);
      within(`${year} deaths_per_1000`, v.deaths_per_1000, 9.5, 13.5);
      within(`${year} sgb2_rate_pct`, v.sgb2_rate_pct, 6, 9);
      within(`${year} child_poverty_rate_pct`, v.child_poverty_rate_pct, 9, 15);
      within(`${year} unemployment_rate_pct`, v.unemployment_rate_pct, 3, 5);
      within(`${year} childcare_rate_under_3_pct`, v.childcare_rate_under_3_pct, 28, 40);
      within(`${year} childcare_rate_3_to_5_pct`, v.childcare_rate_3_to_5_pct, 88, 96);
      within(`${year} youth_welfare_per_1000_under_21`, v.youth_welfare_per_1000_under_21, 15, 27);
      within(`${year} basic_income_elderly_rate_pct`, v.basic_income_elderly_rate_pct, 2, 4);
    }
    within('2015 share_foreign_pct', y2015.share_foreign_pct, 7, 10);
    within('2023 share_foreign_pct', y2023.share_foreign_pct, 10, 13.5);
    within('2023 housing_benefit_households_per_1000', y2023.housing_benefit_households_per_1000, 9, 16);
    // Growth comes from migration: deaths outnumber births every year.
    for (let y = 2016; y <= 2023; y++) {
      const v = stats.indicators(y);
      expect(v.deaths_per_1000).toBeGreaterThan(v.births_per_1000);
      expect(v.in_migration_per_1000).toBeGreaterThan(v.out_migration_per_1000);
    }
  }, 600_000);
});
