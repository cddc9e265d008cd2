import { COUNTY_CODE, MUNICIPALITIES } from '@sozialmonitor/regions';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDay } from '../../generator/src/dates';
import { generate, type Manifest } from '../../generator/src/generate';
import { compare, table, type Row, type Snapshot } from './outcome';
import { deliverAll, snapshot, waitUntilSettled } from './pipeline';
import { LoadProgress, SCENARIOS, type Scenario, type ScenarioContext } from './scenarios';
import { freePort } from '@sozialmonitor/testing/free-port';
import { type ManagedProcess, serverProcess } from './processes';
import { newSecrets, PrivateInfra, Stack, type Secrets } from './stack';

/**
 * `npm run test:faults [-- --all] [-- --only=id,id]`: the fault-tolerance suite. It starts a Kafka
 * broker, FerretDB and Redis of its own (never the shared ones: it stops and kills them), generates a
 * small county once, and runs each scenario on a fresh set of topics, groups and databases with the
 * four services as child processes: the same load, a fault in the middle, then every published value
 * compared with the clean run's. Without --all only the fast subset runs (the one `npm test` runs).
 */
const SCALE = 0.005;
const SEED = 1;
const FIRST_YEAR = 2015;
const SUPPRESSION_THRESHOLD = 3;
const REGIONS = MUNICIPALITIES.length + 1;
void COUNTY_CODE;

const args = process.argv.slice(2);
const all = args.includes('--all');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const keep = args.includes('--keep');

const log = (m: string) => process.stdout.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

interface Suite {
  infra: PrivateInfra;
  secrets: Secrets;
  manifest: Manifest;
  countyDir: string;
  logDir: string;
  today: string;
  years: { first: number; last: number };
  run: string;
  clean?: Snapshot;
  indicators: string[];
}

async function runScenario(suite: Suite, scenario: Scenario): Promise<Row[]> {
  const started = Date.now();
  let ingestionStore: ManagedProcess | undefined;
  let ingestionMongoUrl: string | undefined;
  if (scenario.ownIngestionStore) {
    const port = await freePort();
    ingestionStore = serverProcess('ferretdb', join(suite.logDir, `${scenario.id}-ferretdb`), [port], suite.logDir, `${scenario.id}-ferretdb`);
    await ingestionStore.start();
    ingestionMongoUrl = `mongodb://127.0.0.1:${port}/sm_ingestion`;
  }
  const stack = await Stack.create({
    ingestionMongoUrl,
    infra: suite.infra,
    secrets: suite.secrets,
    prefix: `f${suite.run}-${scenario.id}`,
    logDir: suite.logDir,
    today: suite.today,
    firstYear: FIRST_YEAR,
    suppressionThreshold: SUPPRESSION_THRESHOLD,
    instances: scenario.instances,
  });
  const ctx: ScenarioContext = {
    stack,
    infra: suite.infra,
    manifest: suite.manifest,
    progress: new LoadProgress(),
    notes: [],
    failures: [],
    recoveries: [],
    extraRows: [],
    ingestionStore,
  };
  let loaded = 0;
  const rows: Row[] = [];
  try {
    await stack.start();
    log(`${scenario.id}: services ready; loading`);
    const faults = (scenario.during?.(ctx) ?? Promise.resolve()).catch((e: Error) => void ctx.failures.push(`fault: ${e.message}`));
    const load = await deliverAll(
      stack,
      suite.manifest,
      suite.countyDir,
      (i, n) => ctx.progress.onFile(i, n),
      (refused) => void (refused && ctx.progress.refused++),
    );
    ctx.progress.finished();
    loaded = load.accepted;
    if (load.resent) ctx.notes.push(`${load.resent} deliveries resent (${load.refused503} answered 503)`);
    await faults;
    await scenario.afterLoad?.(ctx);
    log(`${scenario.id}: ${loaded} records accepted; waiting until settled`);
    await waitUntilSettled(stack, 600_000, (state) => log(`${scenario.id}: ${state}`));
    await scenario.settled?.(ctx);
    if (!suite.clean) {
      const catalogue = (await (await fetch(`${stack.live('kpi-calculation').url}/internal/v1/indicators`, { headers: { authorization: `Bearer ${suite.secrets.internal}` } })).json()) as { id: string; status: string }[];
      suite.indicators = catalogue.filter((i) => i.status === 'active').map((i) => i.id);
    }
    const snap = await snapshot(stack, suite.indicators, suite.years, suite.today);
    if (!suite.clean) {
      const expected = suite.indicators.length * REGIONS * (suite.years.last - suite.years.first + 2);
      const keys = new Set(snap.kpi.map((e) => e.key)).size;
      if (keys !== expected || snap.api.size !== expected) ctx.failures.push(`the clean run published ${keys} values and publication answers ${snap.api.size} (expected ${expected})`);
      suite.clean = snap;
    }
    const result = compare(suite.clean, snap);
    if (result.recordsDiffering) ctx.failures.push(`${result.recordsDiffering} lake records differ`);
    if (result.conflicting) ctx.failures.push(`${result.conflicting} values published twice with different content`);
    if (result.examples.length) ctx.notes.push(...result.examples.slice(0, 3));
    const recheck = async () => {
      await waitUntilSettled(stack, 600_000, (state) => log(`${scenario.id}: ${state}`));
      const c = compare(suite.clean!, await snapshot(stack, suite.indicators, suite.years, suite.today));
      return { lost: c.recordsLost, differing: c.valuesDiffering + c.recordsDiffering + c.conflicting };
    };
    await scenario.afterCompare?.(ctx, recheck);
    const pass = result.recordsLost === 0 && result.valuesDiffering === 0 && ctx.failures.length === 0;
    rows.push({
      scenario: scenario.title,
      loaded,
      lost: result.recordsLost,
      differing: result.valuesDiffering,
      recovery: ctx.recoveries.join('; ') || '—',
      result: pass ? 'pass' : 'FAIL',
      note: [...ctx.failures, ...ctx.notes, `${Math.round((Date.now() - started) / 1000)} s`].join('; '),
    });
    for (const extra of ctx.extraRows)
      rows.push({
        scenario: extra.scenario,
        loaded,
        lost: extra.lost,
        differing: extra.differing,
        recovery: extra.recovery,
        result: extra.lost === 0 && extra.differing === 0 && extra.failures.length === 0 ? 'pass' : 'FAIL',
        note: [...extra.failures, ...extra.notes].join('; '),
      });
  } catch (e) {
    rows.push({
      scenario: scenario.title,
      loaded,
      lost: '?',
      differing: '?',
      recovery: ctx.recoveries.join('; ') || '—',
      result: 'FAIL',
      note: [(e as Error).message.split('\n')[0], ...ctx.failures].join('; '),
    });
    log(`${scenario.id} failed: ${(e as Error).message}`);
  } finally {
    // The scenario's result is recorded; a teardown that fails is told, and the next scenario starts its own.
    await stack.stop().catch((e: Error) => log(`${scenario.id}: stopping the stack failed: ${e.message}`));
    await ingestionStore?.stop('SIGTERM', 20_000).catch((e: Error) => log(`${scenario.id}: stopping its FerretDB failed: ${e.message}`));
    ingestionStore?.close();
  }
  for (const r of rows) log(`${scenario.id}: ${r.result}: lost ${r.lost}, differing ${r.differing}; ${r.recovery}; ${r.note}`);
  return rows;
}

