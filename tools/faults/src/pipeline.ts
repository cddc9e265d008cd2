import { ConsumerGroupAdmin, readTopic } from '@sozialmonitor/messaging';
import { join } from 'node:path';
import { deliverFile, filesToDeliver, type DeliveryAnswer } from '../../demo/src/delivery-client';
import { metricSum } from '../../demo/src/settle';
import type { Manifest } from '../../generator/src/generate';
import type { FileSummary } from '../../generator/src/delivery-file';
import { normalizedValue, type Snapshot } from './outcome';
import type { Stack } from './stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A delivery a source system makes again after a 503 or a broken connection (ingestion down or restarting). */
function retriable(error: Error): boolean {
  return /answered 503|ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|fetch failed|other side closed/.test(`${error.message} ${(error as { code?: string }).code ?? ''}`);
}

export interface LoadResult {
  accepted: number;
  /** Answers other than 202 that were then resent (503, refused connections). */
  resent: number;
  /** 503 answers among them. */
  refused503: number;
}

/**
 * Delivers every file of delivery 1, then of delivery 2, through ingestion's API like the source
 * systems, resending a file until it is accepted. `beforeFile(i, n)` runs (not awaited) as file i of n
 * starts: scenarios inject their faults there, mid-load.
 */
export async function deliverAll(
  stack: Stack,
  manifest: Manifest,
  dataDir: string,
  beforeFile: (index: number, total: number) => void = () => undefined,
  onResend: (answered503: boolean) => void = () => undefined,
  retryForMs = 240_000,
): Promise<LoadResult> {
  const files: FileSummary[] = [...filesToDeliver(manifest, 1), ...filesToDeliver(manifest, 2)];
  const result: LoadResult = { accepted: 0, resent: 0, refused503: 0 };
  for (const [i, file] of files.entries()) {
    beforeFile(i, files.length);
    const giveUp = Date.now() + retryForMs;
    for (;;) {
      let answer: DeliveryAnswer;
      try {
        const ingestion = stack.instances('ingestion').find((s) => s.process.running) ?? stack.first('ingestion');
        answer = await deliverFile({
          baseUrl: ingestion.url,
          token: stack.options.secrets.ingest,
          source: file.source,
          file: join(dataDir, file.path),
          format: file.format,
        });
      } catch (e) {
        if (!retriable(e as Error) || Date.now() > giveUp) throw e;
        result.resent++;
        const refused = /answered 503/.test((e as Error).message);
        if (refused) result.refused503++;
        onResend(refused);
        await sleep(1000);
        continue;
      }
      result.accepted += answer.accepted;
      break;
    }
    await sleep(300); // the sources deliver one after another, not all in the same instant
  }
  return result;
}

/**
 * Waits until the pipeline is settled: no consumer group lags, every kpi-calculation instance that
 * runs has nothing pending, and neither the KPI topic nor the published/round counters moved for three
 * polls in a row. Returns when settled; throws after `timeoutMs`.
 */
export async function waitUntilSettled(stack: Stack, timeoutMs = 600_000, report: (state: string) => void = () => undefined): Promise<void> {
  let reported = Date.now();
  const groups = new ConsumerGroupAdmin(stack.kafka);
  const t = stack.topics.names;
  const end = Date.now() + timeoutMs;
  let quiet = 0;
  let last = '';
  let state = 'no poll yet';
  while (quiet < 3) {
    if (Date.now() > end) throw new Error(`the pipeline did not settle within ${timeoutMs / 1000} s (${state})`);
    try {
      const lags = await Promise.all([
        groups.lag(stack.groups.anonymization, [t.raw]),
        groups.lag(stack.groups.kpi, [t.lake]),
        groups.lag(stack.groups.publication, [t.kpiValues]),
      ]);
      const behind = lags.map((l) => l.reduce((n, p) => n + p.lag, 0));
      const kpiEnd = lags[2].reduce((n, p) => n + Number(p.end), 0);
      const kpi = stack.instances('kpi-calculation').filter((s) => s.process.running);
      const pages = await Promise.all(kpi.map(async (s) => (await fetch(`${s.url}/metrics`)).text()));
      const pending = pages.reduce((n, p) => n + metricSum(p, 'sozialmonitor_kpi_recompute_pending'), 0);
      const rounds = pages.reduce((n, p) => n + metricSum(p, 'sozialmonitor_kpi_recompute_seconds_count'), 0);
      const leaders = pages.reduce((n, p) => n + metricSum(p, 'sozialmonitor_kpi_publisher'), 0);
      const ready = await Promise.all(stack.services.filter((s) => s.process.running).map(async (s) => (await fetch(`${s.url}/health/ready`)).status === 200));
      state = `lag raw/lake/kpi ${behind.join('/')}, ${kpiEnd} KPI messages, ${pending} pending, ${rounds} rounds, ${leaders} leaders, ${ready.filter(Boolean).length}/${ready.length} ready`;
      const settled = behind.every((b) => b === 0) && pending === 0 && leaders === 1 && kpiEnd > 0 && ready.every(Boolean);
      quiet = settled && state === last ? quiet + 1 : 0;
      if (Date.now() - reported > 30_000) {
        reported = Date.now();
        report(state);
      }
      last = state;
    } catch (e) {
      state = `poll failed: ${(e as Error).message}`;
      quiet = 0;
    }
    await sleep(2000);
  }
}

/** Everything the scenario's pipeline published: the lake and the KPI topic read to their ends, and publication's answers. */
export async function snapshot(stack: Stack, indicators: string[], years: { first: number; last: number }, today: string): Promise<Snapshot> {
  const t = stack.topics.names;
  const [lake, kpi] = await Promise.all([readTopic(stack.kafka, t.lake, { timeoutMs: 120_000 }), readTopic(stack.kafka, t.kpiValues, { timeoutMs: 120_000 })]);
  const api = new Map<string, string>();
  const publication = stack.live('publication');
  for (const indicator of indicators) {
    // The suite's day, not `today`: a run across midnight (Berlin) would otherwise ask for another day.
    for (const query of [`from=${years.first}&to=${years.last}`, `date=${today}`]) {
      // with the analyst role: publication's today may be another day than the suite's around midnight
      const res = await fetch(`${publication.url}/api/v1/indicators/${indicator}/values?${query}`, {
        headers: { authorization: `Bearer ${stack.options.secrets.analyst}` },
      });
      if (res.status !== 200) throw new Error(`publication answered ${res.status} for ${indicator}?${query}: ${(await res.text()).slice(0, 300)}`);
      const { values } = (await res.json()) as { values: Record<string, unknown>[] };
      for (const v of values) {
        const { revised: _revised, ...rest } = v;
        const region = (v.region as { code: string }).code;
        api.set(`${indicator}:${region}:${v.period}`, JSON.stringify(rest));
      }
    }
  }
  return {
    lake: lake.map((e) => ({ key: e.key ?? '', value: e.value ? e.value.toString('utf8') : null })),
    kpi: kpi.map((e) => ({ key: e.key ?? '', id: e.id, value: e.value ? normalizedValue(e.value.toString('utf8')) : null, computedAt: computedAtOf(e.value) })),
    api,
  };
}

function computedAtOf(value: Buffer | null): string | null {
  try {
    return value ? ((JSON.parse(value.toString('utf8')) as { computedAt?: string }).computedAt ?? null) : null;
  } catch {
    return null;
  }
}
