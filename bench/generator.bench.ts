/**
 * Benchmark of the synthetic data generator (not a test): `npm run bench -- generator` or
 * `node --expose-gc tools/run-ts.js bench/generator.bench.ts [scale] [formats]`.
 * Generates the county at the given scale (default 1 ≈ 323,000 inhabitants, ~1 M records) into a
 * temporary folder and reports throughput, bytes written and the peak memory while it streams —
 * the figure that shows it does not hold the county in memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dayOf } from '../tools/generator/src/dates';
import { generate } from '../tools/generator/src/generate';
import { parseFormats } from '../tools/generator/src/options';

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const MiB = 2 ** 20;

async function main(): Promise<void> {
  const scale = Number(process.argv[2] ?? 1);
  const formats = parseFormats(process.argv[3] ?? 'csv,ndjson,json');
  const out = mkdtempSync(join(tmpdir(), 'generator-bench-'));
  const peak = { rss: 0, heap: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
  };
  if (global.gc) global.gc();
  sample();
  const before = { ...peak };
  const sampler = setInterval(sample, 50);
  const t0 = process.hrtime.bigint();
  try {
    const manifest = await generate({
      scale,
      seed: 1,
      out,
      from: dayOf(2015, 1, 1),
      today: dayOf(2024, 6, 30),
      todayFromClock: false,
      formats,
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    clearInterval(sampler);
    sample();
    const records = Object.values(manifest.sources).reduce((n, s) => n + s.delivery1 + s.delivery2, 0);
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    console.log(
      `scale ${scale} (${formats.join(', ')}): ${fmt(records)} records (each in ${formats.length} format${formats.length === 1 ? '' : 's'}), ` +
        `${fmt(bytes / MiB)} MiB in ${fmt(seconds)} s = ${fmt(records / seconds)} records/s`,
    );
    console.log(`county population 2023-12-31: ${fmt(manifest.populationAtStichtag['2023-12-31']?.['01056'] ?? 0)}`);
    console.log(
      `memory: RSS ${fmt(before.rss / MiB)} → peak ${fmt(peak.rss / MiB)} MiB, heap ${fmt(before.heap / MiB)} → peak ${fmt(peak.heap / MiB)} MiB`,
    );
  } finally {
    clearInterval(sampler);
    rmSync(out, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(e);
  process.exit(1);
});
