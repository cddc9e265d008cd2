/**
 * The pipeline benchmark (issue 16; not a test): `npm run bench -- pipeline [--quick]`.
 * Starts a Kafka, FerretDB and Redis of its own (tools/faults' PrivateInfra: free ports, temp folder)
 * and the four services on topics, groups, databases and a Redis prefix of its own, so it never touches
 * the shared servers. Scenarios: bulk load at several scales (records/s end to end and per stage, the
 * in-process engine baseline, every service's memory), a 1 % correction delivery, one corrected
 * record (p50/p99 until the API shows it), reads against /health/live of the same server, and a big
 * CSV into ingestion alone. Every figure that has a goal is a ratio or a time measured in this run.
 * Prints a table and writes bench/results/<date>[-quick].json.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deliverFile, filesToDeliver } from '../tools/demo/src/delivery-client';
import { parseDay } from '../tools/generator/src/dates';
import { generate, type Manifest } from '../tools/generator/src/generate';
import { newSecrets, PrivateInfra, Stack, type App, type Secrets } from '../tools/faults/src/stack';
import { ManagedProcess } from '../tools/faults/src/processes';
import { ConsumerGroupAdmin } from '@sozialmonitor/messaging';
import { freePort } from '@sozialmonitor/testing/free-port';
import { bigPopulationCsv, movedOut, openPopulationRecords, spread, writeNdjson, type PopulationRecord } from './pipeline/files';
import { engineBaseline, memoryOf, memoryOfServices, STAGES, watchUntilSettled } from './pipeline/measure';
import { cpuBetween, sampleCpu } from './pipeline/cpu';
import { summarizeProfileFile } from './pipeline/profile';
import { type BenchRow, fmt, fmtRatio, markdownTable, percentile, ratio, resultDocument } from './pipeline/report';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
/** `--scales=0.01,0.02`: other scales (a partial run: results go to `<date>-partial.json`). */
const SCALES_ARG = args.find((a) => a.startsWith('--scales='))?.slice('--scales='.length);
const SCALES = SCALES_ARG ? SCALES_ARG.split(',').map(Number) : quick ? [0.005, 0.01] : [0.25, 0.5, 1, 2];
if (SCALES.some((s) => !(s > 0))) throw new Error(`--scales=${SCALES_ARG}: give positive numbers, e.g. --scales=0.01,0.02`);
/** `--load-only`: bulk loads and corrections only (no reads, incremental or big CSV; a partial run). */
const LOAD_ONLY = args.includes('--load-only');
const PARTIAL = SCALES_ARG !== undefined || LOAD_ONLY;
const READ_SECONDS = quick ? 5 : 15;
const INCREMENTAL_SAMPLES = quick ? 5 : 20;
/** `--csv-mib=64`: another size of the big CSV (does ingestion's peak memory stay flat as deliveries grow?). */
const CSV_MIB_ARG = args.find((a) => a.startsWith('--csv-mib='))?.slice('--csv-mib='.length);
if (CSV_MIB_ARG !== undefined && !(Number(CSV_MIB_ARG) > 0)) throw new Error(`--csv-mib=${CSV_MIB_ARG}: give a positive number of MiB, e.g. --csv-mib=64`);
const BIG_CSV_BYTES = CSV_MIB_ARG ? Math.round(Number(CSV_MIB_ARG) * 2 ** 20) : quick ? 8 * 2 ** 20 : 2 ** 30;
/** `--profile`: ingestion of the big CSV (the slowest stage) runs with --cpu-prof; profiles go to bench/results/profiles. */
const PROFILE = args.includes('--profile');
const PROFILE_DIR = join(__dirname, 'results', 'profiles');
/**
 * `--compare-reads=<checkout>`: a second publication from another checkout of the repository (e.g. the
 * commit before a read-path change) on the same KPI topic, with its own group, database and cache
 * prefix; the read scenario measures both, alternating, in the same run.
 */
