/**
 * What the pipeline benchmark watches while a load runs: when each stage last moved (topic ends and
 * publication's committed offsets, polled), whether everything settled, and each service's memory
 * (/proc). Also the in-process baseline: the engine fed with the lake topic's records, no I/O timed.
 */
import type { LakeMessage } from '@sozialmonitor/contracts';
import { defaultCatalogue, IndicatorEngine, resolvePeriod } from '@sozialmonitor/indicators';
import { ConsumerGroupAdmin } from '@sozialmonitor/messaging';
import { computedRegions } from '@sozialmonitor/regions';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { metricSum } from '../../tools/demo/src/settle';
import type { App, Stack } from '../../tools/faults/src/stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Stage = 'ingestion' | 'anonymization' | 'kpi-calculation' | 'publication';
export const STAGES: Stage[] = ['ingestion', 'anonymization', 'kpi-calculation', 'publication'];

export interface StageTimes {
  /** Milliseconds since the start when the stage's output last moved. */
  doneAt: Record<Stage, number>;
  /** Messages the stage wrote (publication: KPI messages it committed) during the watch. */
  moved: Record<Stage, number>;
}

/** kB figures of /proc/<pid>/status: the resident set now and its peak (VmHWM). */
export function memoryOf(pid: number | undefined): { rss: number; peak: number } {
  if (!pid) return { rss: Number.NaN, peak: Number.NaN };
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
}

export function memoryOfServices(stack: Stack): Record<App, { rss: number; peak: number }> {
  return Object.fromEntries(stack.services.map((s) => [s.app, memoryOf(s.process.pid)])) as Record<App, { rss: number; peak: number }>;
}

/**
 * Takes the counters as they are, then starts `load` (the deliveries) and polls every `everyMs` until
 * the pipeline settled (load done, no lag, nothing pending, one publisher, and no counter moved for
 * `quietPolls` polls). Returns when each stage last moved, in milliseconds since `load` started.
 */
export async function watchUntilSettled(
  stack: Stack,
  load: () => Promise<unknown>,
  options: { everyMs?: number; quietPolls?: number; timeoutMs?: number } = {},
): Promise<StageTimes> {
  const { everyMs = 500, quietPolls = 6, timeoutMs = 3_600_000 } = options;
  const admin = stack.kafka.admin();
  await admin.connect();
  const groups = new ConsumerGroupAdmin(stack.kafka);
  const t = stack.topics.names;
  const kpi = stack.first('kpi-calculation');
  const sum = (offsets: { high: string }[]) => offsets.reduce((n, p) => n + Number(p.high), 0);
  const poll = async () => {
    const [raw, lake, values, lag, metrics] = await Promise.all([
      admin.fetchTopicOffsets(t.raw),
      admin.fetchTopicOffsets(t.lake),
      admin.fetchTopicOffsets(t.kpiValues),
      Promise.all([groups.lag(stack.groups.anonymization, [t.raw]), groups.lag(stack.groups.kpi, [t.lake]), groups.lag(stack.groups.publication, [t.kpiValues])]),
      fetch(`${kpi.url}/metrics`).then((r) => r.text()),
    ]);
    const counters: Record<Stage, number> = {
      ingestion: sum(raw),
      anonymization: sum(lake),
      'kpi-calculation': sum(values),
      publication: lag[2].reduce((n, p) => n + Math.max(0, Number(p.committed)), 0),
    };
    return { counters, lag, metrics };
  };
  const doneAt: Record<Stage, number> = { ingestion: 0, anonymization: 0, 'kpi-calculation': 0, publication: 0 };
  try {
    const first = (await poll()).counters;
    const last = { ...first };
    const started = Date.now();
    let loaded = false;
    let failed: unknown;
    load().then(
      () => (loaded = true),
      (e: unknown) => (failed = e ?? new Error('the load failed')),
    );
    let quiet = 0;
    let state = '';
    for (;;) {
      await sleep(everyMs);
      if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
      if (Date.now() - started > timeoutMs) throw new Error(`the pipeline did not settle within ${timeoutMs / 1000} s (${state})`);
      const { counters, lag, metrics } = await poll();
      const at = Date.now() - started;
      let moved = false;
      for (const s of STAGES) {
        if (counters[s] !== last[s]) {
          doneAt[s] = at;
          last[s] = counters[s];
          moved = true;
        }
      }
      const behind = lag.map((l) => l.reduce((n, p) => n + p.lag, 0));
      const pending = metricSum(metrics, 'sozialmonitor_kpi_recompute_pending');
      const leaders = metricSum(metrics, 'sozialmonitor_kpi_publisher');
      state = `lag ${behind.join('/')}, ${pending} pending, ${leaders} publisher`;
      const settled = behind.every((b) => b === 0) && pending === 0 && leaders === 1 && counters['kpi-calculation'] > 0;
      quiet = loaded && settled && !moved ? quiet + 1 : 0;
      if (quiet >= quietPolls) {
        const moves = Object.fromEntries(STAGES.map((s) => [s, last[s] - first[s]])) as Record<Stage, number>;
        return { doneAt, moved: moves };
      }
    }
  } finally {
    await admin.disconnect();
  }
}

export interface Baseline {
  records: number;
  loadMs: number;
  computeMs: number;
  values: number;
}

/**
 * The in-process baseline: every message of the lake topic (read with a consumer of its own) applied to
 * one IndicatorEngine, then every active formula indicator × 50 regions × every year from `firstYear`
 * and today's Stichtag. Only the engine's work is timed (no Kafka, no JSON parsing).
 */
export async function engineBaseline(stack: Stack, firstYear: number, today: string): Promise<Baseline> {
  const topic = stack.topics.names.lake;
  const admin = stack.kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, BigInt(p.high)]));
  await admin.disconnect();
  const engine = new IndicatorEngine();
  let loadNs = 0n;
  let records = 0;
  const consumer = stack.kafka.consumer({ groupId: `bench-baseline-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const remaining = new Set([...ends].filter(([, end]) => end > 0n).map(([p]) => p));
  await new Promise<void>((resolve, reject) => {
    if (remaining.size === 0) return resolve();
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          const messages = batch.messages.filter((m) => m.value).map((m) => JSON.parse(m.value!.toString('utf8')) as LakeMessage);
          const t0 = process.hrtime.bigint();
          engine.apply(messages);
          loadNs += process.hrtime.bigint() - t0;
          records += messages.length;
          const last = batch.messages.at(-1);
          if (last && BigInt(last.offset) + 1n >= ends.get(batch.partition)!) remaining.delete(batch.partition);
          if (remaining.size === 0) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  const t0 = process.hrtime.bigint();
  engine.compact();
  const formulas = defaultCatalogue().active().filter((d) => d.kind === 'formula');
  const regions = computedRegions().map((r) => r.code);
  const periods = [...Array.from({ length: Number(today.slice(0, 4)) - firstYear }, (_, i) => String(firstYear + i)), today];
  let values = 0;
  for (const p of periods) {
    const period = resolvePeriod(p);
    for (const def of formulas) values += engine.valuesFor(def, regions, period).length;
  }
  const computeNs = process.hrtime.bigint() - t0;
  return { records, loadMs: Number(loadNs) / 1e6, computeMs: Number(computeNs) / 1e6, values };
}
