/**
 * Benchmark of publication's read model memory and `asOf` (not a test): `npm run bench -- publication-history`
 * or `node --expose-gc tools/run-ts.js bench/publication-history.bench.ts [days] [--db]`.
 * A demo-like load: every indicator of the catalogue for all 50 regions, 12 year periods and `current`,
 * then `days` daily republications of `current` (issue 11, hole 10). Prints the publications held in
 * memory, heap and RSS. With `--db` it also writes the same history through the publication log into a
 * private database of MONGO_URL (dropped afterwards; `--indicators=N` of the catalogue, default 5) and
 * times `asOf` reads (a slice and a profile), first read and repeated, after a restart of the read model.
 */
import { kpiValueKey } from '@sozialmonitor/contracts';
import { defaultCatalogue } from '@sozialmonitor/indicators';
import { computedRegions } from '@sozialmonitor/regions';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { randomUUID } from 'node:crypto';
import type { AnswerCache } from '../apps/publication/src/application/ports/answer-cache';
import { countyCalendar } from '../apps/publication/src/domain/calendar';
import { PublishedValues } from '../apps/publication/src/domain/published-values';
import { type HistoryEntry, historyEntryOf } from '../apps/publication/src/domain/value-history';
import type { PublicationEnvironment } from '../apps/publication/src/publication.environment';

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const mib = (bytes: number) => fmt(bytes / 2 ** 20);
const YEARS = Array.from({ length: 12 }, (_, i) => String(2013 + i));

/** The publications of one day: `current` of every value, or (day 0) every period. */
function dayOf(day: number, indicators = Infinity): HistoryEntry[] {
  const computedAt = new Date(Date.UTC(2026, 4, 1 + day, 3)).toISOString();
  const out: HistoryEntry[] = [];
  for (const indicatorId of defaultCatalogue().allIds().slice(0, indicators))
    for (const { code } of computedRegions())
      for (const period of day === 0 ? [...YEARS, 'current'] : ['current'])
        out.push(historyEntryOf(kpiPayload({ indicatorId, code, period, value: day + code.length / 10, computedAt })));
  return out;
}

function memory(days: number): void {
  global.gc?.();
  const baseline = process.memoryUsage().heapUsed;
  const model = new PublishedValues(countyCalendar('Europe/Berlin'));
  let publications = 0;
  for (let day = 0; day <= days; day++) {
    const entries = dayOf(day);
    publications += entries.length;
    for (let i = 0; i < entries.length; i += 2000) model.apply(entries.slice(i, i + 2000));
  }
  global.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  console.log(
    `read model after ${days} days of current: ${fmt(publications)} publications consumed, ${fmt(model.size.values)} values, ${fmt(model.size.entries)} publications held in memory; heap ${mib(heapUsed)} MiB (${mib(heapUsed - baseline)} MiB of it the read model), RSS ${mib(rss)} MiB`,
  );
}

async function asOf(days: number, indicators: number): Promise<void> {
  // loaded here: the memory figures above are taken without the service's libraries
  const { Clock } = await import('@sozialmonitor/platform');
  const { default: mongoose } = await import('mongoose');
  const { PublicationLogRepository } = await import('../apps/publication/src/adapters/publication-log.repository');
  const { ReadEpoch } = await import('../apps/publication/src/application/read-epoch');
  const { ReadModel } = await import('../apps/publication/src/application/read-model');
  const url = new URL(process.env.MONGO_URL!);
  url.pathname = `/bench_publication_history_${randomUUID().slice(0, 8)}`;
  const connection = await mongoose.createConnection(url.toString()).asPromise();
  const noCache: AnswerCache = {
    lookup: () => Promise.resolve(null),
    stamps: () => Promise.resolve(null),
    store: () => Promise.resolve(),
    invalidate: () => Promise.resolve(true),
  };
  const start = async () => {
    const m = new ReadModel(
      new PublicationLogRepository(connection),
      noCache,
      new ReadEpoch(),
      { PUBLICATION_LOG_POLL_MS: 3_600_000 } as PublicationEnvironment,
      new Clock({ TIME_ZONE: 'Europe/Berlin' }),
    );
    await m.onModuleInit();
    return m;
  };
  try {
    let model = await start();
    for (let day = 0; day <= days; day++) {
      const entries = dayOf(day, indicators);
      const t = performance.now();
      for (let i = 0; i < entries.length; i += 2000) await model.record(entries.slice(i, i + 2000));
      console.log(`day ${day}: recorded ${fmt(entries.length)} publications in ${fmt(performance.now() - t)} ms`);
    }
    let t1 = performance.now();
    await model.historiesWritten();
    console.log(`histories written in the background: ${fmt(performance.now() - t1)} ms after the last batch was recorded`);
    await model.onApplicationShutdown();
    const t0 = performance.now();
    model = await start();
    console.log(`restart: read model loaded in ${fmt(performance.now() - t0)} ms`);
    const regions = computedRegions().map((r) => r.code);
    const ids = defaultCatalogue().allIds().slice(0, indicators);
    const at = new Date(Date.UTC(2026, 4, 1 + Math.floor(days / 2), 12)).toISOString();
    const slice = regions.map((code) => kpiValueKey({ indicatorId: ids[0], period: 'current', region: { code } }));
    const profile = ids.map((id) => kpiValueKey({ indicatorId: id, period: 'current', region: { code: regions[1] } }));
    for (const [name, keys] of [
      ['slice (50 regions)', slice],
      [`profile (${ids.length} indicators)`, profile],
    ] as const) {
      t1 = performance.now();
      const states = await model.statesAt(keys, at);
      const cold = performance.now() - t1;
      t1 = performance.now();
      await model.statesAt(keys, at);
      console.log(
        `asOf ${name}: ${states.length} values, first read ${fmt(cold)} ms, repeated ${fmt(performance.now() - t1)} ms`,
      );
    }
    await model.onApplicationShutdown();
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

async function main(): Promise<void> {
  const days = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 30);
  memory(days);
  // the histories are written at ~100-300 values/s on FerretDB: by default a tenth of the catalogue
  const indicators = Number(/^--indicators=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--indicators=')) ?? '')?.[1] ?? 5);
  if (process.argv.includes('--db')) await asOf(Math.min(days, 5), indicators);
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