const COMPARE = args.find((a) => a.startsWith('--compare-reads='))?.slice('--compare-reads='.length);
/** `--csv-only`: only the big-CSV scenario (with --profile: the profile of the slowest stage). */
const CSV_ONLY = args.includes('--csv-only');
/** `--keep`: the working folder (the services' logs, e.g. kpi-calculation's time per recompute phase) is kept. */
const KEEP = args.includes('--keep');
const FIRST_YEAR = 2015;
const ELMSHORN = '01056015';
const MiB = 2 ** 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (m: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

/** The bench's own settings: the defaults of the services, the public rate limit out of the way. */
const ENVIRONMENT: Partial<Record<App, Record<string, string>>> = {
  // kept logs also show each delivery's summary (info)
  ingestion: { HTTP_RATE_LIMIT_PER_MINUTE: '100000000', ...(KEEP ? { LOG_LEVEL: 'info' } : {}) },
  'kpi-calculation': {
    RECOMPUTE_DELAY_MS: '100',
    PUBLISHER_LEASE_MS: '15000',
    HTTP_RATE_LIMIT_PER_MINUTE: '100000000',
    // kept logs show each recompute round's phases (info); otherwise warnings only, as the fault suite
    ...(KEEP ? { LOG_LEVEL: 'info' } : {}),
  },
  publication: { HTTP_RATE_LIMIT_PER_MINUTE: '100000000' },
};

interface Context {
  infra: PrivateInfra;
  secrets: Secrets;
  dir: string;
  today: string;
  run: string;
  rows: BenchRow[];
}

/** How long `work` took until it answered (a stage's own time, beside the watch's stage times). */
async function millisecondsOf(work: () => Promise<unknown>): Promise<number> {
  const t0 = Date.now();
  await work();
  return Date.now() - t0;
}

/** Records a row and shows it at once (a run that fails later still showed what it measured). */
function add(ctx: Context, row: BenchRow): void {
  ctx.rows.push(row);
  log(`${row.scenario} | ${row.measure} | ${row.value}${row.goal ? ` | goal ${row.goal.text}` : ''}${row.note ? ` | ${row.note}` : ''}`);
}

async function county(ctx: Context, scale: number): Promise<{ manifest: Manifest; dir: string }> {
  const dir = join(ctx.dir, `county-${scale}`);
  const manifest = await generate({ scale, seed: 1, out: dir, from: parseDay(`${FIRST_YEAR}-01-01`)!, today: parseDay(ctx.today)!, todayFromClock: false, formats: ['csv', 'ndjson', 'json'] });
  return { manifest, dir };
}

async function stackFor(ctx: Context, name: string): Promise<Stack> {
  return Stack.create({
    infra: ctx.infra,
    secrets: ctx.secrets,
    prefix: `b${ctx.run}-${name}`,
    logDir: join(ctx.dir, 'logs'),
    today: ctx.today,
    firstYear: FIRST_YEAR,
    suppressionThreshold: 3,
    environment: ENVIRONMENT,
  });
}

async function deliver(stack: Stack, source: string, file: string, format: 'csv' | 'ndjson' | 'json'): Promise<number> {
  const answer = await deliverFile({ baseUrl: stack.first('ingestion').url, token: stack.options.secrets.ingest, source, file, format });
  if (answer.rejected) throw new Error(`${answer.rejected} records of ${file} rejected: ${JSON.stringify(answer.errors.slice(0, 3))}`);
  return answer.accepted;
}

/** The processes whose CPU the bulk load accounts: the four services and the three servers. */
function processesOf(ctx: Context, stack: Stack): Record<string, number | undefined> {
  return {
    ...Object.fromEntries(stack.services.map((s) => [s.app, s.process.pid])),
    kafka: ctx.infra.kafka.pid,
    'ferretdb (MongoDB protocol)': ctx.infra.ferretdb.pid,
    redis: ctx.infra.redis.pid,
  };
}

interface ScaleResult {
  scale: number;
  records: number;
  e2e: number;
  /** kpi-calculation's resident set after the load, bytes. */
  kpiRss: number;
  kpiBytesPerRecord: number;
  correctionSeconds: number;
}

/** Bulk load, engine baseline and 1 % corrections at one scale; the last scale also reads and incremental. */
async function atScale(ctx: Context, scale: number, last: boolean): Promise<ScaleResult> {
  const { manifest, dir } = await county(ctx, scale);
  const stack = await stackFor(ctx, `s${String(scale).replace('.', '_')}`);
  const label = `scale ${scale}`;
  try {
    log(`${label}: starting the four services`);
    await stack.start();
    const atReady = memoryOfServices(stack);
    const cpuBefore = sampleCpu(processesOf(ctx, stack));
    log(`${label}: bulk load`);
    let records = 0;
    let answered = 0;
    const times = await watchUntilSettled(stack, async () => {
      answered = await millisecondsOf(async () => {
        for (const delivery of [1, 2]) for (const f of filesToDeliver(manifest, delivery)) records += await deliver(stack, f.source, join(dir, f.path), f.format);
      });
    });
    const after = memoryOfServices(stack);
    const cpu = cpuBetween(cpuBefore, sampleCpu(processesOf(ctx, stack)));
    const e2e = records / (times.doneAt.publication / 1000);
    add(ctx, { scenario: `bulk load ${label}`, measure: `records/s end to end (${fmt(records)} records, ${fmt(times.doneAt.publication / 1000, 1)} s)`, value: fmt(e2e), checked: e2e, goal: { atLeast: 10_000, text: '≥ 10,000 records/s' } });
    add(ctx, { scenario: `bulk load ${label}`, measure: 'ingestion: all deliveries answered', value: `${fmt(answered / 1000, 1)} s = ${fmt(records / (answered / 1000))} records/s` });
    for (const s of STAGES)
      add(ctx, { scenario: `bulk load ${label}`, measure: `${s}: output done after`, value: `${fmt(times.doneAt[s] / 1000, 1)} s = ${fmt(records / (times.doneAt[s] / 1000))} records/s`, note: `${fmt(times.moved[s])} messages` });
    for (const app of STAGES)
      add(ctx, { scenario: `bulk load ${label}`, measure: `${app}: peak RSS / RSS after load`, value: `${fmt(after[app].peak / MiB)} / ${fmt(after[app].rss / MiB)} MiB`, note: `at ready ${fmt(atReady[app].rss / MiB)} MiB` });
    const cpuTotal = cpu.reduce((n, p) => n + p.seconds, 0);
    for (const p of cpu)
      add(ctx, { scenario: `bulk load ${label}`, measure: `${p.name}: CPU seconds during the load`, value: `${fmt(p.seconds, 1)} s = ${fmt((p.seconds * 1e6) / records)} µs per record`, note: `${fmt((100 * p.seconds) / cpuTotal)} % of the pipeline's CPU` });
    const cores = cpus().length;
    const ceiling = records / (cpuTotal / cores);
    add(ctx, { scenario: `bulk load ${label}`, measure: `CPU-bound ceiling on ${cores} cores (records ÷ pipeline CPU seconds × cores)`, value: `${fmt(ceiling)} records/s`, note: `${fmt(cpuTotal, 1)} CPU s in all; the wall-clock rate is lower when other work shares the cores` });
    const kpiBytesPerRecord = (after['kpi-calculation'].rss - atReady['kpi-calculation'].rss) / records;
    add(ctx, { scenario: `bulk load ${label}`, measure: 'kpi-calculation: memory per lake record (RSS after − at ready)', value: `${fmt(kpiBytesPerRecord)} B`, checked: kpiBytesPerRecord, goal: { atMost: 1024, text: '≤ 1 KiB' } });

    log(`${label}: in-process engine baseline`);
    const base = await engineBaseline(stack, FIRST_YEAR, ctx.today);
    const baseRate = base.records / ((base.loadMs + base.computeMs) / 1000);
    add(ctx, { scenario: `bulk load ${label}`, measure: `engine in one process: ${fmt(base.records)} records, ${fmt(base.values)} values`, value: `${fmt(baseRate)} records/s`, note: `load ${fmt(base.loadMs)} ms, compute ${fmt(base.computeMs)} ms` });
    const slower = ratio(baseRate, e2e);
    add(ctx, { scenario: `bulk load ${label}`, measure: 'baseline ÷ end to end', value: fmtRatio(slower), checked: slower, goal: { atMost: 5, text: 'within 5× of the baseline' } });

    log(`${label}: 1 % corrections`);
    const share = Math.round(records * 0.01);
    const population = join(dir, 'population__1.ndjson');
    const open = openPopulationRecords(population);
    const corrected = spread(open, share);
    const correctionFile = join(ctx.dir, `corrections-${scale}.ndjson`);
    writeNdjson(correctionFile, corrected.map((r) => movedOut(r, '2024-06-30')));
    let correctionAnswered = 0;
    const ct = await watchUntilSettled(stack, async () => {
      correctionAnswered = await millisecondsOf(() => deliver(stack, 'population', correctionFile, 'ndjson'));
    });
    const correctionSeconds = ct.doneAt.publication / 1000;
    // where the time goes: a slow answer is ingestion's lookups, a late KPI topic the recompute rounds
    const s = (ms: number) => fmt(ms / 1000, 1);
    const correctionStages = `ingestion answered / lake / KPI topic done after ${s(correctionAnswered)} / ${s(ct.doneAt.anonymization)} / ${s(ct.doneAt['kpi-calculation'])} s`;
    add(ctx, { scenario: `corrections ${label}`, measure: `${fmt(corrected.length)} records (1 %): POST to last changed value`, value: `${fmt(correctionSeconds, 1)} s`, checked: correctionSeconds, goal: { atMost: 10, text: '≤ 10 s' }, note: `${correctionStages}; ${fmt(ct.moved['kpi-calculation'])} KPI messages` });

    if (last && !LOAD_ONLY) {
      await reads(ctx, stack, label);
      const taken = new Set(corrected.map((r) => r.recordId));
      await incremental(ctx, stack, label, open.filter((r) => r.ags === ELMSHORN && !taken.has(r.recordId)));
    }
    return { scale, records, e2e, kpiRss: after['kpi-calculation'].rss, kpiBytesPerRecord, correctionSeconds };
  } finally {
    await stack.stop().catch(() => undefined);
    await stack.topics.remove().catch(() => undefined);
  }
}

interface CannonResult {
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  non2xx: number;
}

async function cannon(url: string, seconds: number): Promise<CannonResult> {
  const r = await autocannon({ url, connections: 50, duration: seconds, headers: { 'accept-encoding': 'gzip, br' } });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bytes: r.throughput.average / Math.max(1, r.requests.average), non2xx: r.non2xx };
}