async function main(): Promise<void> {
  const suiteStarted = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'sm-faults-'));
  log(`working folder ${dir} (servers' data, county, logs)`);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
  const countyDir = join(dir, 'county');
  const manifest = await generate({
    scale: SCALE,
    seed: SEED,
    out: countyDir,
    from: parseDay(`${FIRST_YEAR}-01-01`)!,
    today: parseDay(today)!,
    todayFromClock: false,
    formats: ['csv', 'ndjson', 'json'],
  });
  log('county generated; starting a private Kafka, FerretDB and Redis');
  const infra = await PrivateInfra.start(join(dir, 'infra'));
  const suite: Suite = {
    infra,
    secrets: newSecrets(),
    manifest,
    countyDir,
    logDir: dir,
    today,
    years: { first: FIRST_YEAR, last: Number(today.slice(0, 4)) - 1 },
    run: randomUUID().slice(0, 4),
    indicators: [],
  };
  const chosen = SCENARIOS.filter((s) => s.id === 'clean' || (only ? only.includes(s.id) : all || s.fast));
  const rows: Row[] = [];
  try {
    for (const scenario of chosen) {
      log(`scenario ${scenario.id}: ${scenario.title}`);
      rows.push(...(await runScenario(suite, scenario)));
      if (scenario.id === 'clean' && rows[0].result !== 'pass') break; // nothing to compare with
    }
  } finally {
    await infra.stop().catch((e: Error) => log(`stopping the private infrastructure failed: ${e.message}`));
  }
  const failed = rows.filter((r) => r.result !== 'pass').length;
  process.stdout.write(`\n${table(rows)}\n\n`);
  log(`${rows.length - failed} passed, ${failed} failed in ${Math.round((Date.now() - suiteStarted) / 1000)} s${failed || keep ? `; logs in ${dir}` : ''}`);
  if (!failed && !keep) rmSync(dir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  process.stderr.write(`fault suite failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
