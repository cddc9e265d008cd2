/**
 * Benchmark of publication's read model (not a test): `npm run bench -- read-model [days]`.
 * A demo-like load: every indicator of the catalogue for all 50 regions, 12 year periods and `current`,
 * then `days` (default 30) daily republications of `current` (issue 11, hole 10: data minimisation).
 * 1. Memory: the read model after the load, against holding every publication with its payload (what it
 *    held before marks) — heap of each, measured in this run, and their ratio.
 * 2. `asOf` through the real repository on a private database of MONGO_URL (dropped afterwards): the
 *    load recorded through the log, the read model restarted, then every value at an instant in the
 *    middle of the days (what a download with `asOf` asks), first and repeated, against the current
 *    states of every value.
 */
import { kpiValueKey } from '@sozialmonitor/contracts';
import { defaultCatalogue } from '@sozialmonitor/indicators';
import { computedRegions } from '@sozialmonitor/regions';
import { kpiPayload } from '@sozialmonitor/testing/kpi-payload';
import { randomUUID } from 'node:crypto';
import type { AnswerCache } from '../src/application/ports/answer-cache';
import { countyCalendar } from '../src/domain/calendar';
import { PublishedValues } from '../src/domain/published-values';
import { type HistoryEntry, historyEntryOf } from '../src/domain/value-history';
import type { PublicationEnvironment } from '../src/publication.environment';

const fmt = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 1 });
const mib = (bytes: number) => fmt(bytes / 2 ** 20);
const YEARS = Array.from({ length: 12 }, (_, i) => String(2013 + i));
const CHUNK = 2000;

/** The publications of one day: `current` of every value, or (day 0) every period. */
function dayOf(day: number): HistoryEntry[] {
  const computedAt = new Date(Date.UTC(2026, 4, 1 + day, 3)).toISOString();
  const out: HistoryEntry[] = [];
  for (const indicatorId of defaultCatalogue().allIds())
    for (const { code } of computedRegions())
      for (const period of day === 0 ? [...YEARS, 'current'] : ['current'])
        out.push(historyEntryOf(kpiPayload({ indicatorId, code, period, value: day + code.length / 10, computedAt })));
  return out;
}

function heapAfter(build: () => unknown): { bytes: number; kept: unknown } {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  global.gc?.();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}

function memory(days: number): void {
  if (!global.gc) console.log('(run with node --expose-gc for exact heap figures; npm run bench does)');
  let publications = 0;
  const marks = heapAfter(() => {
    const model = new PublishedValues(countyCalendar('Europe/Berlin'));
    for (let day = 0; day <= days; day++) {
      const entries = dayOf(day);
      publications += entries.length;
      for (let i = 0; i < entries.length; i += CHUNK)
        model.apply([{ n: day * 100 + i / CHUNK, entries: entries.slice(i, i + CHUNK) }]);
    }
    return model;
  });
  const everything = heapAfter(() => Array.from({ length: days + 1 }, (_, day) => dayOf(day)));
  const { values, entries } = (marks.kept as PublishedValues).size;
  console.log(
    `after ${days} days of current: ${fmt(publications)} publications of ${fmt(values)} values (${fmt(entries)} known)`,
  );
  const perMark = (marks.bytes - heapAfter(() => one(0)).bytes) / (publications - values);
  const perEntry = everything.bytes / publications;
  const daily = dayOf(1).length;
  console.log(`  read model (current states with payload, a mark per publication): ${mib(marks.bytes)} MiB heap`);
  console.log(
    `  every publication with its payload (what the former read model held, without its states): ${mib(everything.bytes)} MiB heap`,
  );
  console.log(
    `  ratio ${fmt(everything.bytes / marks.bytes)}×; per publication beyond a value's latest ${fmt(perMark)} B against ${fmt(perEntry)} B with payload: ${fmt(perEntry / perMark)}× less, ` +
      `so a year of daily current (${fmt(daily)} a day) adds ~${mib(perMark * daily * 365)} MiB instead of ~${mib(perEntry * daily * 365)} MiB`,
  );
}

/** The read model after day 0 only (every value once): what the marks of later days add to. */
function one(day: number): PublishedValues {
  const model = new PublishedValues(countyCalendar('Europe/Berlin'));
  const entries = dayOf(day);
  for (let i = 0; i < entries.length; i += CHUNK) model.apply([{ n: i / CHUNK, entries: entries.slice(i, i + CHUNK) }]);
  return model;
}

async function asOf(days: number): Promise<void> {
  // loaded here: the memory figures above are taken without the service's libraries
  const { Clock } = await import('@sozialmonitor/platform');
  const { default: mongoose } = await import('mongoose');
  const { PublicationLogRepository } = await import('../src/adapters/publication-log.repository');
  const { ReadEpoch } = await import('../src/application/read-epoch');
  const { ReadModel, AS_OF_PAYLOADS_READ } = await import('../src/application/read-model');
  const { register } = await import('prom-client');
  /** The read model's own count of payloads read back from the log (counted, not inferred). */
  const payloadsReadSoFar = async (): Promise<number> => {
    const metric = register.getSingleMetric(AS_OF_PAYLOADS_READ);
    if (!metric) throw new Error(`${AS_OF_PAYLOADS_READ} is not registered`);
    return (await metric.get()).values.reduce((n, v) => n + v.value, 0);
  };
  const url = new URL(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017/');
  url.pathname = `/bench_read_model_${randomUUID().slice(0, 8)}`;
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
  const ms = (t0: number) => performance.now() - t0;
  try {
    let model = await start();
    let t = performance.now();
    for (let day = 0; day <= days; day++) {
      const entries = dayOf(day);
      for (let i = 0; i < entries.length; i += CHUNK) await model.record(entries.slice(i, i + CHUNK));
    }
    console.log(`recorded ${days + 1} days through the publication log in ${fmt(ms(t))} ms`);
    await model.onApplicationShutdown();
    t = performance.now();
    model = await start();
    console.log(`restart: read model loaded in ${fmt(ms(t))} ms`);
    const keys = [...defaultCatalogue().allIds()].flatMap((indicatorId) =>
      computedRegions().flatMap(({ code }) =>
        [...YEARS, 'current'].map((period) => kpiValueKey({ indicatorId, period, region: { code } })),
      ),
    );
    t = performance.now();
    model.statesOf(keys); // timed: the current read, the yardstick of asOf
    const current = ms(t);
    const at = new Date(Date.UTC(2026, 4, 1 + Math.floor(days / 2), 12)).toISOString();
    const readBefore = await payloadsReadSoFar();
    t = performance.now();
    const then = await model.statesAt(keys, at);
    const cold = ms(t);
    const read = (await payloadsReadSoFar()) - readBefore;
    t = performance.now();
    await model.statesAt(keys, at);
    const warm = ms(t);
    console.log(
      `every value (${fmt(then.length)}) asOf ${at}: first ${fmt(cold)} ms (${fmt(read)} payloads read back from the log), repeated ${fmt(warm)} ms; ` +
        `current states ${fmt(current)} ms — first asOf ${fmt(cold / Math.max(current, 0.001))}× the current read`,
    );
    await model.onApplicationShutdown();
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}

async function main(): Promise<void> {
  const days = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 30);
  memory(days);
  await asOf(days);
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