/** The same publication from another checkout (see --compare-reads), started on the stack's KPI topic. */
async function otherPublication(stack: Stack, checkout: string): Promise<ManagedProcess> {
  const mine = stack.first('publication').process.spec;
  const port = await freePort();
  const name = `${mine.name}-compare`;
  const env = {
    ...mine.env,
    PUBLICATION_PORT: String(port),
    PUBLICATION_CONSUMER_GROUP: `${stack.groups.publication}-compare`,
    PUBLICATION_CACHE_PREFIX: `${mine.env.PUBLICATION_CACHE_PREFIX}-compare`,
    MONGO_URL: `${mine.env.MONGO_URL}_compare`,
  };
  return new ManagedProcess({
    ...mine,
    name,
    args: [join(checkout, 'tools/run-ts.js'), join(checkout, 'apps/publication/src/main.ts')],
    env,
    logFile: mine.logFile.replace(/\.log$/, '-compare.log'),
    ready: async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200,
  });
}

async function reads(ctx: Context, stack: Stack, label: string): Promise<void> {
  let other: ManagedProcess | undefined;
  if (COMPARE) {
    other = await otherPublication(stack, COMPARE);
    await other.start();
    // it reads the KPI topic from the start: wait until it caught up
    const groups = new ConsumerGroupAdmin(stack.kafka);
    for (;;) {
      const lag = await groups.lag(`${stack.groups.publication}-compare`, [stack.topics.names.kpiValues]);
      if (lag.every((p) => p.lag === 0 && Number(p.committed) >= 0)) break;
      await sleep(500);
    }
  }
  try {
    await readsOf(ctx, stack.first('publication').url, `reads (${label})`);
    if (other) {
      const port = Number(other.spec.env.PUBLICATION_PORT);
      await readsOf(ctx, `http://127.0.0.1:${port}`, `reads (${label}), publication of ${COMPARE}`);
    }
  } finally {
    await other?.stop('SIGTERM', 15_000);
    other?.close();
  }
}

async function readsOf(ctx: Context, base: string, scenario: string): Promise<void> {
  const targets = [
    { name: 'GET /api/v1/regions', path: '/api/v1/regions' },
    { name: 'cached values (births_per_1000, Elmshorn, 2015–2025)', path: `/api/v1/indicators/births_per_1000/values?region=${ELMSHORN}&from=2015&to=2025`, goal: 0.8 },
    { name: 'whole indicator, all regions 2015–2025', path: '/api/v1/indicators/births_per_1000/values?from=2015&to=2025', goal: 0.5 },
  ];
  for (const t of [{ path: '/health/live' }, ...targets]) {
    const res = await fetch(base + t.path);
    if (res.status !== 200) throw new Error(`${t.path} answered ${res.status}`);
    await cannon(base + t.path, 2); // warm-up (JIT, caches, prepared answers), not counted
  }
  log(`${scenario}: autocannon, 50 connections, ${READ_SECONDS} s each`);
  const health = await cannon(`${base}/health/live`, READ_SECONDS);
  add(ctx, { scenario, measure: 'GET /health/live (the ceiling)', value: `${fmt(health.rps)} req/s`, note: `p50 ${health.p50} ms, p99 ${health.p99} ms` });
  for (const t of targets) {
    const r = await cannon(base + t.path, READ_SECONDS);
    const share = ratio(r.rps, health.rps);
    add(ctx, { scenario, measure: `${t.name}: ÷ /health/live`, value: `${fmtRatio(share)} (${fmt(r.rps)} req/s)`, checked: share, goal: t.goal ? { atLeast: t.goal, text: `≥ ${t.goal}×` } : undefined, note: `p50 ${r.p50} ms, ${fmt(r.bytes)} B/answer${r.non2xx ? `, ${r.non2xx} non-2xx` : ''}` });
    if (t.goal) add(ctx, { scenario, measure: `${t.name}: p99`, value: `${r.p99} ms`, checked: r.p99, goal: { atMost: 10, text: '≤ 10 ms' } });
  }
}

async function incremental(ctx: Context, stack: Stack, label: string, candidates: PopulationRecord[]): Promise<void> {
  const base = stack.first('publication').url;
  const year = Number(ctx.today.slice(0, 4)) - 1;
  const url = `${base}/api/v1/indicators/population/values?region=${ELMSHORN}&from=${year}&to=${year}`;
  const valueNow = async () => JSON.stringify(((await (await fetch(url)).json()) as { values: { value: unknown }[] }).values.map((v) => v.value));
  const admin = stack.kafka.admin();
  await admin.connect();
  const end = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  const t = stack.topics.names;
  /** Milliseconds from the POST until: ingestion answered, the lake topic grew, the KPI topic grew, the API changed. */
  const stages: Record<'answered' | 'lake' | 'kpi' | 'api', number[]> = { answered: [], lake: [], kpi: [], api: [] };
  log(`incremental: ${INCREMENTAL_SAMPLES} corrected records, one at a time`);
  try {
    for (const record of candidates.slice(0, INCREMENTAL_SAMPLES)) {
      const before = await valueNow();
      const [lake0, kpi0] = [await end(t.lake), await end(t.kpiValues)];
      const file = join(ctx.dir, `one-${record.recordId}.ndjson`);
      writeNdjson(file, [movedOut(record, `${year - 1}-06-30`)]);
      const t0 = Date.now();
      const at: Partial<Record<keyof typeof stages, number>> = {};
      let failed: unknown;
      const delivered = deliver(stack, 'population', file, 'ndjson').then(
        () => (at.answered ??= Date.now() - t0),
        (e: unknown) => (failed = e ?? new Error('the delivery failed')),
      );
      for (;;) {
        if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
        if (at.lake === undefined && (await end(t.lake)) > lake0) at.lake = Date.now() - t0;
        if (at.kpi === undefined && (await end(t.kpiValues)) > kpi0) at.kpi = Date.now() - t0;
        if ((await valueNow()) !== before) {
          at.api = Date.now() - t0;
          break;
        }
        if (Date.now() - t0 > 120_000) throw new Error(`population of ${ELMSHORN} ${year} did not change within 120 s after a correction`);
        await sleep(10);
      }
      await delivered; // the answer's own time, even when it came after the API changed
      if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
      // A topic that grew between its last poll and the API's change is counted at the API's time (an upper bound).
      for (const k of Object.keys(stages) as (keyof typeof stages)[]) stages[k].push(at[k] ?? at.api);
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
  const scenario = `incremental (${label})`;
  const samples = stages.api;
  const p99 = percentile(samples, 99);
  add(ctx, { scenario, measure: `one corrected record: POST to changed value, p50 (n=${samples.length})`, value: `${fmt(percentile(samples, 50))} ms` });
  add(ctx, { scenario, measure: `one corrected record: p99 (n=${samples.length})`, value: `${fmt(p99)} ms`, checked: p99 / 1000, goal: { atMost: 1, text: 'p99 ≤ 1 s' } });
  add(ctx, {
    scenario,
    measure: 'where the time goes, p50 since the POST: ingestion answered / lake topic grew / KPI topic grew / API changed',
    value: (['answered', 'lake', 'kpi', 'api'] as const).map((k) => `${fmt(percentile(stages[k], 50))}`).join(' / ') + ' ms',
    note: 'polled every ~10 ms besides the API',
  });
}

/** A big population CSV into ingestion alone (nothing consumes its topic): records/s and peak RSS. */
async function bigCsv(ctx: Context, countyDir: string): Promise<void> {
  const file = join(ctx.dir, 'big.csv');
  const rows = await bigPopulationCsv(join(countyDir, 'population__1.csv'), file, BIG_CSV_BYTES);
  const stack = await stackFor(ctx, 'csv');
  const ingestion = stack.first('ingestion');
  if (PROFILE) {
    // node refuses --cpu-prof in NODE_OPTIONS: it goes before the script
    mkdirSync(PROFILE_DIR, { recursive: true });
    ingestion.process.spec.args.unshift('--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`);
  }
  try {
    await ingestion.process.start();
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, memoryOf(ingestion.process.pid).rss || 0)), 200);
    const t0 = Date.now();
    const accepted = await deliver(stack, 'population', file, 'csv');
    const seconds = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    const scenario = `ingestion of a ${fmt(BIG_CSV_BYTES / MiB)} MiB CSV${BIG_CSV_BYTES !== 2 ** 30 ? ' (not 1 GiB)' : ''}${PROFILE ? ', under --cpu-prof' : ''}`;
    const rate = accepted / seconds;
    add(ctx, { scenario, measure: `records/s (${fmt(accepted)} of ${fmt(rows)} rows, ${fmt(seconds, 1)} s)`, value: fmt(rate), checked: rate, goal: { atLeast: 10_000, text: '≥ 10,000 records/s' } });
    add(ctx, { scenario, measure: 'peak RSS of ingestion while it ran', value: `${fmt(peak / MiB)} MiB`, checked: peak / MiB, goal: { atMost: 300, text: '≤ 300 MiB' }, note: `VmHWM since start ${fmt(memoryOf(ingestion.process.pid).peak / MiB)} MiB` });
  } finally {
    await stack.stop().catch(() => undefined);
    await stack.topics.remove().catch(() => undefined);
    rmSync(file, { force: true });
  }
  if (PROFILE) profileRows(ctx, `ingestion ${fmt(BIG_CSV_BYTES / MiB)} MiB CSV`);
}

/** The newest profile in PROFILE_DIR (written when the profiled service exited) as rows. */
function profileRows(ctx: Context, what: string): void {
  const newest = readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(PROFILE_DIR, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) return void log('no CPU profile was written');
  const summary = summarizeProfileFile(newest, 8);
  const scenario = `profile: ${what} (${fmt(summary.totalMs / 1000, 1)} s of samples)`;
  for (const a of summary.areas) add(ctx, { scenario, measure: `self time in ${a.area}`, value: `${fmt(a.share * 100, 1)} %` });
  for (const f of summary.functions) add(ctx, { scenario, measure: `function ${f.name}`, value: `${fmt(f.share * 100, 1)} %`, note: f.where });
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'sm-bench-'));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
  log(`${quick ? 'quick' : 'full'} run, scales ${SCALES.join(', ')}; working folder ${dir}; starting a private Kafka, FerretDB and Redis`);
  const infra = await PrivateInfra.start(join(dir, 'infra'));
  const ctx: Context = { infra, secrets: newSecrets(), dir, today, run: randomUUID().slice(0, 4), rows: [] };
  const load = loadavg()[0];
  const results: ScaleResult[] = [];
  let failure: Error | undefined;
  try {
    if (CSV_ONLY) await county(ctx, SCALES.at(-1)!);
    else for (const [i, scale] of SCALES.entries()) results.push(await atScale(ctx, scale, i === SCALES.length - 1));
    const first = results[0];
    for (const r of results.slice(1)) {
      const flat = ratio(r.e2e, first.e2e);
      add(ctx, { scenario: 'growth', measure: `records/s at scale ${r.scale} ÷ at scale ${first.scale}`, value: fmtRatio(flat), checked: flat, goal: { atLeast: 0.8, text: 'flat (≥ 0.8×)' } });
      const perRecord = (r.kpiRss - first.kpiRss) / (r.records - first.records);
      add(ctx, { scenario: 'growth', measure: `kpi-calculation: RSS per added lake record, scale ${first.scale} → ${r.scale}`, value: `${fmt(perRecord)} B`, checked: perRecord, goal: { atMost: 1024, text: '≤ 1 KiB' }, note: 'marginal: (RSS₂ − RSS₁) ÷ (records₂ − records₁); small scales are noisy' });
      const cost = ratio(r.correctionSeconds, first.correctionSeconds);
      add(ctx, { scenario: 'growth', measure: `1 % corrections: seconds at scale ${r.scale} ÷ at scale ${first.scale}`, value: fmtRatio(cost), note: `${fmt(r.scale / first.scale, 1)}× the records; 1 % is ${fmt(r.scale / first.scale, 1)}× as many corrections too` });
    }
    if (!LOAD_ONLY) log('ingestion of a big CSV');
    if (!LOAD_ONLY) await bigCsv(ctx, join(dir, `county-${SCALES.at(-1)}`));
  } catch (e) {
    // the rows measured so far are still written, with the failure
    failure = e as Error;
    process.stderr.write(`benchmark failed: ${failure.stack}\n`);
  } finally {
    await infra.stop().catch(() => undefined);
  }
  const meta = {
    ...(failure ? { failed: failure.message.split('\n')[0] } : {}),
    date: new Date().toISOString(),
    mode: `${quick ? 'quick' : 'full'}${CSV_ONLY ? ' (CSV only)' : ''}${PARTIAL ? ' (partial)' : ''}`,
    scales: SCALES,
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), loadAverageAtStart: load, node: process.version },
    seconds: Math.round((Date.now() - started) / 1000),
  };
  const table = markdownTable(ctx.rows);
  process.stdout.write(`\n${table}\n\n`);
  const resultsDir = join(__dirname, 'results');
  if (!existsSync(resultsDir)) mkdirSync(resultsDir, { recursive: true });
  const base = join(resultsDir, `${meta.date.slice(0, 10)}${quick ? '-quick' : ''}${CSV_ONLY ? '-csv' : ''}${PARTIAL ? '-partial' : ''}`);
  // a second run of the same kind on the same day gets -2, -3, …: the first one's figures stay
  let file = `${base}.json`;
  for (let n = 2; existsSync(file); n++) file = `${base}-${n}.json`;
  writeFileSync(file, JSON.stringify(resultDocument(meta, ctx.rows), null, 2) + '\n');
  writeFileSync(file.replace(/\.json$/, '.md'), `${meta.mode} run ${meta.date}, ${meta.machine.cpus} × ${meta.machine.cpu}, ${meta.machine.memoryGiB} GiB, load average ${load.toFixed(1)} at start, ${meta.seconds} s\n\n${table}\n`);
  log(`${failure ? 'FAILED' : 'done'} in ${meta.seconds} s; ${file}`);
  if (KEEP) log(`working folder kept: ${dir} (services' logs in logs/)`);
  else rmSync(dir, { recursive: true, force: true });
  process.exit(failure ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
